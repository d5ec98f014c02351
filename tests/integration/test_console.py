"""The web console (src/console/, console/): maasd serves its built files at /ui/ with caching headers, gzip, a
fallback to index.html for the app's routes, security headers and nothing outside the build; /api/v1/whoami tells
any key its role; and the app itself works in a real browser (tests/console/browser.test.mjs, Debian's chromium
driven by playwright-core), which also measures the first page's size and time to interactive."""
import gzip
import http.client
import json
import os
import re
import shutil
import subprocess

import pytest

from conftest import BIN_DIR, ROOT, Maasd
from fixture_names import GOOD  # noqa: F401  (the fixtures the browser test uploads are made with these)
from jobs_client import STEPS_PLUGIN

CONSOLE_DIR = BIN_DIR.parent / "share" / "maas" / "console"
ARTIFACTS = BIN_DIR.parent / "console-artifacts"
needs_build = pytest.mark.skipif(not (CONSOLE_DIR / "index.html").exists(),
                                 reason="the console was not built (scripts/setup.sh installs console/node_modules)")


def raw_get(server, path, headers=None):
    """A GET sent as written: no client-side normalisation of '..' or percent escapes."""
    host, port = server.host_port
    conn = http.client.HTTPConnection(host, port, timeout=30)
    conn.request("GET", path, headers=headers or {})
    r = conn.getresponse()
    body = r.read()
    conn.close()
    return r.status, {k.lower(): v for k, v in r.getheaders()}, body


def assets_of(index_html):
    return re.findall(r'(?:src|href)="(/ui/assets/[^"]+)"', index_html)


