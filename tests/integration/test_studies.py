"""Hyperparameter studies over HTTP (docs/HPO.md): ask-and-tell with the random sampler, unique numbers under
concurrent asks, reports and the median pruner, strict bodies, budgets, and a study that survives kill -9."""
import concurrent.futures
import math

from conftest import error_of

SPACE = {
    "x": {"type": "float", "low": -5, "high": 5},
    "y": {"type": "float", "low": 1e-3, "high": 10, "log": True},
    "n": {"type": "int", "low": 1, "high": 9, "step": 2},
    "c": {"type": "categorical", "choices": ["a", "b"]},
    "z": {"type": "float", "low": 0, "high": 1, "step": 0.25, "condition": {"param": "c", "in": ["b"]}},
}


def in_space(params):
    """The params hold exactly the active parameters of SPACE, each a valid value."""
    expected = {"x", "y", "n", "c"} | ({"z"} if params.get("c") == "b" else set())
    assert set(params) == expected, params
    assert -5 <= params["x"] <= 5
    assert 1e-3 <= params["y"] <= 10
    assert params["n"] in (1, 3, 5, 7, 9) and isinstance(params["n"], int)
    assert params["c"] in ("a", "b")
    if "z" in params:
        assert params["z"] in (0, 0.25, 0.5, 0.75, 1)


def create(server, name, **fields):
    body = {"name": name, "directions": ["minimize"], "space": SPACE, "sampler": {"name": "random", "seed": 3}}
    body.update(fields)
    r = server.post("/api/v1/studies", json=body)
    assert r.status_code == 201, r.text
    return r.json()


def ask(server, study):
    r = server.post(f"/api/v1/studies/{study}/trials")
    assert r.status_code == 201, r.text
    return r.json()


def tell(server, study, number, **body):
    return server.post(f"/api/v1/studies/{study}/trials/{number}/tell", json=body)


def quadratic(p):
    return (p["x"] - 1.5) ** 2 + (math.log10(p["y"]) - 0.5) ** 2


def test_ask_and_tell_optimizes_a_quadratic(maasd):
    study = create(maasd, "quad")
    assert study["best_trial"] is None and study["trials"]["total"] == 0
    values = []
    for i in range(120):
        trial = ask(maasd, "quad")
        assert trial["number"] == i
        in_space(trial["params"])
        value = quadratic(trial["params"])
        values.append(value)
        r = tell(maasd, "quad", trial["number"], values=[value])
        assert r.status_code == 200 and r.json()["state"] == "complete", r.text
    got = maasd.get("/api/v1/studies/quad").json()
    assert got["trials"] == {"total": 120, "running": 0, "complete": 120, "pruned": 0, "failed": 0}
    assert got["best_trial"]["values"] == [min(values)]
    assert got["best_trial"]["number"] == values.index(min(values))
    assert min(values) < 0.3  # random search over 120 trials finds the neighbourhood of (1.5, 10^0.5)
    # Paged trials, in number order.
    first = maasd.get("/api/v1/studies/quad/trials", params={"limit": 50}).json()
    assert [t["number"] for t in first["trials"]] == list(range(50)) and first["next_after"] == 49
    rest = maasd.get("/api/v1/studies/quad/trials", params={"after": 49, "limit": 1000}).json()
    assert [t["number"] for t in rest["trials"]] == list(range(50, 120)) and rest["next_after"] is None
    # A page that ends exactly at the last trial says there is no next page (not one empty page more).
    last = maasd.get("/api/v1/studies/quad/trials", params={"after": 49, "limit": 70}).json()
    assert [t["number"] for t in last["trials"]] == list(range(50, 120)) and last["next_after"] is None
    assert maasd.get("/api/v1/studies/quad/trials", params={"limit": 1001}).status_code == 400
    one = maasd.get("/api/v1/studies/quad/trials/7").json()
    assert one["values"] == [values[7]] and one["finished_at"] and one["job_id"] is None
    # The same seed asks the same parameters in another study.
    create(maasd, "quad2")
    assert ask(maasd, "quad2")["params"] == first["trials"][0]["params"]
    # Telling twice: 409 naming the state.
    r = tell(maasd, "quad", 0, values=[1.0])
    assert r.status_code == 409 and "already complete" in error_of(r)["message"]
    listed = maasd.get("/api/v1/studies").json()["studies"]
    assert [s["name"] for s in listed] == ["quad", "quad2"]
    assert maasd.delete("/api/v1/studies/quad2").status_code == 204
    assert maasd.get("/api/v1/studies/quad2").status_code == 404


