"""kill -9 of a model worker, of either kind — a tensor version's (XGBoost) or a generative version's (GGUF) — is
answered the same way: once maasd sees it (a tensor worker's under its next batch, a generative worker's when its
channel closes), the supervisor's one restart policy brings the worker back after the same backoff (250 ms for the
first restart, 500 ms for the second), with the same events in the version's timeline, the same counts in its
statistics, and the supervisor's process metrics counting every start."""
import os
import signal
import time

import numpy as np
import pytest

from llm_server import tiny_model_path
from serving import infer, load, register

DEADLINE = 180 if os.environ.get("MAAS_SANITIZED") else 60


def poll(predicate, what):
    deadline = time.monotonic() + DEADLINE
    while True:
        value = predicate()
        if value:
            return value
        assert time.monotonic() < deadline, f"{what}: not within {DEADLINE} s"
        time.sleep(0.05)


def dead(pid):
    """The process has exited (a zombie until the supervisor reaps it, or gone)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] in ("Z", "X")
    except (FileNotFoundError, ProcessLookupError):  # reaped between the open and the read
        return True


def instance(maasd):
    [stats] = maasd.get("/v2/models/m/stats").json()["model_stats"]
    [only] = stats["instances"]
    return stats, only


def crashes(maasd):
    timeline = maasd.get("/api/v1/models/m/versions/1/events").json()["events"]
    return [e for e in timeline if e["event"] == "worker_crashed"], [e for e in timeline if e["event"] == "worker_restarted"]


def process_metric(maasd, name, role):
    for line in maasd.get("/metrics").text.splitlines():
        if line.startswith(name + "{") and f'role="{role}"' in line and "reason=" not in line:
            return float(line.rsplit(" ", 1)[1])
    return 0.0


@pytest.mark.parametrize("kind", ["tensor", "generative"])
def test_kill9_of_either_kind_of_worker_restarts_it_by_the_one_backoff(maasd, models_dir, kind):
    if kind == "tensor":
        register(maasd, "m", models_dir / "xgb_iris.json")
        load(maasd, "m")
        role = "model"
    else:
        register(maasd, "m", tiny_model_path())
        load(maasd, "m", context=256, max_sequences=2)
        role = "llm"
    assert process_metric(maasd, "maas_process_starts_total", role) == 1
    for restart, delay_ms in [(1, 250), (2, 500)]:
        _, before = instance(maasd)
        os.kill(before["pid"], signal.SIGKILL)
        poll(lambda: dead(before["pid"]), "the worker's death")
        if kind == "tensor":
            # Its only replica is dead: the batch fails (the one request is not retried elsewhere).
            r = infer(maasd, "m", {"input": np.ones((1, 4), np.float32)})
            assert r.status_code == 503 and "crashed" in r.json()["error"], r.text

        def back():
            stats, now = instance(maasd)
            ready = maasd.get("/v2/models/m/ready").status_code == 200
            return ready and now["alive"] and now["pid"] != before["pid"] and stats
        stats = poll(back, f"restart {restart}")
        assert stats["worker_restarts"] == restart, stats
        crashed, restarted = poll(lambda: (lambda c, r: (c, r) if len(r) == restart else None)(*crashes(maasd)),
                                  "the restart's events")
        assert len(crashed) == restart, crashed
        assert crashed[-1]["reason"] == (f"worker 0 killed by signal 9 (SIGKILL); restart {restart} in {delay_ms} ms")
        assert restarted[-1]["reason"] == "worker 0 restarted"
    assert process_metric(maasd, "maas_process_starts_total", role) == 3
    assert process_metric(maasd, "maas_processes", role) == 1
