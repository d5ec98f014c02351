#!/usr/bin/python3
"""Trials-to-target: maas's samplers (through maas-hpo) against Optuna 3.1's TPESampler with default settings.

For each problem, sampler and seed, trials are asked and told one at a time until the best value reaches the
problem's target or the trial budget runs out; the number of trials used is the result (a seed that never reaches
the target counts as not reached). Both arms evaluate the same Python objective; only the sampler differs.

    /usr/bin/python3 bench/hpo/hpo_bench.py [--problems branin,hartmann6,xgboost] [--samplers tpe,gp,...]
        [--seeds 20] [--max-trials 300] [--jobs 2] [--out bench/results/hpo-latest.json]
"""
import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MAAS_HPO = os.environ.get("MAAS_HPO", os.path.join(ROOT, "build/release/bin/maas-hpo"))


def branin(p):
    x1, x2 = p["x1"], p["x2"]
    a, b, c, r, s, t = 1.0, 5.1 / (4 * math.pi ** 2), 5 / math.pi, 6.0, 10.0, 1 / (8 * math.pi)
    return a * (x2 - b * x1 ** 2 + c * x1 - r) ** 2 + s * (1 - t) * math.cos(x1) + s


HARTMANN_A = np.array([[10, 3, 17, 3.5, 1.7, 8], [0.05, 10, 17, 0.1, 8, 14], [3, 3.5, 1.7, 10, 17, 8],
                       [17, 8, 0.05, 10, 0.1, 14]])
HARTMANN_P = 1e-4 * np.array([[1312, 1696, 5569, 124, 8283, 5886], [2329, 4135, 8307, 3736, 1004, 9991],
                              [2348, 1451, 3522, 2883, 3047, 6650], [4047, 8828, 8732, 5743, 1091, 381]])
HARTMANN_ALPHA = np.array([1.0, 1.2, 3.0, 3.2])


def hartmann6(p):
    x = np.array([p[f"x{i}"] for i in range(6)])
    return float(-np.sum(HARTMANN_ALPHA * np.exp(-np.sum(HARTMANN_A * (x - HARTMANN_P) ** 2, axis=1))))


_XGB_DATA = None


def xgboost_logloss(p):
    """5-fold cross-validated log loss of XGBoost on scikit-learn's breast_cancer (fixed folds, one thread)."""
    global _XGB_DATA
    import xgboost as xgb
    if _XGB_DATA is None:
        from sklearn.datasets import load_breast_cancer
        x, y = load_breast_cancer(return_X_y=True)
        _XGB_DATA = xgb.DMatrix(x, label=y)
    params = {"objective": "binary:logistic", "eval_metric": "logloss", "nthread": 1, "verbosity": 0,
              "max_depth": p["max_depth"], "eta": p["eta"], "subsample": p["subsample"],
              "colsample_bytree": p["colsample_bytree"], "min_child_weight": p["min_child_weight"],
              "lambda": p["lambda"], "tree_method": "hist", "seed": 0}
    result = xgb.cv(params, _XGB_DATA, num_boost_round=p["rounds"], nfold=5, stratified=True, seed=0,
                    shuffle=True)
    return float(result["test-logloss-mean"].iloc[-1])


PROBLEMS = {
    "branin": {
        "space": {"x1": {"type": "float", "low": -5, "high": 10}, "x2": {"type": "float", "low": 0, "high": 15}},
        "objective": branin, "target": 0.397887 + 0.05,
    },
    "hartmann6": {
        "space": {f"x{i}": {"type": "float", "low": 0, "high": 1} for i in range(6)},
        "objective": hartmann6, "target": -3.2224,
    },
    "xgboost": {
        "space": {
            "max_depth": {"type": "int", "low": 1, "high": 10},
            "eta": {"type": "float", "low": 1e-3, "high": 1.0, "log": True},
            "rounds": {"type": "int", "low": 10, "high": 100, "log": True},
            "subsample": {"type": "float", "low": 0.4, "high": 1.0},
            "colsample_bytree": {"type": "float", "low": 0.2, "high": 1.0},
            "min_child_weight": {"type": "float", "low": 0.1, "high": 20, "log": True},
            "lambda": {"type": "float", "low": 1e-3, "high": 10, "log": True},
        },
        "objective": xgboost_logloss,
        # None: every run goes to the trial budget, and the target is Optuna TPE's median best value after
        # --target-trials trials (HPO_XGB_TARGET fixes it instead).
        "target": float(os.environ["HPO_XGB_TARGET"]) if "HPO_XGB_TARGET" in os.environ else None,
    },
}


def optuna_distributions(space):
    import optuna
    out = {}
    for name, spec in space.items():
        if spec["type"] == "float":
            out[name] = optuna.distributions.FloatDistribution(spec["low"], spec["high"], log=spec.get("log", False))
        elif spec["type"] == "int":
            out[name] = optuna.distributions.IntDistribution(spec["low"], spec["high"], log=spec.get("log", False))
        else:
            out[name] = optuna.distributions.CategoricalDistribution(spec["choices"])
    return out


def run_optuna(problem, sampler, seed, max_trials):
    import optuna
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    # "optuna-tpe": the baseline; "optuna-cmaes": Optuna's CmaEsSampler, what maas's cmaes follows.
    make = optuna.samplers.CmaEsSampler if sampler == "optuna-cmaes" else optuna.samplers.TPESampler
    study = optuna.create_study(sampler=make(seed=seed))
    distributions = optuna_distributions(problem["space"])
    curve = []
    for n in range(1, max_trials + 1):
        trial = study.ask(distributions)
        value = problem["objective"](trial.params)
        study.tell(trial, value)
        curve.append(min(curve[-1], value) if curve else value)
        if problem["target"] is not None and curve[-1] <= problem["target"]:
            break
    return curve


