"""A large artifact streams to disk while it is hashed: the upload completes with the server's RSS growing by less
than 64 MB. The 2 GiB case runs in the release suite only (the `large` marker, conftest.py); under the sanitizers
the same path runs with 96 MiB, still many times the server's 1 MiB read chunk and its 64 MiB RSS bound."""
import hashlib
import os
import threading

import pytest

from gguf_file import write_gguf

MIB = 1024 ** 2


def sha256_of(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(8 << 20):
            h.update(chunk)
    return h.hexdigest()


@pytest.mark.parametrize("total_bytes", [pytest.param(2048 * MIB, id="2GiB", marks=pytest.mark.large),
                                         pytest.param(96 * MIB, id="96MiB")])
def test_large_upload_keeps_memory_bounded(maasd, tmp_path, total_bytes):
    path = write_gguf(tmp_path / "big.gguf", total_bytes)
    size = path.stat().st_size
    assert maasd.post("/api/v1/models", json={"name": "big"}).status_code == 201
    baseline = maasd.rss_bytes()
    peak = [baseline]
    done = threading.Event()

    def sample():
        while not done.is_set():
            peak[0] = max(peak[0], maasd.rss_bytes())
            done.wait(0.02)

    sampler = threading.Thread(target=sample)
    sampler.start()
    try:
        r = maasd.upload("big", path, framework="gguf")
    finally:
        done.set()
        sampler.join()
    assert r.status_code == 201, r.text
    version = r.json()
    assert version["size_bytes"] == size
    assert version["digest"] == "sha256:" + sha256_of(path)
    growth = peak[0] - baseline
    # AddressSanitizer keeps freed memory in quarantine (256 MiB by default), so RSS under it says nothing about
    # the server's real footprint; the bound is checked on the normal builds.
    if not os.environ.get("MAAS_SANITIZED"):
        assert growth < 64 * MIB, f"RSS grew by {growth / MIB:.1f} MiB during a {total_bytes // MIB} MiB upload"
    assert maasd.get("/api/v1/admin/store").json()["bytes"] == size