def test_concurrent_asks_get_unique_numbers(maasd):
    create(maasd, "busy")
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        trials = list(pool.map(lambda _: ask(maasd, "busy"), range(64)))
    assert sorted(t["number"] for t in trials) == list(range(64))


def test_multi_objective_best_trials_are_the_pareto_front(maasd):
    create(maasd, "mo", directions=["minimize", "maximize"])
    told = {}
    for values in ([1, 1], [2, 3], [3, 2], [0.5, 0.5], [2, 3]):
        trial = ask(maasd, "mo")
        assert tell(maasd, "mo", trial["number"], values=values).status_code == 200
        told[trial["number"]] = values
    got = maasd.get("/api/v1/studies/mo").json()
    assert got["best_trial"] is None
    # [3, 2] is dominated by [2, 3]; [1, 1] and [0.5, 0.5] and both [2, 3] are not dominated.
    assert [t["number"] for t in got["best_trials"]] == [0, 1, 3, 4]


def test_median_pruner_prunes_trials_worse_than_the_median(maasd):
    create(maasd, "pr", pruner={"name": "median", "n_startup_trials": 2})
    # Two complete trials with values 1.0 and 3.0 at each step: the median is 2.0.
    for level in (1.0, 3.0):
        trial = ask(maasd, "pr")
        for step in range(3):
            r = maasd.post(f"/api/v1/studies/pr/trials/{trial['number']}/report", json={"step": step, "value": level})
            assert r.json() == {"prune": False}, r.text
        assert tell(maasd, "pr", trial["number"], values=[level]).status_code == 200
    good = ask(maasd, "pr")
    bad = ask(maasd, "pr")
    report = lambda t, step, value: maasd.post(f"/api/v1/studies/pr/trials/{t}/report",
                                               json={"step": step, "value": value})
    assert report(good["number"], 0, 1.5).json() == {"prune": False}
    assert report(bad["number"], 0, 2.5).json() == {"prune": True}
    got = maasd.get(f"/api/v1/studies/pr/trials/{bad['number']}").json()
    assert got["state"] == "pruned" and got["intermediate_values"] == [{"step": 0, "value": 2.5}]
    # A pruned trial takes no more reports; telling it pruned again is accepted, values are not.
    assert report(bad["number"], 1, 0.1).status_code == 409
    assert tell(maasd, "pr", bad["number"], state="pruned").status_code == 200
    assert tell(maasd, "pr", bad["number"], values=[0.1]).status_code == 409
    assert tell(maasd, "pr", good["number"], state="failed").json()["state"] == "failed"