def run_maas(problem, sampler, seed, max_trials):
    # "tpe+multivariate=false" passes options: name, then key=value pairs (values read as JSON).
    name, *options = sampler.split("+")
    config = {"name": name, "seed": seed} if name != "default" else {"seed": seed}
    for option in options:
        key, value = option.split("=", 1)
        config[key] = json.loads(value)
    proc = subprocess.Popen([MAAS_HPO], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1)

    def call(line):
        proc.stdin.write(json.dumps(line) + "\n")
        proc.stdin.flush()
        answer = json.loads(proc.stdout.readline())
        if "error" in answer:
            raise RuntimeError(f"maas-hpo: {answer['error']}")
        return answer

    try:
        call({"space": problem["space"], "sampler": config, "directions": ["minimize"]})
        curve = []
        for _ in range(max_trials):
            asked = call({"op": "ask"})
            value = problem["objective"](asked["params"])
            call({"op": "tell", "number": asked["number"], "values": [value]})
            curve.append(min(curve[-1], value) if curve else value)
            if problem["target"] is not None and curve[-1] <= problem["target"]:
                break
        return curve
    finally:
        proc.stdin.close()
        proc.wait()


def run_one(args):
    problem_name, sampler, seed, max_trials = args
    problem = PROBLEMS[problem_name]
    start = time.perf_counter()
    if sampler.startswith("optuna-"):
        curve = run_optuna(problem, sampler, seed, max_trials)
    else:
        curve = run_maas(problem, sampler, seed, max_trials)
    return problem_name, sampler, seed, curve, time.perf_counter() - start


def trials_to(curve, target):
    """1-based number of the first trial whose best-so-far reaches `target`, or None."""
    return next((n + 1 for n, best in enumerate(curve) if best <= target), None)


def summarize(runs, seeds):
    if not runs:
        return {}
    reached = [r["trials"] for r in runs if r["trials"] is not None]
    # Seeds that never reach the target count as max_trials + 1 in the median (a lower bound on their cost).
    padded = sorted(r["trials"] if r["trials"] is not None else math.inf for r in runs)
    median = statistics.median(padded) if padded else math.inf
    return {"seeds": seeds, "reached": len(reached), "median_trials": None if math.isinf(median) else median,
            "mean_seconds": statistics.mean(r["seconds"] for r in runs)}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--problems", default="branin,hartmann6,xgboost")
    parser.add_argument("--samplers", default="default,tpe,tpe+multivariate=true,cmaes,optuna-cmaes,refine,ga,nsga2,sobol,random")
    parser.add_argument("--seeds", type=int, default=20)
    parser.add_argument("--max-trials", type=int, default=300)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--target-trials", type=int, default=100,
                        help="for problems without a fixed target: Optuna TPE's median best after this many trials")
    parser.add_argument("--out", default=os.path.join(ROOT, "bench/results/hpo-latest.json"))
    args = parser.parse_args()
    problems = args.problems.split(",")
    samplers = ["optuna-tpe"] + [s for s in args.samplers.split(",") if s and s != "optuna-tpe"]
    tasks = [(p, s, seed, args.max_trials) for p in problems for s in samplers for seed in range(args.seeds)]
    runs = []
    with ProcessPoolExecutor(max_workers=args.jobs) as pool:
        for problem, sampler, seed, curve, seconds in pool.map(run_one, tasks):
            runs.append({"problem": problem, "sampler": sampler, "seed": seed, "curve": curve, "seconds": seconds})
            print(f"{problem:10s} {sampler:10s} seed {seed:2d}: {len(curve):4d} trials, best {curve[-1]:.6f}, "
                  f"{seconds:.1f} s", file=sys.stderr, flush=True)
    summary = {}
    for problem in problems:
        target = PROBLEMS[problem]["target"]
        if target is None:
            bests = [r["curve"][min(args.target_trials, len(r["curve"])) - 1] for r in runs
                     if r["problem"] == problem and r["sampler"] == "optuna-tpe"]
            target = statistics.median(bests)
        for r in runs:
            if r["problem"] == problem:
                r["trials"] = trials_to(r["curve"], target)
                r["best"] = r["curve"][-1]
        summary[problem] = {"target": target}
        base = summarize([r for r in runs if r["problem"] == problem and r["sampler"] == "optuna-tpe"], args.seeds)
        for sampler in samplers:
            s = summarize([r for r in runs if r["problem"] == problem and r["sampler"] == sampler], args.seeds)
            if base.get("median_trials") and s.get("median_trials"):
                s["ratio_to_optuna_tpe"] = round(s["median_trials"] / base["median_trials"], 3)
            summary[problem][sampler] = s
    for problem in problems:
        print(f"{problem}: target {summary[problem]['target']:.6f}")
    print(f"\n{'problem':10s} {'sampler':10s} {'median':>7s} {'reached':>8s} {'ratio':>6s}")
    for problem in problems:
        for sampler in samplers:
            s = summary[problem][sampler]
            print(f"{problem:10s} {sampler:10s} {str(s.get('median_trials')):>7s} "
                  f"{s['reached']:>5d}/{s['seeds']:<2d} {str(s.get('ratio_to_optuna_tpe', '')):>6s}")
    with open(args.out, "w") as f:
        json.dump({"max_trials": args.max_trials, "summary": summary, "runs": runs}, f, indent=1)


if __name__ == "__main__":
    main()
