"""Helpers for the job system's tests: a maasd with the test job kinds (tests/jobs/*_kind.cc) loaded, and waits
that poll the API for a condition with a deadline."""
import json
import os
import time

import requests

from conftest import BIN_DIR

SLOW = 3 if os.environ.get("MAAS_SANITIZED") else 1
PLUGINS_DIR = BIN_DIR.parent / "plugins"
STEPS_PLUGIN = PLUGINS_DIR / "libmaas_jobs_steps.so"


def jobs_maasd(factory, data_dir=None, extra_args=(), env=None):
    """A maasd (not started) that loads the test.steps kind."""
    return factory(data_dir=data_dir, extra_args=["--jobs-plugins", str(STEPS_PLUGIN), *extra_args], env=env)


def wait_for(condition, timeout_s, what):
    """Polls `condition` until it returns something truthy; fails naming `what` after the deadline."""
    deadline = time.monotonic() + timeout_s * SLOW
    last = None
    while time.monotonic() < deadline:
        last = condition()
        if last:
            return last
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}; last: {last}")


def submit(server, kind="test.steps", params=None, key="admin", **fields):
    r = server.post("/api/v1/jobs", key=key, json={"kind": kind, "params": params or {}, **fields})
    assert r.status_code == 201, r.text
    return r.json()


def job(server, job_id, key="admin"):
    r = server.get(f"/api/v1/jobs/{job_id}", key=key)
    assert r.status_code == 200, r.text
    return r.json()


def wait_state(server, job_id, states, timeout_s=60):
    states = {states} if isinstance(states, str) else set(states)
    return wait_for(lambda: (lambda j: j if j["state"] in states else None)(job(server, job_id)), timeout_s,
                    f"job {job_id} to be {states}")


def logs(server, job_id):
    r = server.get(f"/api/v1/jobs/{job_id}/logs")
    assert r.status_code == 200, r.text
    return r.json()["lines"]


def job_events(server, job_id):
    """The job's events from the log center, oldest first."""
    query = '{job="maasd", kind="event"} | json | job_id="%s"' % job_id
    r = server.get("/loki/api/v1/query_range", params={"query": query, "since": "1h", "limit": 1000})
    assert r.status_code == 200, r.text
    entries = [(int(ts), json.loads(line)) for s in r.json()["data"]["result"] for ts, line in s["values"]]
    return [e for _, e in sorted(entries, key=lambda x: x[0])]


def follow_logs(server, job_id, timeout_s=60):
    """Reads the SSE stream of a job's logs until its end event; returns (lines, end)."""
    lines, end, event = [], None, None
    with requests.get(server.url + f"/api/v1/jobs/{job_id}/logs", params={"follow": "true"},
                      headers=server.auth_headers, stream=True, timeout=timeout_s * SLOW) as r:
        assert r.status_code == 200, r.text
        for raw in r.iter_lines(decode_unicode=True):
            if raw.startswith("event: "):
                event = raw[len("event: "):]
            elif raw.startswith("data: "):
                data = json.loads(raw[len("data: "):])
                if event == "end":
                    end = data
                    break
                if event is None:
                    lines.append(data)
                event = None
    return lines, end


def events_until(server, job_id, event, timeout_s=10):
    """The names of the job's events once `event` is among them (records reach the log center within a flush)."""
    return wait_for(lambda: (lambda names: names if event in names else None)(
        [e["event"] for e in job_events(server, job_id)]), timeout_s, f"event {event} of job {job_id}")
