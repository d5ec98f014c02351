"""maas's pruners decide as Optuna 3.1's (python3-optuna) on the same reported values: one study in each, the same
random learning curves reported step by step, every should-prune answer compared (docs/HPO.md#pruners)."""
import numpy as np
import optuna
import pytest

optuna.logging.set_verbosity(optuna.logging.ERROR)

CASES = [
    ({"name": "median"}, lambda: optuna.pruners.MedianPruner()),
    ({"name": "median", "n_startup_trials": 2, "n_warmup_steps": 3, "interval_steps": 2},
     lambda: optuna.pruners.MedianPruner(n_startup_trials=2, n_warmup_steps=3, interval_steps=2)),
    ({"name": "percentile", "percentile": 25, "n_startup_trials": 3},
     lambda: optuna.pruners.PercentilePruner(25, n_startup_trials=3)),
    ({"name": "asha", "min_resource": 1, "reduction_factor": 3},
     lambda: optuna.pruners.SuccessiveHalvingPruner(min_resource=1, reduction_factor=3)),
    ({"name": "asha", "min_resource": 2, "reduction_factor": 2, "min_early_stopping_rate": 1},
     lambda: optuna.pruners.SuccessiveHalvingPruner(min_resource=2, reduction_factor=2, min_early_stopping_rate=1)),
    ({"name": "hyperband", "min_resource": 1, "max_resource": 16, "reduction_factor": 2},
     lambda: optuna.pruners.HyperbandPruner(min_resource=1, max_resource=16, reduction_factor=2)),
]


@pytest.mark.parametrize("direction", ["minimize", "maximize"])
@pytest.mark.parametrize("case", range(len(CASES)))
def test_pruning_decisions_equal_optuna(maasd, case, direction):
    ours, theirs = CASES[case]
    name = f"p{case}"
    r = maasd.post("/api/v1/studies", json={"name": name, "directions": [direction], "pruner": ours,
                                            "space": {"x": {"type": "float", "low": 0, "high": 1}}})
    assert r.status_code == 201, r.text
    # Hyperband brackets hash "<study name>_<number>"; maas's are those of a study named "".
    study = optuna.create_study(study_name="", direction=direction, pruner=theirs())
    rng = np.random.default_rng(case)
    pruned = 0
    for _ in range(40):
        mine = maasd.post(f"/api/v1/studies/{name}/trials").json()
        trial = study.ask()
        assert trial.number == mine["number"]
        level, slope = rng.random(), rng.random() * 0.05
        value = None
        for step in range(16):
            value = float(level - slope * step + rng.normal(0, 0.02))
            trial.report(value, step)
            expected = trial.should_prune()
            got = maasd.post(f"/api/v1/studies/{name}/trials/{mine['number']}/report",
                             json={"step": step, "value": value}).json()["prune"]
            assert got == expected, (ours, direction, mine["number"], step)
            if expected:
                study.tell(trial, state=optuna.trial.TrialState.PRUNED)
                pruned += 1
                break
        else:
            study.tell(trial, value)
            r = maasd.post(f"/api/v1/studies/{name}/trials/{mine['number']}/tell", json={"values": [value]})
            assert r.status_code == 200, r.text
    assert pruned > 0, ours
