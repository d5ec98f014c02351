"""maasd as an HTTP server: health, identity, errors, keep-alive and pipelining, limits, configuration
precedence, and the graceful drain on SIGTERM."""
import concurrent.futures
import json
import socket
import subprocess
import threading

import pytest
import requests

from conftest import BIN_DIR, Maasd, error_of
from fixture_names import GOOD


def raw_exchange(host, port, payload, expect_responses=1, timeout=30):
    """Sends raw bytes and reads until `expect_responses` complete responses (Content-Length framed) arrive."""
    with socket.create_connection((host, port), timeout=timeout) as s:
        s.sendall(payload)
        data = b""
        responses = []
        while len(responses) < expect_responses:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
            while b"\r\n\r\n" in data:
                head, rest = data.split(b"\r\n\r\n", 1)
                length = 0
                for line in head.split(b"\r\n")[1:]:
                    name, _, value = line.partition(b":")
                    if name.strip().lower() == b"content-length":
                        length = int(value.strip())
                if len(rest) < length:
                    break
                responses.append((head.decode(), rest[:length]))
                data = rest[length:]
        return responses


def test_health_and_version(maasd):
    r = maasd.get("/api/v1/health")
    assert r.status_code == 200 and r.json() == {"status": "ok"}
    v = maasd.get("/api/v1/version").json()
    assert v["name"] == "maas" and v["version"] and v["uptime_seconds"] >= 0


def test_unknown_route_and_method_get_json_errors(maasd):
    r = maasd.get("/api/v1/nope")
    assert r.status_code == 404 and error_of(r)["code"] == "NOT_FOUND"
    r = maasd.put("/api/v1/models")
    assert r.status_code == 405 and error_of(r)["code"] == "METHOD_NOT_ALLOWED"
    assert "GET" in r.headers["Allow"] and "POST" in r.headers["Allow"]
    host, port = maasd.host_port  # raw, because requests would re-encode the bad escape
    (head, body), = raw_exchange(host, port, b"GET /api/v1/models/%zz HTTP/1.1\r\nHost: x\r\n\r\n")
    assert head.split(" ")[1] == "400" and "percent" in json.loads(body)["error"]["message"]


def test_request_id_is_echoed_or_generated(maasd):
    r = maasd.get("/api/v1/health", headers={"X-Request-Id": "abc-123"})
    assert r.headers["X-Request-Id"] == "abc-123"
    r = maasd.get("/api/v1/health", headers={"X-Request-Id": "bad id with spaces"})
    assert r.headers["X-Request-Id"] != "bad id with spaces" and len(r.headers["X-Request-Id"]) == 16


def test_pipelined_requests_are_answered_in_order(maasd):
    host, port = maasd.host_port
    auth = f"Authorization: Bearer {maasd.admin_key}\r\n".encode()
    payload = (b"GET /api/v1/models/first HTTP/1.1\r\nHost: x\r\n" + auth + b"\r\n"
               b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\n\r\n"
               b"GET /api/v1/models/third HTTP/1.1\r\nHost: x\r\n" + auth + b"\r\n")
    responses = raw_exchange(host, port, payload, expect_responses=3)
    assert [h.split(" ")[1] for h, _ in responses] == ["404", "200", "404"]
    assert "first" in json.loads(responses[0][1])["error"]["message"]
    assert "third" in json.loads(responses[2][1])["error"]["message"]


def test_keep_alive_reuses_one_connection(maasd):
    with requests.Session() as s:
        for _ in range(20):
            assert s.get(maasd.url + "/api/v1/health").status_code == 200


def test_oversized_json_body_and_headers_are_rejected(maasd):
    r = maasd.post("/api/v1/models", data=b"{" + b" " * (2 << 20) + b"}", headers={"Content-Type": "application/json"})
    assert r.status_code == 413 and error_of(r)["code"] == "PAYLOAD_TOO_LARGE"
    host, port = maasd.host_port
    big = b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * (64 << 10) + b"\r\n\r\n"
    responses = raw_exchange(host, port, big)
    assert responses and responses[0][0].split(" ")[1] == "413"
    assert maasd.get("/api/v1/health").status_code == 200


