"""train.compare over a real maasd (docs/TRAINING.md): two model versions trained by maas predict one holdout
dataset version; the job's metric values, difference, percentile interval and p-value equal a numpy paired
bootstrap over the same resample indices (numpy's RandomState(seed).randint, which maas draws identically) on
python3-xgboost's predictions with scikit-learn's metric (to 1e-9); a clearly better model wins, a version
compared with itself ties; bad submissions are 400s naming the field."""
import numpy as np
import pytest
import xgboost as xgb
from sklearn import datasets, metrics

from conftest import error_of
from jobs_client import logs, submit, wait_state
from test_train_xgboost import booster_of, frames, registered, train, upload

TOLERANCE = 1e-9


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    from conftest import Maasd
    s = Maasd(tmp_path_factory.mktemp("compare") / "data", extra_args=["--jobs-slots", "3"]).start()
    yield s
    assert s.stop() == 0


@pytest.fixture(scope="module")
def cancer(server):
    """Two versions of one model (2 rounds of depth 1, and 30 of depth 3) and a holdout dataset version."""
    train_frame, holdout = frames(datasets.load_breast_cancer, seed=4)
    tv = upload(server, "cmp-train", train_frame)
    hv = upload(server, "cmp-holdout", holdout)
    versions = []
    for rounds, depth in ((2, 1), (30, 3)):
        done = train(server, {"model": "cmp", "dataset": "cmp-train", "version": tv, "label": "y",
                              "num_boost_round": rounds, "params": {"objective": "binary:logistic",
                                                                    "max_depth": depth, "eta": 0.3}})
        versions.append(registered(server, "cmp", done["id"])["version"])
    return versions, holdout, hv


def compare(server, body):
    j = submit(server, "train.compare", body)
    done = wait_state(server, j["id"], {"succeeded", "failed"}, timeout_s=180)
    assert done["state"] == "succeeded", (done.get("error"), logs(server, j["id"])[-20:])
    return done["result"]


def numpy_bootstrap(y, p_a, p_b, metric, resamples, seed, confidence):
    rs = np.random.RandomState(seed)
    differences = []
    for _ in range(resamples):
        idx = rs.randint(0, len(y), len(y))
        if len(set(y[idx])) < 2:
            continue
        differences.append(metric(y[idx], p_b[idx]) - metric(y[idx], p_a[idx]))
    differences = np.array(differences)
    observed = metric(y, p_b) - metric(y, p_a)
    flipped = np.sum(differences <= 0) if observed > 0 else np.sum(differences >= 0)
    p_value = 1.0 if observed == 0 else min(1.0, 2 * flipped / len(differences))
    tail = (1 - confidence) / 2 * 100
    return observed, np.percentile(differences, [tail, 100 - tail]), p_value, len(differences)


def test_the_bootstrap_equals_numpys_and_the_better_model_wins(server, cancer):
    (weak, strong), holdout, hv = cancer
    result = compare(server, {"a": {"model": "cmp", "version": weak}, "b": {"model": "cmp", "version": strong},
                              "dataset": "cmp-holdout", "version": hv, "metric": "log_loss", "resamples": 300,
                              "seed": 11, "confidence": 0.9})
    features = [c for c in holdout.columns if c != "y"]
    dm = xgb.DMatrix(holdout[features].to_numpy(), feature_names=features)
    p_a = booster_of(server, "cmp", weak)[0].predict(dm).astype(np.float64)
    p_b = booster_of(server, "cmp", strong)[0].predict(dm).astype(np.float64)
    y = holdout["y"].to_numpy()
    observed, ci, p_value, used = numpy_bootstrap(y, p_a, p_b, metrics.log_loss, 300, 11, 0.9)
    assert abs(result["a"]["value"] - metrics.log_loss(y, p_a)) <= 1e-6
    assert abs(result["difference"] - observed) <= 1e-6
    assert result["used_resamples"] == used == 300
    np.testing.assert_allclose(result["ci"], ci, rtol=0, atol=1e-6)
    assert result["p_value"] == p_value
    # Lower log loss is better: the 30-round model wins, significantly.
    assert result["higher_is_better"] is False and result["difference"] < 0
    assert result["winner"] == "b" and result["p_value"] < 0.1
    assert result["rows"] == len(holdout) and result["dataset"] == f"cmp-holdout@{hv}"


def test_the_default_metric_and_a_version_against_itself_ties(server, cancer):
    (weak, strong), holdout, hv = cancer
    result = compare(server, {"a": {"model": "cmp", "version": strong}, "b": {"model": "cmp", "version": strong},
                              "dataset": "cmp-holdout", "version": hv, "resamples": 50})
    assert result["metric"] == "roc_auc" and result["higher_is_better"] is True
    assert result["difference"] == 0 and result["p_value"] == 1.0 and result["winner"] == "tie"
    assert result["ci"] == [0, 0]


@pytest.mark.parametrize("body,field", [
    ({"metric": "rmse"}, "params.metric"),
    ({"resamples": 5}, "params.resamples"),
    ({"confidence": 1.5}, "params.confidence"),
    ({"a": {"model": "cmp", "release": 1}}, "params.a.release"),
    ({"b": None}, "params.b"),
    ({"bootstrap": 3}, "params.bootstrap"),
])
def test_bad_submissions_are_400s_naming_the_field(server, cancer, body, field):
    (weak, strong), _, hv = cancer
    params = dict({"a": {"model": "cmp", "version": weak}, "b": {"model": "cmp", "version": strong},
                   "dataset": "cmp-holdout", "version": hv}, **body)
    r = server.post("/api/v1/jobs", json={"kind": "train.compare", "params": params})
    assert r.status_code == 400, r.text
    assert field in error_of(r)["message"]
