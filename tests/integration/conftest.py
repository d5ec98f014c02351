"""Fixtures for integration tests: a real maasd on a loopback port with its own data dir, and real model files
made by the real frameworks (tests/fixtures/make_models.py)."""
import json
import os
import pathlib
import signal
import subprocess
import sys
import tempfile
import time

import pytest
import requests

ROOT = pathlib.Path(__file__).resolve().parents[2]
BIN_DIR = pathlib.Path(os.environ.get("MAAS_BIN_DIR", ROOT / "build" / "debug" / "bin"))
ADMIN_KEY = "maas_admintestkey_" + "0" * 32  # the admin key the test servers start with (MAAS_ADMIN_KEY)
START_TIMEOUT_S = 60  # generous: the ASan build starts slowly on a loaded 2-core machine


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "large: moves gigabytes; runs in the normal builds only, not under the sanitizers (MAAS_SANITIZED), "
        "which gain nothing from more bytes down the same path: a test marked so keeps a smaller case for them")


def pytest_collection_modifyitems(config, items):
    if not os.environ.get("MAAS_SANITIZED"):
        return
    skip = pytest.mark.skip(reason="a multi-gigabyte case: the release suite runs it (MAAS_SANITIZED is set)")
    for item in items:
        if "large" in item.keywords:
            item.add_marker(skip)


# Every maasd a test started, so that a failing test's report ends with what those servers logged.
_STARTED = []


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when == "call":
        if report.failed:
            for server in _STARTED:
                alive = "running" if server.proc and server.proc.poll() is None else f"exited {server.proc.returncode}"
                report.sections.append((f"maasd {server.data_dir} ({alive}): the end of its log", server.log()))
        _STARTED.clear()


class Maasd:
    """One maasd process. start() returns once it listens (it writes its address to a port file). With TLS
    (--tls-cert-file/--tls-key-file in extra_args) the port file says https://, and `ca_file` is what requests trust."""

    def __init__(self, data_dir, extra_args=(), env=None, ca_file=None):
        self.data_dir = pathlib.Path(data_dir)
        self.bin_dir = BIN_DIR
        self.extra_args = list(extra_args)
        # Every endpoint but health checks needs a key: the first admin key comes from MAAS_ADMIN_KEY.
        self.admin_key = (env or {}).get("MAAS_ADMIN_KEY", ADMIN_KEY)
        self.env = dict(os.environ, MAAS_ADMIN_KEY=self.admin_key, **(env or {}))
        self.proc = None
        self.url = None
        self.ca_file = str(ca_file) if ca_file else None
        self.log_path = self.data_dir.parent / (self.data_dir.name + ".maasd.log")

    def start(self):
        self.data_dir.mkdir(parents=True, exist_ok=True)
        port_file = self.data_dir.parent / (self.data_dir.name + ".addr")
        if port_file.exists():
            port_file.unlink()
        log = open(self.log_path, "ab")
        _STARTED.append(self)
        self.proc = subprocess.Popen(
            [str(BIN_DIR / "maasd"), "--listen", "127.0.0.1:0", "--data-dir", str(self.data_dir),
             "--port-file", str(port_file), "--log-format", "json", *self.extra_args],
            stdout=log, stderr=subprocess.STDOUT, env=self.env)
        deadline = time.monotonic() + START_TIMEOUT_S
        while not (port_file.exists() and port_file.read_text().strip()):
            if self.proc.poll() is not None:
                raise RuntimeError(f"maasd exited with {self.proc.returncode}: {self.log()}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"maasd did not start in {START_TIMEOUT_S}s: {self.log()}")
            time.sleep(0.02)
        address = port_file.read_text().strip()
        self.url = address if "://" in address else "http://" + address
        return self

    @property
    def host_port(self):
        host, port = self.url.split("://", 1)[1].rsplit(":", 1)
        return host, int(port)

    def log(self):
        return self.log_path.read_text(errors="replace")[-4000:] if self.log_path.exists() else ""

    def rss_bytes(self, field="VmRSS"):
        """Resident memory now, or its high-water mark with field="VmHWM" (which an allocation freed since still
        shows in)."""
        for line in open(f"/proc/{self.proc.pid}/status"):
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
        raise RuntimeError("no " + field)

    def kill9(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=30)

    def stop(self, timeout=60):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                raise
        return self.proc.returncode if self.proc else None

    # Small helpers over requests. They send the admin key unless `key=` names another (None: no key).
    def _request(self, method, path, timeout, key="admin", **kw):
        headers = dict(kw.pop("headers", None) or {})
        key = self.admin_key if key == "admin" else key
        if key is not None and "Authorization" not in headers:
            headers["Authorization"] = "Bearer " + key
        if self.ca_file:
            kw.setdefault("verify", self.ca_file)
        return requests.request(method, self.url + path, timeout=timeout, headers=headers, **kw)

    def get(self, path, **kw):
        return self._request("GET", path, 60, **kw)

    def post(self, path, **kw):
        return self._request("POST", path, 300, **kw)

    def put(self, path, **kw):
        return self._request("PUT", path, 60, **kw)

    def patch(self, path, **kw):
        return self._request("PATCH", path, 60, **kw)

    def delete(self, path, **kw):
        return self._request("DELETE", path, 60, **kw)

    @property
    def auth_headers(self):
        return {"Authorization": "Bearer " + self.admin_key}

    def upload(self, model, path_or_bytes, framework=None):
        params = {"framework": framework} if framework else {}
        headers = {"Content-Type": "application/octet-stream"}
        if isinstance(path_or_bytes, (bytes, bytearray)):
            return self.post(f"/api/v1/models/{model}/versions", params=params, data=path_or_bytes, headers=headers)
        with open(path_or_bytes, "rb") as f:
            return self.post(f"/api/v1/models/{model}/versions", params=params, data=f, headers=headers)


@pytest.fixture
def maasd(tmp_path):
    server = Maasd(tmp_path / "data").start()
    yield server
    rc = server.stop()
    assert rc == 0, f"maasd exited with {rc} on SIGTERM: {server.log()}"


@pytest.fixture
def maasd_factory(tmp_path):
    """For tests that restart a server on the same data dir or pass flags."""
    started = []

    def make(data_dir=None, extra_args=(), env=None, ca_file=None):
        server = Maasd(data_dir or tmp_path / f"data{len(started)}", extra_args, env, ca_file)
        started.append(server)
        return server

    yield make
    for server in started:
        if server.proc and server.proc.poll() is None:
            server.proc.kill()
            server.proc.wait()


@pytest.fixture(scope="session")
def models_dir():
    """Real model files. Uses MAAS_FIXTURES_DIR when ctest's fixture step made them, else makes them now."""
    existing = os.environ.get("MAAS_FIXTURES_DIR")
    if existing and (pathlib.Path(existing) / "manifest.json").exists():
        return pathlib.Path(existing)
    out = pathlib.Path(tempfile.mkdtemp(prefix="maas-fixtures-"))
    subprocess.run(["/usr/bin/python3", str(ROOT / "tests" / "fixtures" / "make_models.py"), str(out)], check=True)
    return out


def error_of(response):
    """The management API's error object, checked for shape."""
    body = response.json()
    assert set(body) == {"error"}, body
    assert set(body["error"]) == {"code", "message"}, body
    assert body["error"]["message"], body
    return body["error"]