def test_a_rejected_body_the_client_still_sends_does_not_destroy_the_answer(maasd):
    # The 413 goes out before the body is read. Closing with unread bytes would make the kernel reset the
    # connection, and the client, still sending, would see a broken pipe instead of the answer.
    host, port = maasd.host_port
    body = b"x" * (8 << 20)
    head = (b"POST /api/v1/models HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Authorization: Bearer " + maasd.admin_key.encode() + b"\r\n"
            b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n")
    responses = raw_exchange(host, port, head + body)
    assert responses and responses[0][0].split(" ")[1] == "413"
    assert b"limits.max_json_body_bytes" in responses[0][1]


def test_garbage_on_the_wire_gets_400_and_the_server_keeps_serving(maasd):
    host, port = maasd.host_port
    responses = raw_exchange(host, port, b"THIS IS NOT HTTP\r\n\r\n")
    assert responses and responses[0][0].split(" ")[1] == "400"
    assert maasd.get("/api/v1/health").status_code == 200


def test_flags_override_environment_which_overrides_yaml(tmp_path):
    config = tmp_path / "maasd.yaml"
    config.write_text("server:\n  listen: 127.0.0.1:1\nlimits:\n  max_json_body_bytes: 100\n"
                      "log:\n  level: warn\n")
    # YAML says 100-byte bodies; the environment raises it to 2 KiB; --listen from Maasd (a flag) beats YAML's port 1.
    server = Maasd(tmp_path / "data", ["--config", str(config)], env={"MAAS_MAX_JSON_BODY_BYTES": "2KiB"}).start()
    try:
        body = json.dumps({"name": "m", "description": "x" * 1000})
        assert server.post("/api/v1/models", data=body, headers={"Content-Type": "application/json"}).status_code == 201
        big = json.dumps({"name": "n", "description": "x" * 3000})
        assert server.post("/api/v1/models", data=big, headers={"Content-Type": "application/json"}).status_code == 413
    finally:
        assert server.stop() == 0


def test_invalid_configuration_fails_at_start_with_a_clear_message(tmp_path):
    cases = [
        (["--listen", "nonsense"], "server.listen"),
        (["--max-artifact-bytes", "12XB"], "unknown unit"),
        (["--log-level", "loud"], "log.level"),
    ]
    for args, needle in cases:
        p = subprocess.run([str(BIN_DIR / "maasd"), "--data-dir", str(tmp_path / "d"), *args],
                           capture_output=True, text=True, timeout=60)
        assert p.returncode == 2, (args, p.stderr)
        assert needle in p.stderr, (args, p.stderr)
    bad_yaml = tmp_path / "bad.yaml"
    bad_yaml.write_text("server:\n  listne: 127.0.0.1:9\n")
    p = subprocess.run([str(BIN_DIR / "maasd"), "--config", str(bad_yaml)], capture_output=True, text=True, timeout=60)
    assert p.returncode == 2 and "unknown setting 'server.listne'" in p.stderr


@pytest.mark.parametrize("threads", [1, 3])
def test_sigterm_drains_an_upload_in_flight(maasd_factory, models_dir, threads):
    # With 3 I/O loops the connection may be on a loop other than the main one: the drain must wait for it too.
    server = maasd_factory(extra_args=["--threads", str(threads)]).start()
    assert server.post("/api/v1/models", json={"name": "drain"}).status_code == 201
    artifact = (models_dir / GOOD["xgboost-json"]).read_bytes()
    host, port = server.host_port
    head = (f"POST /api/v1/models/drain/versions?framework=xgboost HTTP/1.1\r\nHost: x\r\n"
            f"Authorization: Bearer {server.admin_key}\r\n"
            f"Content-Type: application/octet-stream\r\nContent-Length: {len(artifact)}\r\n\r\n").encode()
    sock = socket.create_connection((host, port), timeout=60)
    sock.sendall(head + artifact[: len(artifact) // 2])
    # Wait until the handler is streaming the body (its temp file exists): the request is in flight, and SIGTERM
    # must let it finish. (A connection whose request has not been read yet counts as idle and is closed.)
    tmp = server.data_dir / "artifacts" / "tmp"
    for _ in range(3000):
        if tmp.exists() and any(tmp.iterdir()):
            break
        threading.Event().wait(0.01)
    server.proc.send_signal(15)
    # New connections are refused once the listener closes; wait for that as the sign that draining began.
    for _ in range(500):
        try:
            socket.create_connection((host, port), timeout=1).close()
        except OSError:
            break
        threading.Event().wait(0.01)
    sock.sendall(artifact[len(artifact) // 2:])
    data = b""
    while b"\r\n\r\n" not in data:
        data += sock.recv(65536)
    assert data.split(b" ")[1] == b"201", data[:500]
    assert b"connection: close" in data.lower()
    sock.close()
    assert server.proc.wait(timeout=60) == 0


def test_several_event_loops_serve_concurrent_connections(maasd_factory, models_dir):
    """--threads 3: connections are handed to three event loops in turn; requests on every loop reach the model
    runner (on the main loop) and come back right, and SIGTERM ends the server cleanly."""
    import numpy as np
    import xgboost as xgb
    from serving import infer, load, register
    from v2_client import decode_response
    from sklearn.datasets import load_breast_cancer

    server = maasd_factory(extra_args=["--threads", "3"]).start()
    register(server, "loops", models_dir / GOOD["xgboost-json"])
    load(server, "loops")
    rows = load_breast_cancer().data[:12].astype(np.float32)
    expected = xgb.Booster(model_file=str(models_dir / GOOD["xgboost-json"])).predict(xgb.DMatrix(rows))

    def client(i):
        # A connection per request, handed to the loops in turn: all three serve some of them.
        got = []
        for _ in range(25):
            r = infer(server, "loops", {"input": rows[i:i + 1]})
            assert r.status_code == 200, r.text
            got.append(float(decode_response(r)[1]["output"].reshape(-1)[0]))
        return got

    with concurrent.futures.ThreadPoolExecutor(12) as pool:
        results = list(pool.map(client, range(12)))
    for i, got in enumerate(results):
        assert got == [float(expected[i])] * 25
    assert server.stop() == 0
