"""kill -9 of maasd in the middle of an upload, at several points, then a restart on the same data dir: no
partial version is visible, the store is consistent (no temp files, no orphan or corrupt blobs), and a retried
upload succeeds."""
import hashlib
import socket
import time

import pytest

from gguf_file import write_gguf

SIZE = 48 * 1024 * 1024


def wait_for(predicate, timeout=60):
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "condition not reached in time"
        time.sleep(0.01)


def temp_bytes(server):
    tmp = server.data_dir / "artifacts" / "tmp"
    return sum(p.stat().st_size for p in tmp.iterdir()) if tmp.exists() else 0


def check_consistent(server, expected_digest):
    versions = server.get("/api/v1/models/crash/versions").json()["versions"]
    for v in versions:
        # A version that is visible is complete: its blob hashes to its digest and is the full file.
        assert v["digest"] == "sha256:" + expected_digest
        assert server.get(f"/api/v1/models/crash/versions/{v['version']}/artifact").status_code == 200
    state = server.get("/api/v1/admin/store").json()
    assert state["temp_files"] == 0
    assert state["blobs"] == len({v["digest"] for v in versions})
    assert server.post("/api/v1/admin/store/verify").json()["corrupt"] == []
    return versions


@pytest.mark.parametrize("point", ["after_headers", "mid_body", "after_body"])
def test_kill9_during_upload_then_restart(maasd_factory, tmp_path, point):
    artifact = write_gguf(tmp_path / "model.gguf", SIZE).read_bytes()
    digest = hashlib.sha256(artifact).hexdigest()
    data_dir = tmp_path / "data"
    server = maasd_factory(data_dir=data_dir).start()
    assert server.post("/api/v1/models", json={"name": "crash"}).status_code == 201
    host, port = server.host_port
    sock = socket.create_connection((host, port), timeout=60)
    sock.sendall((f"POST /api/v1/models/crash/versions?framework=gguf HTTP/1.1\r\nHost: x\r\n"
                  f"Authorization: Bearer {server.admin_key}\r\n"
                  f"Content-Type: application/octet-stream\r\nContent-Length: {len(artifact)}\r\n\r\n").encode())
    if point == "mid_body":
        sock.sendall(artifact[: SIZE // 2])
        wait_for(lambda: temp_bytes(server) > SIZE // 4)  # the server is writing the temp file
    elif point == "after_body":
        sock.sendall(artifact)
    server.kill9()
    sock.close()

    restarted = maasd_factory(data_dir=data_dir).start()
    before = check_consistent(restarted, digest)
    assert len(before) <= 1
    r = restarted.upload("crash", artifact, framework="gguf")
    assert r.status_code == 201, r.text
    assert r.json()["digest"] == "sha256:" + digest
    after = check_consistent(restarted, digest)
    assert len(after) == len(before) + 1
    assert restarted.stop() == 0
