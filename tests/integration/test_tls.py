"""HTTPS on the listener: a self-signed certificate made by the openssl CLI, requests that trust only it, plain HTTP
to the TLS port closed cleanly, SIGHUP reloading the certificate for new connections, bad files refused at start."""
import os
import pathlib
import signal
import socket
import ssl
import subprocess
import time

import pytest
import requests

from conftest import BIN_DIR, Maasd

POLL_DEADLINE_S = 30


def make_certificate(directory, name):
    """A self-signed P-256 certificate for 127.0.0.1 with subject CN=`name`; returns (cert, key) paths."""
    directory = pathlib.Path(directory)
    cert, key = directory / f"{name}.crt", directory / f"{name}.key"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                    "-keyout", str(key), "-out", str(cert), "-days", "2", "-subj", f"/CN={name}",
                    "-addext", "subjectAltName=IP:127.0.0.1"], check=True, capture_output=True)
    return cert, key


def tls_args(cert, key):
    return ["--tls-cert-file", str(cert), "--tls-key-file", str(key)]


def presented_certificate(server):
    """The DER certificate a new connection is shown (not verified: the caller compares it)."""
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    with socket.create_connection(server.host_port, timeout=10) as raw, ctx.wrap_socket(raw) as tls:
        return tls.getpeercert(binary_form=True)


def der_of(cert_path):
    return ssl.PEM_cert_to_DER_cert(pathlib.Path(cert_path).read_text())


def subject_cn(server, ca_file):
    ctx = ssl.create_default_context(cafile=str(ca_file))
    with socket.create_connection(server.host_port, timeout=10) as raw, \
            ctx.wrap_socket(raw, server_hostname="127.0.0.1") as tls:
        return dict(pair[0] for pair in tls.getpeercert()["subject"])["commonName"]


def replace_file(source, target):
    """Installs new contents the way deployment tools do: a full file, renamed into place."""
    tmp = pathlib.Path(str(target) + ".new")
    tmp.write_bytes(pathlib.Path(source).read_bytes())
    os.replace(tmp, target)


def wait_for(predicate, what):
    deadline = time.monotonic() + POLL_DEADLINE_S
    while not predicate():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


@pytest.fixture
def tls_server(tmp_path):
    cert, key = make_certificate(tmp_path, "maas-test-a")
    server = Maasd(tmp_path / "data", tls_args(cert, key), ca_file=cert).start()
    yield server, cert, key
    rc = server.stop()
    assert rc == 0, f"maasd exited with {rc} on SIGTERM: {server.log()}"


def test_https_serves_health_and_authenticated_calls(tls_server):
    server, cert, _ = tls_server
    assert server.url.startswith("https://127.0.0.1:")
    assert "listening on https://" in server.log()
    health = server.get("/api/v1/health")
    assert health.status_code == 200, health.text
    models = server.get("/api/v1/models")
    assert models.status_code == 200, models.text
    assert server.get("/api/v1/models", key=None).status_code == 401
    # A client that does not trust the certificate refuses it.
    with pytest.raises(requests.exceptions.SSLError):
        requests.get(server.url + "/api/v1/health", timeout=10, verify=True)


def test_plain_http_to_the_tls_port_fails_cleanly_and_https_keeps_working(tls_server):
    server, _, _ = tls_server
    host, port = server.host_port
    with pytest.raises(requests.exceptions.ConnectionError):
        requests.get(f"http://{host}:{port}/api/v1/health", timeout=10)
    # At the socket: the server answers plain HTTP with nothing but a close (or a TLS alert), promptly.
    with socket.create_connection((host, port), timeout=10) as raw:
        raw.sendall(b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\n\r\n")
        received = b""
        try:
            while chunk := raw.recv(4096):
                received += chunk
        except ConnectionResetError:
            pass
        assert not received.startswith(b"HTTP/"), received
    assert server.proc.poll() is None
    assert server.get("/api/v1/health").status_code == 200


def test_sighup_reloads_the_certificate_for_new_connections(tls_server, tmp_path):
    server, cert, key = tls_server
    assert presented_certificate(server) == der_of(cert)
    # `verify` per request: REQUESTS_CA_BUNDLE in the environment would override a Session's own.
    kept = requests.Session()
    ca_a = tmp_path / "ca-a.crt"
    ca_a.write_bytes(pathlib.Path(cert).read_bytes())
    assert kept.get(server.url + "/api/v1/health", timeout=10, verify=str(ca_a)).status_code == 200

    new_cert, new_key = make_certificate(tmp_path, "maas-test-b")
    replace_file(new_key, key)
    replace_file(new_cert, cert)
    server.proc.send_signal(signal.SIGHUP)
    wait_for(lambda: presented_certificate(server) == der_of(new_cert), "the new certificate")
    assert subject_cn(server, new_cert) == "maas-test-b"
    assert server.get("/api/v1/models").status_code == 200  # cert now holds B: requests verifies against it
    # The connection opened before the reload keeps its certificate: it still answers, verified against A.
    assert kept.get(server.url + "/api/v1/health", timeout=10, verify=str(ca_a)).status_code == 200

    # A bad file on reload: logged, and the current certificate stays.
    pathlib.Path(cert).write_text("not a certificate\n")
    server.proc.send_signal(signal.SIGHUP)
    wait_for(lambda: "TLS reload failed" in server.log(), "the reload error in the log")
    assert "server.tls_cert_file" in server.log()
    assert presented_certificate(server) == der_of(new_cert)
    assert requests.get(server.url + "/api/v1/health", timeout=10, verify=str(new_cert)).status_code == 200
    assert server.proc.poll() is None


def test_bad_tls_settings_fail_at_start_naming_the_setting(tmp_path):
    cert, key = make_certificate(tmp_path, "maas-test-c")
    _, other_key = make_certificate(tmp_path, "maas-test-d")
    garbage = tmp_path / "garbage.pem"
    garbage.write_text("not PEM\n")
    cases = [
        (["--tls-cert-file", str(cert)], "server.tls_key_file"),
        (["--tls-key-file", str(key)], "server.tls_cert_file"),
        (tls_args(tmp_path / "absent.crt", key), "server.tls_cert_file"),
        (tls_args(garbage, key), "server.tls_cert_file"),
        (tls_args(cert, garbage), "server.tls_key_file"),
        (tls_args(cert, other_key), "server.tls_key_file"),
    ]
    for args, needle in cases:
        p = subprocess.run([str(BIN_DIR / "maasd"), "--listen", "127.0.0.1:0", "--data-dir", str(tmp_path / "d"),
                            *args], capture_output=True, text=True, timeout=60)
        assert p.returncode == 2, (args, p.stderr)
        assert needle in p.stderr, (args, p.stderr)