def test_bad_bodies_are_400s_naming_the_field(maasd):
    def create_error(body):
        r = maasd.post("/api/v1/studies", json=body)
        assert r.status_code == 400, (body, r.text)
        return error_of(r)["message"]

    base = {"name": "s", "directions": ["minimize"], "space": {"x": {"type": "float", "low": 0, "high": 1}}}
    assert "name" in create_error({k: v for k, v in base.items() if k != "name"})
    assert "directions" in create_error({**base, "directions": ["down"]})
    assert "directions" in create_error({**base, "directions": []})
    assert "space.x" in create_error({**base, "space": {"x": {"type": "float", "low": 2, "high": 1}}})
    assert "unknown sampler 'nope'" in create_error({**base, "sampler": {"name": "nope"}})
    assert "pruner.n_startup_trials" in create_error({**base, "pruner": {"name": "median", "n_startup_trials": -1}})
    assert "budget.trials" in create_error({**base, "budget": {"trials": 0}})
    assert "colour" in create_error({**base, "colour": "red"})
    assert "objective.kind" in create_error({**base, "objective": {"kind": "shell"}})
    create(maasd, "s2")
    trial = ask(maasd, "s2")
    url = f"/api/v1/studies/s2/trials/{trial['number']}"
    for body, field in (({"step": -1, "value": 1}, "step"), ({"step": 1}, "value"), ({"step": 1.5, "value": 1}, "step"),
                        ({"step": 1, "value": "x"}, "value"), ({"step": 1, "value": 1, "extra": 1}, "extra")):
        r = maasd.post(url + "/report", json=body)
        assert r.status_code == 400 and field in error_of(r)["message"], (body, r.text)
    for body, field in (({"values": [1, 2]}, "values"), ({"values": ["a"]}, "values[0]"), ({}, "values"),
                        ({"state": "running"}, "state"), ({"state": "failed", "values": [1]}, "values")):
        r = maasd.post(url + "/tell", json=body)
        assert r.status_code == 400 and field in error_of(r)["message"], (body, r.text)
    assert maasd.post("/api/v1/studies/s2/trials/x/tell", json={"values": [1]}).status_code == 400
    assert maasd.post("/api/v1/studies/s2/trials/99/tell", json={"values": [1]}).status_code == 404
    assert maasd.post("/api/v1/studies/nope/trials").status_code == 404
    r = maasd.post("/api/v1/studies", json={**base, "name": "s2"})
    assert r.status_code == 409


def test_budgets_and_limits(maasd_factory):
    server = maasd_factory(extra_args=["--studies-max-running-trials", "2", "--studies-max-studies", "2"]).start()
    create(server, "b", budget={"trials": 3})
    first, second = ask(server, "b"), ask(server, "b")
    r = server.post("/api/v1/studies/b/trials")
    assert r.status_code == 429 and "studies.max_running_trials" in error_of(r)["message"]
    assert tell(server, "b", first["number"], values=[1]).status_code == 200
    ask(server, "b")
    assert tell(server, "b", second["number"], values=[1]).status_code == 200
    r = server.post("/api/v1/studies/b/trials")
    assert r.status_code == 409 and "budget of 3 trials" in error_of(r)["message"]
    create(server, "b2")
    r = server.post("/api/v1/studies", json={"name": "b3", "directions": ["minimize"], "space": SPACE})
    assert r.status_code == 429 and "studies.max_studies" in error_of(r)["message"]
    assert server.stop() == 0


def test_a_study_survives_kill_9_without_losing_or_repeating_trials(maasd_factory, tmp_path):
    data = tmp_path / "data"
    server = maasd_factory(data_dir=data).start()
    create(server, "durable", pruner={"name": "median"})
    told = {}
    for _ in range(10):
        trial = ask(server, "durable")
        server.post(f"/api/v1/studies/durable/trials/{trial['number']}/report", json={"step": 0, "value": 1.0})
        told[trial["number"]] = quadratic(trial["params"])
        assert tell(server, "durable", trial["number"], values=[told[trial["number"]]]).status_code == 200
    running = ask(server, "durable")  # asked, not told, when maasd dies
    server.kill9()

    server = maasd_factory(data_dir=data).start()
    got = server.get("/api/v1/studies/durable").json()
    assert got["trials"] == {"total": 11, "running": 1, "complete": 10, "pruned": 0, "failed": 0}
    trials = server.get("/api/v1/studies/durable/trials").json()["trials"]
    assert {t["number"]: t["values"][0] for t in trials if t["state"] == "complete"} == told
    assert all(t["intermediate_values"] == [{"step": 0, "value": 1.0}] for t in trials if t["state"] == "complete")
    # The running trial can still be told, and the next ask continues the numbers.
    assert tell(server, "durable", running["number"], values=[5.0]).status_code == 200
    assert ask(server, "durable")["number"] == 11
    assert server.stop() == 0
