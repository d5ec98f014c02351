"""train.torch when things die (issue 14's acceptance): kill -9 of maasd mid-training — the job process dies with
it, the next maasd requeues the job, which resumes from its checkpoint (the resume line names a step past 0) and
registers exactly one model version; kill -9 of the job's process, again and again — the job is retried as its kind
is configured (train.torch: 3 attempts) and then fails, while a served model answers every request throughout."""
import os
import pathlib
import re
import signal
import threading

import numpy as np
import pandas as pd

from jobs_client import job, logs, submit, wait_for, wait_state
from serving import infer, load, register
from test_train_torch import body_of
from test_train_xgboost import upload

NETWORK = {"layers": [{"type": "linear", "out": 64}, {"type": "relu"}, {"type": "linear", "out": 64},
                      {"type": "relu"}, {"type": "linear", "out": 1}]}


def long_body(server, epochs):
    rng = np.random.RandomState(4)
    frame = pd.DataFrame(rng.normal(size=(20000, 20)), columns=[f"f{i}" for i in range(20)])
    frame["y"] = frame["f0"] * 2 + np.sin(frame["f1"] * 3) + rng.normal(scale=0.3, size=len(frame))
    v = upload(server, "long", frame)
    body = body_of("long", "long", v, None, NETWORK, "mse", epochs, 32, 1e-3, 2, checkpoint_every=50)
    del body["validation"]
    return body


def checkpointed(server, job_id, attempt=None):
    """The job while it runs with a checkpoint saved (by attempt `attempt`, when given) and a live process."""
    def ready():
        x = job(server, job_id)
        if x["state"] != "running" or not x.get("checkpoint") or not x.get("process"):
            return None
        return x if attempt is None or x["attempts"] == attempt else None
    return wait_for(ready, 300, f"a checkpoint of job {job_id}")


def resume_steps(server, job_id):
    steps = []
    for line in logs(server, job_id):
        m = re.search(r"resuming at epoch (\d+), step (\d+)", line["line"])
        if m:
            steps.append(int(m.group(2)))
    return steps


def test_kill9_of_maasd_mid_training_requeues_the_torch_job_which_resumes_and_registers_one_version(
        maasd_factory, tmp_path):
    data = tmp_path / "data"
    first = maasd_factory(data_dir=data, extra_args=["--jobs-slots", "3"]).start()
    body = long_body(first, epochs=3)
    j = submit(first, "train.torch", body)
    pid = checkpointed(first, j["id"])["process"]["pid"]
    first.kill9()
    wait_for(lambda: not pathlib.Path(f"/proc/{pid}").exists(), 10, "the job process to die with maasd")
    second = maasd_factory(data_dir=data, extra_args=["--jobs-slots", "3"]).start()
    try:
        done = wait_state(second, j["id"], {"succeeded", "failed"}, timeout_s=600)
        assert done["state"] == "succeeded", done.get("error")
        assert done["interruptions"] == 1 and done["attempts"] == 1
        # It resumed from its checkpoint, not from step 0.
        wait_for(lambda: resume_steps(second, j["id"]), 30, "the resume line")
        assert resume_steps(second, j["id"])[0] >= 50
        versions = second.get("/api/v1/models/long/versions").json()["versions"]
        assert len(versions) == 1 and versions[0]["lineage"]["run_id"] == j["id"]
    finally:
        assert second.stop() == 0


def test_killing_the_job_process_retries_as_configured_then_fails_while_serving_answers(maasd_factory, models_dir):
    server = maasd_factory(extra_args=["--jobs-slots", "3"]).start()
    try:
        register(server, "served", models_dir / "xgb_breast_cancer.json")
        load(server, "served")
        rows = np.random.RandomState(0).normal(size=(4, 30)).astype(np.float32)
        statuses, stop = [], threading.Event()

        def client():
            while not stop.is_set():
                statuses.append(infer(server, "served", {"input": rows}).status_code)

        body = long_body(server, epochs=50)
        max_attempts = next(k for k in server.get("/api/v1/jobs/kinds").json()["kinds"]
                            if k["name"] == "train.torch")["max_attempts"]
        thread = threading.Thread(target=client)
        thread.start()
        try:
            j = submit(server, "train.torch", body)
            for attempt in range(1, max_attempts + 1):
                running = checkpointed(server, j["id"], attempt)
                # A retry is killed once it has resumed from the checkpoint (its resume line is logged).
                wait_for(lambda: len(resume_steps(server, j["id"])) >= attempt - 1, 120, "the retry to resume")
                os.kill(running["process"]["pid"], signal.SIGKILL)
            done = wait_state(server, j["id"], {"succeeded", "failed"}, timeout_s=120)
        finally:
            stop.set()
            thread.join()
        assert done["state"] == "failed" and done["attempts"] == max_attempts, done
        # Each retry resumed from the checkpoint before it.
        wait_for(lambda: len(resume_steps(server, j["id"])) == max_attempts - 1, 30, "the resume lines")
        assert all(step >= 50 for step in resume_steps(server, j["id"]))
        r = server.get("/api/v1/models/long/versions")  # nothing registered (the model is not even created)
        assert r.status_code == 404 or r.json()["versions"] == [], r.text
        assert len(statuses) > 10 and set(statuses) == {200}, statuses[:20]
    finally:
        assert server.stop() == 0
