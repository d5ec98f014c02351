"""Studies with a built-in objective (docs/HPO.md): trials run as train.cv jobs in the job pool, each round's test
metric reported to the pruner, the final CV mean told; the best trial registers as a model version naming the study
and trial; ASHA prunes trials (each job asks at every round and stops when told) and spends fewer boosting rounds
than no pruning, the same trials pruned on every run."""
import pytest
from sklearn import datasets

from jobs_client import wait_for, wait_state
from test_train_cv import frame_of
from test_train_xgboost import upload

SPACE = {"max_depth": {"type": "int", "low": 1, "high": 6},
         "eta": {"type": "float", "low": 0.01, "high": 0.5, "log": True}}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    from conftest import Maasd
    s = Maasd(tmp_path_factory.mktemp("studies") / "data", extra_args=["--jobs-slots", "3"]).start()
    upload(s, "cancer", frame_of(datasets.load_breast_cancer))
    yield s
    assert s.stop() == 0


def objective(rounds, parallel=2):
    return {"kind": "train.cv", "metric": "logloss", "parallel": parallel,
            "params": {"dataset": "cancer", "label": "y", "num_boost_round": rounds,
                       "params": {"objective": "binary:logistic", "eval_metric": "logloss"},
                       "cv": {"strategy": "stratified", "folds": 3}}}


def finished(server, name, total):
    def done():
        study = server.get(f"/api/v1/studies/{name}").json()
        counts = study["trials"]
        return study if counts["total"] == total and counts["running"] == 0 else None
    return wait_for(done, 600, f"study {name} to finish {total} trials")


def test_a_train_cv_study_completes_and_registers_its_best_trial(server):
    r = server.post("/api/v1/studies", json={"name": "cv", "directions": ["minimize"], "space": SPACE,
                                             "sampler": {"name": "random", "seed": 1}, "budget": {"trials": 4},
                                             "objective": objective(8)})
    assert r.status_code == 201, r.text
    # Clients do not ask a study that runs its own trials.
    assert server.post("/api/v1/studies/cv/trials").status_code == 409
    study = finished(server, "cv", 4)
    assert study["trials"]["complete"] == 4, study["trials"]
    trials = server.get("/api/v1/studies/cv/trials").json()["trials"]
    for t in trials:
        job = server.get(f"/api/v1/jobs/{t['job_id']}").json()
        assert job["kind"] == "train.cv" and job["state"] == "succeeded"
        assert job["params"]["train"]["params"]["max_depth"] == str(t["params"]["max_depth"])
        # The told value is the job's last round's test-logloss-mean.
        assert t["values"] == [job["result"]["curve"][-1]["test-logloss-mean"]]
        assert [v["value"] for v in t["intermediate_values"]] == [
            row["test-logloss-mean"] for row in job["result"]["curve"]], t
    best = study["best_trial"]
    assert best["values"][0] == min(t["values"][0] for t in trials)
    r = server.post("/api/v1/studies/cv/register")
    assert r.status_code == 202, r.text
    done = wait_state(server, r.json()["id"], {"succeeded", "failed"}, timeout_s=300)
    assert done["state"] == "succeeded", done.get("error")
    version = server.get("/api/v1/models/cv/versions/latest").json()
    assert f"best trial {best['number']} of study 'cv'" in version["lineage"]["recipe"]["description"]
    assert version["lineage"]["parameters"]["max_depth"] == str(best["params"]["max_depth"])


def run_study(server, name, pruner, seed=5, trials=9):
    """Runs a one-at-a-time study to its end: its trials and the boosting rounds their jobs trained."""
    r = server.post("/api/v1/studies", json={"name": name, "directions": ["minimize"], "space": SPACE,
                                             "sampler": {"name": "random", "seed": seed}, "pruner": pruner,
                                             "budget": {"trials": trials}, "objective": objective(60, parallel=1)})
    assert r.status_code == 201, r.text
    study = finished(server, name, trials)
    listed = server.get(f"/api/v1/studies/{name}/trials").json()["trials"]
    spent = 0
    for t in listed:
        # A pruned trial's job stops at the round the pruner decided on and succeeds with what it trained. The trial
        # is pruned when the pruner answers; its job ends just after (it still writes its result).
        job = wait_state(server, t["job_id"], {"succeeded", "failed", "cancelled"}, timeout_s=120)
        assert job["state"] == "succeeded", job
        spent += job["result"]["rounds"]
        if t["state"] == "pruned":
            assert job["result"]["pruned_at_round"] == t["intermediate_values"][-1]["step"]
            assert job["result"]["rounds"] == t["intermediate_values"][-1]["step"] + 1
    return study, listed, spent


ASHA = {"name": "asha", "min_resource": 5, "reduction_factor": 3}


def test_asha_spends_fewer_rounds_than_no_pruning(server):
    none_study, _, none_rounds = run_study(server, "asha-none", {"name": "none"})
    asha_study, trials, asha_rounds = run_study(server, "asha-asha", ASHA)
    # Each job waits at every round for the pruner's decision, so the trials pruned (and the rounds saved) do not
    # depend on how fast the machine trains.
    assert any(t["state"] == "pruned" for t in trials), trials
    assert asha_rounds < none_rounds, (asha_rounds, none_rounds)
    # The same sampler seed asks the same trials: the best of the unpruned ones is close to no pruning's best.
    best = {"none": none_study["best_trial"]["values"][0], "asha": asha_study["best_trial"]["values"][0]}
    assert best["asha"] <= best["none"] * 1.25, best
    print("rounds", {"none": none_rounds, "asha": asha_rounds}, "best", best)