@needs_build
def test_files_are_served_with_caching_compression_and_security_headers(maasd):
    status, headers, body = raw_get(maasd, "/ui/")
    assert status == 200
    assert headers["content-type"] == "text/html; charset=utf-8"
    assert headers["cache-control"] == "no-cache"  # index.html names the current assets: always revalidated
    csp = headers["content-security-policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
    assert headers["x-content-type-options"] == "nosniff" and headers["x-frame-options"] == "DENY"
    assert b"<script" in body and b"<script>" not in body  # no inline script: CSP would refuse it
    assets = assets_of(body.decode())
    assert any(a.endswith(".js") for a in assets) and any(a.endswith(".css") for a in assets), assets
    for asset in assets:
        status, plain_headers, plain = raw_get(maasd, asset, {"Accept-Encoding": "identity"})
        assert status == 200 and "content-encoding" not in plain_headers
        assert plain_headers["cache-control"] == "public, max-age=31536000, immutable"
        status, gz_headers, packed = raw_get(maasd, asset, {"Accept-Encoding": "br, gzip;q=0.8"})
        assert status == 200 and gz_headers["content-encoding"] == "gzip" and gz_headers["vary"] == "Accept-Encoding"
        assert gzip.decompress(packed) == plain and len(packed) < len(plain)
        assert raw_get(maasd, asset, {"Accept-Encoding": "gzip;q=0"})[1].get("content-encoding") is None
        # Revalidation: the same ETag whatever the coding; a match is a 304 without a body.
        assert gz_headers["etag"] == plain_headers["etag"]
        status, _, empty = raw_get(maasd, asset, {"If-None-Match": plain_headers["etag"]})
        assert status == 304 and empty == b""
    js = next(a for a in assets if a.endswith(".js"))
    assert raw_get(maasd, js)[1]["content-type"] == "text/javascript; charset=utf-8"


@needs_build
def test_app_routes_fall_back_to_index_and_nothing_outside_the_build_is_served(maasd):
    index = raw_get(maasd, "/ui/")[2]
    for route in ("/ui/models/iris", "/ui/services/fraud/", "/ui/logs"):
        status, _, body = raw_get(maasd, route)
        assert (status, body) == (200, index), route
    # A file name that is not in the build is a 404, not the app.
    assert raw_get(maasd, "/ui/assets/app-NOTTHERE.js")[0] == 404
    assert raw_get(maasd, "/ui/favicon.ico")[0] == 404
    # Escapes from the build directory, written in every way a path can be.
    (maasd.data_dir / "secret.txt").write_text("not for the web")
    for path in ("/ui/../data/secret.txt", "/ui/%2e%2e/%2e%2e/etc/passwd", "/ui/assets/..%2f..%2findex.html",
                 "/ui/..%2f..%2f..%2fetc%2fpasswd", "/ui/assets/%5c..%5cindex.html", "/ui/./index.html",
                 "/ui/%00", "/ui/assets/%0a"):
        status, _, body = raw_get(maasd, path)
        assert status in (400, 404), (path, status)
        assert b"root:" not in body and b"not for the web" not in body
    # / and /ui lead to the app; the files need no key, the API still does.
    status, headers, _ = raw_get(maasd, "/")
    assert status == 302 and headers["location"] == "/ui/"
    assert raw_get(maasd, "/ui")[1]["location"] == "/ui/"
    assert raw_get(maasd, "/api/v1/models")[0] == 401


def test_whoami_tells_each_key_its_own_role(maasd):
    me = maasd.get("/api/v1/whoami").json()
    assert me["role"] == "admin" and me["key_id"] == "admin"
    for role in ("deployer", "invoker", "viewer"):
        created = maasd.post("/api/v1/keys", json={"name": role + " one", "role": role, "services": ["fraud"],
                                                   "rate_limit": {"rps": 5}, "quota": {"daily_requests": 10}}).json()
        me = maasd.get("/api/v1/whoami", key=created["key"]).json()
        assert me == {"key_id": created["id"], "name": role + " one", "role": role, "services": ["fraud"],
                      "rate_limit": {"rps": 5.0, "burst": 5.0, "tpm": 0.0},
                      "quota": {"daily_requests": 10, "monthly_requests": 0, "monthly_tokens": 0}}, me
        assert maasd.delete("/api/v1/keys/" + created["id"]).status_code == 200
        assert maasd.get("/api/v1/whoami", key=created["key"]).status_code == 401
    assert maasd.get("/api/v1/whoami", key=None).status_code == 401


def test_console_settings(tmp_path, maasd_factory):
    off = maasd_factory(extra_args=["--console-enabled", "false"]).start()
    assert raw_get(off, "/ui/")[0] == 404
    assert off.stop() == 0
    # A console.dir that was set must hold a build: maasd refuses to start rather than serve nothing.
    bad = maasd_factory(extra_args=["--console-dir", str(tmp_path / "nowhere")])
    with pytest.raises(RuntimeError, match="console.dir"):
        bad.start()
    # Another build: only its regular files are served, never what a symbolic link in it points at.
    build = tmp_path / "build"
    (build / "assets").mkdir(parents=True)
    (build / "index.html").write_text("<!doctype html><title>other</title>")
    (tmp_path / "outside.txt").write_text("outside")
    os.symlink(tmp_path / "outside.txt", build / "assets" / "link.txt")
    other = maasd_factory(extra_args=["--console-dir", str(build)]).start()
    assert raw_get(other, "/ui/")[2] == b"<!doctype html><title>other</title>"
    assert raw_get(other, "/ui/assets/link.txt")[0] == 404
    assert other.stop() == 0


def test_the_consoles_arithmetic():
    """Rates, quantiles, chart columns and request building (tests/console/logic.test.mjs), without a browser."""
    if not shutil.which("node"):
        pytest.skip("node is missing (scripts/setup.sh installs it)")
    run = subprocess.run(["node", "--test", str(ROOT / "tests" / "console" / "logic.test.mjs")], capture_output=True,
                         text=True, timeout=120)
    assert run.returncode == 0, run.stdout + run.stderr


@needs_build
def test_the_console_in_a_browser(tmp_path, models_dir):
    chromium = shutil.which("chromium")
    if not chromium or not (ROOT / "console" / "node_modules" / "playwright-core").exists():
        pytest.skip("chromium or playwright-core is missing (scripts/setup.sh installs both)")
    env = dict(os.environ, MAAS_FIXTURES_DIR=str(models_dir), MAAS_CONSOLE_ARTIFACTS=str(ARTIFACTS), CHROMIUM=chromium)
    # A tiny random-weight llama for the chat playground, when this build has the LLM engine.
    if (BIN_DIR / "maas-tiny-gguf").exists() and (BIN_DIR / "backends" / "libmaas_backend_gguf.so").exists():
        gguf = tmp_path / "tiny-chat.gguf"
        subprocess.run([str(BIN_DIR / "maas-tiny-gguf"), "--out", str(gguf), "--layers", "2", "--width", "64",
                        "--context", "512", "--name", "tiny-chat"], check=True, capture_output=True, timeout=120)
        env["MAAS_CHAT_MODEL_FILE"] = str(gguf)
    # The jobs page follows a job of the test kind (steps with progress and log lines) when it is built. Jobs get the
    # CPU slots the loaded workers leave, none on 2 cores once the test has loaded its versions: more slots here.
    jobs = ["--jobs-slots", "8"] + (["--jobs-plugins", str(STEPS_PLUGIN)] if STEPS_PLUGIN.exists() else [])
    server = Maasd(tmp_path / "data", extra_args=jobs).start()
    try:
        env.update(MAAS_URL=server.url, MAAS_API_KEY=server.admin_key)
        run = subprocess.run(["node", "--test", "--test-reporter=spec", "--test-concurrency=1",
                              str(ROOT / "tests" / "console" / "browser.test.mjs")],
                             env=env, capture_output=True, text=True, timeout=600)
        print(run.stdout[-6000:])
        assert run.returncode == 0, run.stdout[-12000:] + run.stderr[-4000:] + server.log()
        measures = json.loads((ARTIFACTS / "measures.json").read_text())
        print("console measures:", json.dumps(measures))
        assert measures["first_page"]["gzip_bytes"] <= 300 * 1024
    finally:
        assert server.stop() == 0, server.log()
