"""The job system end to end (docs/JOBS.md): a job kind added by a test in one file (tests/jobs/steps_kind.cc,
loaded with jobs.plugins) is submitted, watched, logged and cancelled; it survives a kill -9 of maasd by resuming
from its checkpoint; a killed job process is retried by its policy; a burst keeps to the slots, priorities and
per-key quotas; and the built-in artifacts.verify kind finds a blob corrupted on disk."""
import os
import signal

import pytest

from conftest import error_of
from fixture_names import GOOD
from serving import load, register
from jobs_client import (events_until, follow_logs, job, jobs_maasd, logs, submit, wait_for, wait_state)


def process_gone(pid):
    """The process has exited: a zombie, or reaped (possibly between the open and the read)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] in ("Z", "X")
    except (FileNotFoundError, ProcessLookupError):
        return True


@pytest.fixture
def server(maasd_factory):
    s = jobs_maasd(maasd_factory).start()
    yield s
    assert s.stop() == 0, s.log()


def make_key(server, role):
    r = server.post("/api/v1/keys", json={"name": f"{role} key", "role": role})
    assert r.status_code == 201, r.text
    return r.json()


def step_lines(lines):
    return [l["line"] for l in lines if l["line"].startswith("step ")]


def test_a_kind_from_a_plugin_is_listed_beside_the_built_in_ones(server):
    kinds = {k["name"]: k for k in server.get("/api/v1/jobs/kinds").json()["kinds"]}
    assert kinds["test.steps"]["max_attempts"] == 2
    assert kinds["artifacts.verify"]["resources"]["cpu_slots"] == 1


def test_progress_logs_events_and_result(server, tmp_path):
    gate = tmp_path / "gate"
    j = submit(server, params={"steps": 5, "pause_at": 3, "gate": str(gate)})
    assert j["state"] in ("queued", "running") and j["owner"] and j["attempts"] in (0, 1)
    paused = wait_for(lambda: (lambda v: v if v["progress"]["metrics"].get("step") == 3 else None)(job(server, j["id"])),
                      30, "the job to reach step 3")
    assert paused["state"] == "running"
    assert paused["progress"]["fraction"] == pytest.approx(0.6)
    assert paused["progress"]["message"] == "step 3"
    assert paused["process"]["pid"] > 0 and paused["process"]["resident_bytes"] > 0
    assert paused["checkpoint"] is True
    assert "eta_seconds" in paused["progress"]
    gate.touch()
    done = wait_state(server, j["id"], "succeeded")
    assert done["result"] == {"steps": 5, "resumed_from": 0, "attempt": 1}
    assert done["progress"]["fraction"] == 1 and done["error"] is None and done["finished_at"]
    assert "process" not in done

    lines = wait_for(lambda: (lambda ls: ls if any(l["source"] == "stderr" for l in ls) else None)(logs(server, j["id"])),
                     10, "the job's stderr line in its log")
    assert step_lines(lines) == [f"step {i} done" for i in range(1, 6)]
    assert {"line": "all 5 steps done", "source": "stderr", "attempt": 1} .items() <= next(
        l for l in lines if l["source"] == "stderr").items()
    assert events_until(server, j["id"], "job_succeeded") == ["job_submitted", "job_started", "job_succeeded"]
    metrics = server.get("/metrics").text
    assert 'maas_job_runs_total{kind="test.steps",result="succeeded"} 1' in metrics
    assert 'maas_process_exits_total{role="job",reason="clean"} 1' in metrics
    # The follow mode replays what was logged and ends with the job's state.
    followed, end = follow_logs(server, j["id"])
    assert step_lines(followed) == step_lines(lines) and end == {"state": "succeeded"}


def test_cancel_a_running_and_a_queued_job(maasd_factory, tmp_path):
    # One slot for jobs: the second job waits in the queue.
    server = jobs_maasd(maasd_factory, extra_args=["--jobs-slots", "2", "--jobs-serving-reserved-slots", "1"]).start()
    running = submit(server, params={"steps": 3, "pause_at": 0, "gate": str(tmp_path / "never")})
    wait_state(server, running["id"], "running")
    queued = submit(server, params={"steps": 1})
    assert job(server, queued["id"])["state"] == "queued"
    r = server.post(f"/api/v1/jobs/{queued['id']}/cancel")
    assert r.status_code == 200 and r.json()["state"] == "cancelled", r.text
    r = server.post(f"/api/v1/jobs/{running['id']}/cancel")
    assert r.status_code == 200 and r.json()["state"] in ("cancelling", "cancelled"), r.text
    done = wait_state(server, running["id"], "cancelled", 30)
    assert done["error"] is None and done["finished_at"]
    r = server.post(f"/api/v1/jobs/{running['id']}/cancel")
    assert r.status_code == 409 and "already been cancelled" in error_of(r)["message"]
    assert events_until(server, queued["id"], "job_cancelled") == ["job_submitted", "job_cancelled"]
    assert server.post("/api/v1/jobs/j-nothere/cancel").status_code == 404
    assert server.stop() == 0


def test_kill9_of_maasd_requeues_the_job_which_resumes_from_its_checkpoint(maasd_factory, tmp_path):
    gate = tmp_path / "gate"
    data = tmp_path / "data"
    record = tmp_path / "succeeded"
    first = jobs_maasd(maasd_factory, data_dir=data).start()
    j = submit(first, params={"steps": 8, "pause_at": 4, "gate": str(gate), "record": str(record)})
    before = wait_for(lambda: (lambda v: v if v["progress"]["metrics"].get("step") == 4 else None)(job(first, j["id"])),
                      30, "the job to reach step 4")
    pid = before["process"]["pid"]
    # Its log lines are written within a flush interval; a kill -9 loses what is still queued, so wait for them.
    wait_for(lambda: len(step_lines(logs(first, j["id"]))) == 4, 10, "the first four steps' lines")
    first.kill9()
    # The job process dies with maasd (PR_SET_PDEATHSIG), so nothing runs the job twice.
    wait_for(lambda: process_gone(pid), 10, "the job process to die with maasd")
    second = jobs_maasd(maasd_factory, data_dir=data).start()
    requeued = job(second, j["id"])
    assert requeued["interruptions"] == 1 and requeued["state"] in ("queued", "running")
    gate.touch()
    done = wait_state(second, j["id"], "succeeded")
    assert done["result"]["resumed_from"] == 4, "the second run started from the checkpoint, not from 0"
    assert done["attempts"] == 1 and done["interruptions"] == 1
    lines = wait_for(lambda: (lambda ls: ls if len(step_lines(ls)) == 8 else None)(logs(second, j["id"])), 10,
                     "every step's line")
    assert step_lines(lines) == [f"step {i} done" for i in range(1, 9)], "each step ran once"
    assert any(l["line"] == "attempt 1 starts at step 4" for l in lines)
    events = events_until(second, j["id"], "job_succeeded")
    assert events.count("job_requeued") == 1 and events.count("job_succeeded") == 1, events
    assert record.read_text() == j["id"] + "\n", "the kind's on_succeeded ran in maasd once"
    assert 'maas_job_runs_total{kind="test.steps",result="interrupted"} 1' in second.get("/metrics").text
    assert second.stop() == 0


def test_a_killed_job_process_is_retried_by_its_policy_then_fails(server, tmp_path):
    j = submit(server, params={"steps": 2, "pause_at": 0, "gate": str(tmp_path / "never")})
    first = wait_for(lambda: (lambda v: v if v["state"] == "running" and "process" in v else None)(job(server, j["id"])),
                     30, "the first attempt's process")
    os.kill(first["process"]["pid"], signal.SIGKILL)
    second = wait_for(lambda: (lambda v: v if v["attempts"] == 2 and "process" in v else None)(job(server, j["id"])),
                      30, "the second attempt")
    assert second["process"]["pid"] != first["process"]["pid"]
    os.kill(second["process"]["pid"], signal.SIGKILL)
    failed = wait_state(server, j["id"], "failed", 30)
    assert failed["attempts"] == 2
    assert "killed by signal 9 (SIGKILL)" in failed["error"]
    events = events_until(server, j["id"], "job_failed")
    assert events == ["job_submitted", "job_started", "job_retried", "job_started", "job_failed"], events
    lines = [l["line"] for l in logs(server, j["id"]) if l["source"] == "maasd"]
    assert lines[0] == ("attempt 1 failed: the job process stopped before it finished: killed by signal 9 (SIGKILL); "
                        "retrying in 250 ms")
    metrics = server.get("/metrics").text
    assert 'maas_job_runs_total{kind="test.steps",result="retried"} 1' in metrics
    assert 'maas_process_exits_total{role="job",reason="signal"} 2' in metrics


def test_a_burst_keeps_to_the_slots_the_priorities_and_the_per_key_quotas(maasd_factory, tmp_path):
    server = jobs_maasd(maasd_factory, extra_args=[
        "--jobs-slots", "4", "--jobs-serving-reserved-slots", "1",  # 3 slots for jobs
        "--jobs-max-running-per-key", "2", "--jobs-max-queued-per-key", "8"]).start()
    a, b = make_key(server, "deployer"), make_key(server, "deployer")
    gate = tmp_path / "gate"
    hold = {"steps": 1, "pause_at": 0, "gate": str(gate)}
    blockers = [submit(server, params=hold, key=k["key"]) for k in (a, a, b)]
    for blocker in blockers:
        wait_state(server, blocker["id"], "running")
    burst = []
    for key, priorities in ((a, [3, 1, 4, 1, 5, 9, 2, 6]), (b, [5, 3, 5, 8, 9, 7, 9, 3])):
        for p in priorities:
            burst.append(submit(server, params={"steps": 1}, key=key["key"], priority=p))
    r = server.post("/api/v1/jobs", key=a["key"], json={"kind": "test.steps"})
    assert r.status_code == 429 and error_of(r)["code"] == "RESOURCE_EXHAUSTED", r.text
    assert "jobs.max_queued_per_key" in error_of(r)["message"]
    assert 'maas_job_slots{state="available"} 3' in server.get("/metrics").text
    gate.touch()
    done = [wait_state(server, j["id"], "succeeded") for j in blockers + burst]

    def most_at_once(jobs):
        points = sorted([(j["started_at"], 1) for j in jobs] + [(j["finished_at"], -1) for j in jobs],
                        key=lambda p: (p[0], p[1]))  # an end and a start at the same instant do not overlap
        peak = now = 0
        for _, delta in points:
            now += delta
            peak = max(peak, now)
        return peak

    assert most_at_once(done) == 3, "never more jobs than slots"
    for key in (a, b):
        mine = [j for j in done if j["owner"] == key["id"]]
        assert most_at_once(mine) <= 2, "never more than the key's running quota"
        # Within a key, higher priority (then older) started first.
        queued = [j for j in mine if j["id"] not in {x["id"] for x in blockers}]
        by_start = sorted(queued, key=lambda j: j["started_at"])
        ranked = sorted(queued, key=lambda j: (-j["priority"], [x["id"] for x in burst].index(j["id"])))
        assert [j["started_at"] for j in by_start] == [j["started_at"] for j in ranked]
    assert server.stop() == 0


def test_roles_owners_and_bad_submissions(server, tmp_path):
    viewer, mine, other = make_key(server, "viewer"), make_key(server, "deployer"), make_key(server, "deployer")
    r = server.post("/api/v1/jobs", key=viewer["key"], json={"kind": "test.steps"})
    assert r.status_code == 403
    j = submit(server, params={"steps": 1, "pause_at": 0, "gate": str(tmp_path / "never")}, key=mine["key"])
    assert j["owner"] == mine["id"]
    assert server.get(f"/api/v1/jobs/{j['id']}", key=viewer["key"]).status_code == 200
    assert server.get("/api/v1/jobs", key=viewer["key"], params={"owner": mine["id"]}).json()["jobs"][0]["id"] == j["id"]
    r = server.post(f"/api/v1/jobs/{j['id']}/cancel", key=other["key"])
    assert r.status_code == 403 and "only an admin" in error_of(r)["message"]
    assert server.post(f"/api/v1/jobs/{j['id']}/cancel", key=mine["key"]).status_code == 200
    wait_state(server, j["id"], "cancelled")
    bad = [
        ({"kind": 3}, "'kind'"),
        ({"params": {}}, "'kind'"),
        ({"kind": "nope"}, "unknown job kind 'nope'"),
        ({"kind": "test.steps", "params": []}, "'params'"),
        ({"kind": "test.steps", "params": {"stepz": 1}}, "no parameter 'stepz'"),
        ({"kind": "test.steps", "params": {"steps": "many"}}, "wrong type"),
        ({"kind": "test.steps", "priority": 1e9}, "'priority'"),
        ({"kind": "test.steps", "priority": None, "cpu_slots": 99}, "a job may use 1 to"),
        ({"kind": "test.steps", "extra": 1}, "unknown field 'extra'"),
        ({"kind": "artifacts.verify", "params": {"x": 1}}, "takes no parameters"),
    ]
    for body, phrase in bad:
        r = server.post("/api/v1/jobs", json=body)
        assert r.status_code == 400, (body, r.status_code, r.text)
        assert phrase in error_of(r)["message"], (body, r.text)
    assert server.get("/api/v1/jobs/j-nothere").status_code == 404
    assert server.get("/api/v1/jobs", params={"state": "sleeping"}).status_code == 400
    assert server.get("/api/v1/jobs", params={"before": "j-nothere"}).status_code == 404


def test_listing_pages_newest_first_with_filters(server):
    ids = [submit(server, params={"steps": 1})["id"] for _ in range(5)]
    for i in ids:
        wait_state(server, i, "succeeded")
    page = server.get("/api/v1/jobs", params={"limit": 2, "kind": "test.steps"}).json()
    assert [j["id"] for j in page["jobs"]] == ids[::-1][:2]
    rest = server.get("/api/v1/jobs", params={"limit": 10, "before": page["next_before"]}).json()
    assert [j["id"] for j in rest["jobs"]] == ids[::-1][2:]
    assert "next_before" not in rest
    assert server.get("/api/v1/jobs", params={"state": "failed"}).json()["jobs"] == []


def test_artifact_verification_finds_a_corrupt_and_a_missing_blob(server, models_dir):
    assert server.post("/api/v1/models", json={"name": "cancer"}).status_code == 201
    version = server.upload("cancer", models_dir / GOOD["xgboost-json"], framework="xgboost").json()
    digest = version["digest"].split(":", 1)[1]
    clean = wait_state(server, submit(server, kind="artifacts.verify")["id"], "succeeded")
    assert clean["result"] == {"checked": 1, "bytes": version["size_bytes"], "corrupt": [], "missing": [], "ok": True}
    assert clean["params"]["expected"] == [digest]

    blob = server.data_dir / "artifacts" / "blobs" / "sha256" / digest[:2] / digest
    os.chmod(blob, 0o644)
    content = bytearray(blob.read_bytes())
    content[100] ^= 0xFF
    blob.write_bytes(bytes(content))
    corrupt = wait_state(server, submit(server, kind="artifacts.verify")["id"], "succeeded")
    assert corrupt["result"]["corrupt"] == [digest] and corrupt["result"]["ok"] is False
    wait_for(lambda: any(f"sha256:{digest} is corrupt" in l["line"] for l in logs(server, corrupt["id"])), 10,
             "the corrupt blob in the job's log")

    blob.unlink()
    missing = wait_state(server, submit(server, kind="artifacts.verify")["id"], "succeeded")
    assert missing["result"]["missing"] == [digest] and missing["result"]["checked"] == 0


def test_serving_and_jobs_share_the_slots(maasd_factory, models_dir, tmp_path):
    # 4 slots, 1 reserved for serving: jobs may have 3 until a model's workers use more than the reserve.
    server = jobs_maasd(maasd_factory, extra_args=["--jobs-slots", "4", "--jobs-serving-reserved-slots", "1"]).start()

    def available():
        line = next(l for l in server.get("/metrics").text.splitlines() if l.startswith('maas_job_slots{state="available"}'))
        return int(float(line.split()[-1]))

    assert available() == 3
    register(server, "bc", models_dir / GOOD["xgboost-json"])
    load(server, "bc", instances=1, threads=3)
    assert available() == 1, "serving's workers use 3 threads: jobs get what is left"
    # A job that asks for two slots waits while serving holds them, and runs once they are given back.
    big = submit(server, params={"steps": 1}, cpu_slots=2)
    assert job(server, big["id"])["state"] == "queued"
    assert server.post("/v2/repository/models/bc/unload").status_code == 200
    wait_state(server, big["id"], "succeeded")
    # Workers that use every slot still leave jobs their guaranteed one (jobs.guaranteed_slots, default 1).
    load(server, "bc", instances=1, threads=4)
    assert available() == 1
    small = submit(server, params={"steps": 1})
    wait_state(server, small["id"], "succeeded")
    assert server.stop() == 0