def test_the_pruned_trials_are_the_same_on_every_run(server):
    """Pruning is decided inside the job, round by round: two runs of the same study prune the same trials at the
    same rounds and keep the same values, however loaded the machine is."""
    runs = []
    for name in ("again-1", "again-2"):
        _, trials, spent = run_study(server, name, ASHA, seed=11, trials=8)
        runs.append(([(t["state"], len(t["intermediate_values"]), t["values"]) for t in trials], spent))
    assert runs[0] == runs[1], runs
    assert any(state == "pruned" for state, _, _ in runs[0][0]), runs[0]


def test_a_job_cannot_report_to_a_trial_it_does_not_run(server):
    r = server.post("/api/v1/studies", json={"name": "other", "directions": ["minimize"], "space": SPACE,
                                             "sampler": {"name": "random", "seed": 1}, "budget": {"trials": 1},
                                             "objective": objective(5, parallel=1)})
    assert r.status_code == 201, r.text
    finished(server, "other", 1)
    params = objective(5)["params"] | {"study_trial": {"study": "other", "trial": 0, "metric": "test-logloss-mean"}}
    r = server.post("/api/v1/jobs", json={"kind": "train.cv", "params": params})
    assert r.status_code == 201, r.text
    job = wait_state(server, r.json()["id"], {"succeeded", "failed"}, timeout_s=300)
    assert job["state"] == "failed" and "does not run trial 0" in job["error"], job
    assert server.get("/api/v1/studies/other/trials/0").json()["state"] == "complete"


def test_a_built_in_study_continues_after_kill_9(tmp_path):
    from conftest import Maasd
    data = tmp_path / "data"
    server = Maasd(data, extra_args=["--jobs-slots", "3"]).start()
    try:
        upload(server, "cancer", frame_of(datasets.load_breast_cancer))
        r = server.post("/api/v1/studies", json={"name": "k9", "directions": ["minimize"], "space": SPACE,
                                                 "sampler": {"name": "random", "seed": 2}, "budget": {"trials": 3},
                                                 "objective": objective(300, parallel=1)})
        assert r.status_code == 201, r.text

        def first_job_running():
            trials = server.get("/api/v1/studies/k9/trials").json()["trials"]
            if not trials or not trials[0]["job_id"]:
                return None
            job = server.get(f"/api/v1/jobs/{trials[0]['job_id']}").json()
            return trials[0] if job["state"] == "running" else None
        first = wait_for(first_job_running, 120, "trial 0's job to run")
        server.kill9()
    finally:
        if server.proc.poll() is None:
            server.proc.kill()
    # The job process may outlive maasd for a moment; the new maasd requeues the job and the driver follows it.
    server = Maasd(data, extra_args=["--jobs-slots", "3"]).start()
    try:
        study = finished(server, "k9", 3)
        trials = server.get("/api/v1/studies/k9/trials").json()["trials"]
        assert [t["number"] for t in trials] == [0, 1, 2]
        assert all(t["state"] == "complete" for t in trials), [t["state"] for t in trials]
        assert trials[0]["job_id"] == first["job_id"] and trials[0]["params"] == first["params"]
        assert server.get(f"/api/v1/jobs/{first['job_id']}").json()["interruptions"] >= 1
        assert study["best_trial"] is not None
    finally:
        assert server.stop() == 0


def test_a_full_job_queue_does_not_ask_trials_past_parallel(tmp_path):
    """With one job slot and one queued job allowed per key, a parallel=3 study's submits meet 429s for passes on end:
    the trial it asked waits for its job, and no further trial is asked (nor run) past `parallel` meanwhile."""
    from conftest import Maasd
    server = Maasd(tmp_path / "data", extra_args=["--jobs-slots", "1", "--jobs-serving-reserved-slots", "0",
                                                   "--jobs-max-queued-per-key", "1"]).start()
    try:
        upload(server, "cancer", frame_of(datasets.load_breast_cancer))
        r = server.post("/api/v1/studies", json={"name": "full", "directions": ["minimize"], "space": SPACE,
                                                 "sampler": {"name": "random", "seed": 3}, "budget": {"trials": 6},
                                                 "objective": objective(300, parallel=3)})
        assert r.status_code == 201, r.text
        peak = {"running": 0}

        def done():
            counts = server.get("/api/v1/studies/full").json()["trials"]
            peak["running"] = max(peak["running"], counts["running"])
            assert counts["running"] <= 3, counts
            return counts if counts["total"] == 6 and counts["running"] == 0 else None
        counts = wait_for(done, 600, "study full to finish 6 trials")
        assert counts["complete"] == 6, counts
        assert peak["running"] == 3, peak
        trials = server.get("/api/v1/studies/full/trials").json()["trials"]
        assert [t["number"] for t in trials] == [0, 1, 2, 3, 4, 5]
    finally:
        assert server.stop() == 0
