"""`maas features search NAME:V --label y --follow` against a real maasd: the job runs to its end and the report is
printed (the kept feature, its gain, the spec); -o json gives the report itself; bad input is refused as invalid
input naming it."""
import numpy as np
import pandas as pd

from cli_driver import INVALID_INPUT, cli_for


def test_feature_search_from_the_command_line(maasd_factory, tmp_path):
    server = maasd_factory().start()
    cli = cli_for(server)
    rng = np.random.default_rng(5)
    a, b = rng.uniform(-2, 2, 400), rng.uniform(-2, 2, 400)
    df = pd.DataFrame({"a": a, "b": b, "y": a * b + 0.05 * rng.normal(0, 1, 400)})
    server.post("/api/v1/datasets", json={"name": "raw"})
    r = server.post("/api/v1/datasets/raw/versions", params={"filename": "raw.csv"},
                    data=df.to_csv(index=False).encode(), headers={"Content-Type": "text/csv"})
    assert r.status_code == 201, r.text
    budget = ["--max-candidates", "50", "--max-features", "2", "--screen", "4", "--folds", "3"]
    out = cli.ok("features", "search", "raw:1", "--label", "y", *budget, "--follow").stdout
    assert "a*b" in out and "ArithmeticFeatures" in out and "stopped:" in out, out
    report = cli.json("features", "search", "raw", "--label", "y", *budget, "--follow")
    assert report["kept"][0]["name"] == "a*b" and report["final_score"] > report["baseline_score"]
    cli.fails(INVALID_INPUT, "features", "search", "raw", "--label", "nope", "--follow")
    cli.fails(INVALID_INPUT, "features", "search", "raw", "--label", "y", "--max-candidates", "0")
