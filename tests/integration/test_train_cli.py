"""The worked example of docs/TRAINING.md, through the `maas` CLI against a real maasd: import a CSV, `maas train
xgboost --follow` (the rounds and the validation metric shown live, exit 0), `maas train evaluate --follow`, then
load the registered version and serve a prediction equal to python3-xgboost's on the same model, and `maas predict
batch --follow` over every row (python3-xgboost's margins); a bad submission exits non-zero with the server's
message."""
import json

import numpy as np
import pandas as pd
import xgboost as xgb
from sklearn import datasets

from cli_driver import INVALID_INPUT, cli_for
from serving import infer, load
from v2_client import decode_response


def test_upload_train_evaluate_and_serve(maasd, tmp_path):
    cli = cli_for(maasd)
    bunch = datasets.load_breast_cancer()
    frame = pd.DataFrame(bunch.data, columns=[f"f{i}" for i in range(bunch.data.shape[1])])
    frame["diagnosis"] = bunch.target
    rng = np.random.RandomState(0)
    frame["split"] = np.where(rng.rand(len(frame)) < 0.2, "validation", "train")
    frame.loc[rng.rand(len(frame)) < 0.1, "split"] = "test"
    csv = tmp_path / "cancer.csv"
    frame.to_csv(csv, index=False)
    cli.ok("datasets", "import", csv, "--dataset", "cancer")

    trained = cli.run("train", "xgboost", "--model", "cancer", "--dataset", "cancer:1", "--label", "diagnosis",
                      "--split-column", "split", "--param", "objective=binary:logistic", "--param", "eta=0.3",
                      "--param", "max_depth=3", "--param", "eval_metric=auc", "--rounds", "20",
                      "--early-stopping", "5", "--follow")
    assert trained.returncode == 0, trained.stderr
    # The progress line (live on stderr while it runs, in the final details on stdout) shows the round and metrics.
    assert "STATE:     succeeded" in trained.stdout
    assert "validation-auc=" in trained.stdout and "round " in trained.stdout, trained.stdout

    evaluated = cli.run("train", "evaluate", "--model", "cancer:1", "--dataset", "cancer", "--split-column", "split",
                        "--split-value", "test", "--follow")
    assert evaluated.returncode == 0, evaluated.stderr
    version = maasd.get("/api/v1/models/cancer/versions/1").json()
    assert "holdout:roc_auc" in version["metrics"] and version["lineage"]["split_column"] == "split"

    loaded = load(maasd, "cancer")
    assert loaded["state"] == "READY"
    features = [f"f{i}" for i in range(bunch.data.shape[1])]
    rows = frame[frame["split"] == "test"][features].to_numpy(dtype=np.float32)
    r = infer(maasd, "cancer", {"input": rows})
    assert r.status_code == 200, r.text
    served = decode_response(r)[1]["output"].reshape(-1)
    booster = xgb.Booster()
    booster.load_model(bytearray(maasd.get("/api/v1/models/cancer/versions/1/artifact").content))
    np.testing.assert_allclose(served, booster.predict(xgb.DMatrix(rows, feature_names=features)), rtol=0, atol=1e-6)

    # Batch prediction of the trained version over every row: its recorded features, XGBoost's margin.
    predicted = cli.run("predict", "batch", "cancer", "1", "--dataset", "cancer:1", "--columns", "split",
                        "--into", "cancer-scores", "--param", "output=margin", "--chunk-rows", "100", "--follow")
    assert predicted.returncode == 0, predicted.stderr
    assert "STATE:     succeeded" in predicted.stdout, predicted.stdout
    r = maasd.get("/api/v1/datasets/cancer-scores/versions/latest/download", params={"format": "jsonl"})
    scored = pd.DataFrame([json.loads(line) for line in r.text.splitlines() if line])
    assert scored["split"].tolist() == frame["split"].tolist()
    margins = booster.predict(xgb.DMatrix(frame[features].to_numpy(dtype=np.float32), feature_names=features),
                              output_margin=True)
    np.testing.assert_array_equal(scored["prediction"].to_numpy(dtype=np.float32), margins)

    bad = cli.run("train", "xgboost", "--model", "cancer", "--dataset", "cancer", "--label", "nope",
                  "--param", "objective=binary:logistic")
    assert bad.returncode == INVALID_INPUT and "label column 'nope'" in bad.stderr, bad.stderr


def test_cross_validate_and_compare_from_the_cli(maasd, tmp_path):
    cli = cli_for(maasd)
    bunch = datasets.load_breast_cancer()
    frame = pd.DataFrame(bunch.data[:, :6], columns=[f"f{i}" for i in range(6)])
    frame["y"] = bunch.target
    csv = tmp_path / "small.csv"
    frame.to_csv(csv, index=False)
    cli.ok("datasets", "import", csv, "--dataset", "cli-cv")
    cv = cli.run("train", "cv", "--dataset", "cli-cv", "--label", "y", "--param", "objective=binary:logistic",
                 "--rounds", "5", "--strategy", "stratified", "--folds", "3", "--shuffle", "--seed", "7", "--follow")
    assert cv.returncode == 0, cv.stderr
    assert "STATE:     succeeded" in cv.stdout and "over 3 folds" in cv.stdout, cv.stdout
    for rounds in ("2", "20"):
        cli.ok("train", "xgboost", "--model", "cli-cmp", "--dataset", "cli-cv", "--label", "y", "--param",
               "objective=binary:logistic", "--rounds", rounds, "--follow")
    compared = cli.run("train", "compare", "cli-cmp:1", "cli-cmp:2", "--dataset", "cli-cv", "--metric", "log_loss",
                       "--resamples", "100", "--follow")
    assert compared.returncode == 0, compared.stderr
    assert "winner: b" in compared.stdout, compared.stdout
    bad = cli.run("train", "cv", "--dataset", "cli-cv", "--label", "y", "--param", "objective=binary:logistic",
                  "--strategy", "loo")
    assert bad.returncode == INVALID_INPUT and "'loo'" in bad.stderr, bad.stderr
