"""Real peers the tests start beside maasd (Prometheus, Loki, promtool): free ports and polling with deadlines."""
import re
import socket
import subprocess
import time


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def poll(fn, timeout_s=30, interval_s=0.05, what="condition"):
    """Calls fn until it returns something truthy; fails after timeout_s with the last value."""
    deadline = time.monotonic() + timeout_s
    last = None
    while time.monotonic() < deadline:
        last = fn()
        if last:
            return last
        time.sleep(interval_s)
    raise AssertionError(f"{what} not reached in {timeout_s}s (last: {last!r})")


def metric(maasd, name, **labels):
    """The value of the first series of `name` in /metrics whose labels include `labels`; None when none."""
    text = maasd.get("/metrics").text
    for line in text.splitlines():
        m = re.match(r"^(\w+)(?:\{(.*)\})? (\S+)$", line)
        if not m or m.group(1) != name:
            continue
        got = dict(re.findall(r'(\w+)="([^"]*)"', m.group(2) or ""))
        if all(got.get(k) == v for k, v in labels.items()):
            return float(m.group(3))
    return None


class Process:
    """A peer process with its output in a file, stopped on exit from the with-block."""

    def __init__(self, args, log_path):
        self.log_path = log_path
        self.proc = subprocess.Popen(args, stdout=open(log_path, "wb"), stderr=subprocess.STDOUT)

    def log(self):
        return open(self.log_path, errors="replace").read()[-3000:]

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
