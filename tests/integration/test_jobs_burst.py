"""A burst of 50 real jobs (predict.batch over a small dataset version, from two keys, random priorities) against a
maasd with 3 job slots and a running quota of 2 per key (issue 14's acceptance). Read from the job records' running
intervals (started_at .. finished_at), not sampled: never more jobs running than slots, never more of one key than
its quota, and a job never starts while a job of higher priority that was already queued waits — unless that job's
key was at its quota at that instant. And job processes run at jobs.nice below serving."""
import pathlib
from datetime import datetime

import numpy as np
import pandas as pd

from jobs_client import job, jobs_maasd, submit, wait_for, wait_state
from serving import register
from test_jobs import make_key
from test_train_xgboost import upload

SLOTS, QUOTA, JOBS = 3, 2, 50
# started_at is stamped just after the scheduler admits a job: a job submitted within this margin before another's
# start may have arrived after that decision.
MARGIN_MS = 20


def ms(stamp):
    return datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp() * 1000


def running_at(jobs, instant):
    """The jobs of `jobs` running at `instant` (a start at the instant counts; an end at it does not)."""
    return [j for j in jobs if j["started_at"] <= instant < j["finished_at"]]


def test_a_burst_of_50_real_jobs_keeps_to_the_slots_the_quotas_and_the_priorities(maasd_factory, tmp_path):
    import xgboost as xgb
    server = maasd_factory(extra_args=["--jobs-slots", str(SLOTS + 1), "--jobs-serving-reserved-slots", "1",
                                       "--jobs-max-running-per-key", str(QUOTA),
                                       "--jobs-max-queued-per-key", str(JOBS)]).start()
    try:
        rng = np.random.RandomState(7)
        frame = pd.DataFrame(rng.normal(size=(200, 4)), columns=["a", "b", "c", "d"])
        upload(server, "burst-in", frame)
        booster = xgb.train({"nthread": 1}, xgb.DMatrix(frame.to_numpy(), label=rng.normal(size=200)), 5)
        booster.save_model(str(tmp_path / "m.json"))
        register(server, "burst", tmp_path / "m.json")
        keys = [make_key(server, "deployer"), make_key(server, "deployer")]
        submitted = []
        for i in range(JOBS):
            key = keys[i % 2]
            r = server.post("/api/v1/jobs", key=key["key"], json={
                "kind": "predict.batch", "priority": int(rng.randint(0, 10)),
                "params": {"model": "burst", "dataset": "burst-in", "features": ["a", "b", "c", "d"],
                           "into": f"burst-out-{i % 2}"}})
            assert r.status_code == 201, r.text
            submitted.append(r.json())
        done = [wait_state(server, j["id"], "succeeded", timeout_s=600) for j in submitted]
        assert len(server.get("/api/v1/datasets/burst-out-0/versions").json()["versions"]) == JOBS // 2

        for j in done:
            assert len(running_at(done, j["started_at"])) <= SLOTS, "more jobs than slots"
            mine = [x for x in done if x["owner"] == j["owner"]]
            assert len(running_at(mine, j["started_at"])) <= QUOTA, "more than the key's running quota"
        # No priority inversion: when `y` started, every higher-priority job `x` already queued had started, or
        # its key was at its quota.
        inversions = []
        for y in done:
            for x in done:
                waiting = ms(x["created_at"]) + MARGIN_MS < ms(y["started_at"]) and y["started_at"] < x["started_at"]
                if x["priority"] > y["priority"] and waiting:
                    theirs = [z for z in done if z["owner"] == x["owner"]]
                    if len(running_at(theirs, y["started_at"])) < QUOTA:
                        inversions.append((x["id"], x["priority"], y["id"], y["priority"], y["started_at"]))
        assert not inversions, inversions
        # The burst queued behind full slots, so the checks above were put to the test.
        assert sum(len(running_at(done, j["created_at"])) == SLOTS for j in done) > JOBS // 2
        assert max(len(running_at(done, j["started_at"])) for j in done) == SLOTS
    finally:
        assert server.stop() == 0


def nice_of(pid):
    stat = pathlib.Path(f"/proc/{pid}/stat").read_text()
    return int(stat[stat.rindex(")") + 2:].split()[16])  # field 19: nice


def test_job_processes_run_at_jobs_nice_below_serving(maasd_factory, tmp_path):
    for configured in (None, 0):
        extra = ["--jobs-nice", str(configured)] if configured is not None else []
        server = jobs_maasd(maasd_factory, extra_args=extra).start()
        try:
            gate = tmp_path / f"gate-{configured}"
            j = submit(server, params={"steps": 1, "pause_at": 0, "gate": str(gate)})
            running = wait_for(lambda: (lambda x: x if x.get("process") else None)(job(server, j["id"])), 60,
                               "the job's process")
            expected = 10 if configured is None else 0
            assert nice_of(running["process"]["pid"]) == nice_of(server.proc.pid) + expected
            gate.touch()
            wait_state(server, j["id"], "succeeded")
        finally:
            assert server.stop() == 0
