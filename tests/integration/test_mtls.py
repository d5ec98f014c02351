"""Mutual TLS (issue 17, item 3) against a real maasd: a CA and client certificates made by the openssl CLI; a
certificate whose subject is bound to a key authenticates as that key (its role, no bearer token); one from another
CA fails the handshake; clients without a certificate still use keys."""
import pathlib
import subprocess

import pytest
import requests

from conftest import Maasd, error_of
from test_tls import make_certificate, tls_args


def openssl(*args):
    subprocess.run(["openssl", *args], check=True, capture_output=True)


def make_client_certificate(directory, name, subject, ca):
    """A client certificate for `subject` ("/O=Example/CN=ci") issued by `ca` (cert, key); returns (cert, key)."""
    cert, key, csr = directory / f"{name}.crt", directory / f"{name}.key", directory / f"{name}.csr"
    openssl("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", str(key),
            "-out", str(csr), "-subj", subject)
    openssl("x509", "-req", "-in", str(csr), "-CA", str(ca[0]), "-CAkey", str(ca[1]), "-CAcreateserial",
            "-out", str(cert), "-days", "2")
    return cert, key


def rfc2253_subject(cert):
    out = subprocess.run(["openssl", "x509", "-noout", "-subject", "-nameopt", "RFC2253", "-in", str(cert)],
                         check=True, capture_output=True, text=True).stdout.strip()
    return out.removeprefix("subject=")


@pytest.fixture
def mtls(tmp_path):
    server_cert, server_key = make_certificate(tmp_path, "maas-test-server")
    ca = make_certificate(tmp_path, "maas-test-client-ca")
    server = Maasd(tmp_path / "data", [*tls_args(server_cert, server_key), "--tls-client-ca-file", str(ca[0])],
                   ca_file=server_cert).start()
    yield server, ca, tmp_path
    assert server.stop() == 0, server.log()


def test_a_client_certificate_authenticates_as_the_key_bound_to_its_subject(mtls):
    server, ca, tmp = mtls
    cert = make_client_certificate(tmp, "ci", "/O=Example/CN=ci", ca)
    subject = rfc2253_subject(cert[0])
    assert subject == "CN=ci,O=Example"
    r = server.post("/api/v1/keys", json={"name": "ci", "role": "viewer", "certificate_subject": subject})
    assert r.status_code == 201, r.text
    key = r.json()
    assert key["certificate_subject"] == subject

    def call(method, path, **kw):
        return requests.request(method, server.url + path, cert=tuple(map(str, cert)), verify=server.ca_file,
                                timeout=60, **kw)

    who = call("GET", "/api/v1/whoami")
    assert who.status_code == 200, who.text
    assert who.json()["key_id"] == key["id"] and who.json()["role"] == "viewer"
    assert call("GET", "/api/v1/models").status_code == 200
    assert call("POST", "/api/v1/keys", json={"name": "x", "role": "admin"}).status_code == 403  # a viewer's grants
    # A bearer key sent beside the certificate is the one that counts.
    assert call("GET", "/api/v1/keys", headers=server.auth_headers).status_code == 200
    # Unbound, revoked: no longer that key.
    assert server.put(f"/api/v1/keys/{key['id']}/certificate", json={"certificate_subject": None}).status_code == 200
    assert call("GET", "/api/v1/whoami").status_code == 401
    assert server.put(f"/api/v1/keys/{key['id']}/certificate",
                      json={"certificate_subject": subject}).status_code == 200
    assert call("GET", "/api/v1/whoami").status_code == 200
    assert server.delete(f"/api/v1/keys/{key['id']}").status_code == 200
    assert call("GET", "/api/v1/whoami").status_code == 401


def test_an_unbound_subject_or_no_certificate_needs_a_key(mtls):
    server, ca, tmp = mtls
    cert = make_client_certificate(tmp, "stranger", "/O=Example/CN=stranger", ca)
    r = requests.get(server.url + "/api/v1/whoami", cert=tuple(map(str, cert)), verify=server.ca_file, timeout=60)
    assert r.status_code == 401 and "CN=stranger,O=Example" in error_of(r)["message"], r.text
    assert server.get("/api/v1/whoami", key=None).status_code == 401
    assert server.get("/api/v1/whoami").status_code == 200  # no certificate, a bearer key: served
    assert server.post("/api/v1/keys", json={"name": "bad", "role": "viewer",
                                             "certificate_subject": "ci"}).status_code == 400


def test_a_certificate_from_another_ca_is_refused(mtls):
    server, ca, tmp = mtls
    subject = "/O=Example/CN=ci"
    good = make_client_certificate(tmp, "ci", subject, ca)
    assert server.post("/api/v1/keys", json={"name": "ci", "role": "admin",
                                             "certificate_subject": rfc2253_subject(good[0])}).status_code == 201
    other_ca = make_certificate(tmp, "maas-test-other-ca")
    forged = make_client_certificate(tmp, "forged", subject, other_ca)
    with pytest.raises(requests.exceptions.ConnectionError):
        requests.get(server.url + "/api/v1/whoami", cert=tuple(map(str, forged)), verify=server.ca_file, timeout=60)
    r = requests.get(server.url + "/api/v1/whoami", cert=tuple(map(str, good)), verify=server.ca_file, timeout=60)
    assert r.status_code == 200, r.text


def test_a_client_ca_needs_tls_and_a_readable_file(maasd_factory, tmp_path):
    ca = make_certificate(tmp_path, "ca")
    server = maasd_factory(tmp_path / "plain", ["--tls-client-ca-file", str(ca[0])])
    with pytest.raises(RuntimeError, match="tls_client_ca_file needs server.tls_cert_file"):
        server.start()
    cert, key = make_certificate(tmp_path, "srv")
    missing = maasd_factory(tmp_path / "missing",
                            [*tls_args(cert, key), "--tls-client-ca-file", str(pathlib.Path(tmp_path) / "nope.pem")])
    with pytest.raises(RuntimeError, match="server.tls_client_ca_file"):
        missing.start()
