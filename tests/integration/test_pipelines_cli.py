"""`maas pipelines ...` against a real maasd: create a pipeline from a spec file, fit it on an uploaded dataset with
--watch, show the fitted version, transform a dataset version into a new one with --watch, list; a bad spec is
refused as invalid input."""
import json

from cli_driver import INVALID_INPUT, cli_for


def test_pipelines_from_the_command_line(maasd_factory, tmp_path):
    server = maasd_factory().start()
    cli = cli_for(server)
    data = tmp_path / "raw.csv"
    data.write_text("x,city\n1.5,Lyon\n2.5,Paris\n,Lyon\n4.0,Nice\n")
    server.post("/api/v1/datasets", json={"name": "raw"})
    r = server.post("/api/v1/datasets/raw/versions", params={"filename": "raw.csv"}, data=data.read_bytes(),
                    headers={"Content-Type": "text/csv"})
    assert r.status_code == 201, r.text
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps({"transformers": [
        {"name": "num", "columns": ["x"], "steps": [{"step": "SimpleImputer"}, {"step": "MinMaxScaler"}]},
        {"name": "cat", "columns": ["city"], "steps": [{"step": "OneHotEncoder"}]}]}))
    assert cli.json("pipelines", "create", "prep", "--spec-file", spec)["latest_version"] == 0
    assert "succeeded" in cli.ok("pipelines", "fit", "prep", "--dataset", "raw", "--watch").stdout
    version = cli.json("pipelines", "show", "prep", "--version", "latest")
    assert version["version"] == 1 and version["output_columns"] == ["num__x", "cat__city_Lyon", "cat__city_Nice",
                                                                     "cat__city_Paris"]
    assert "raw@1" in cli.ok("pipelines", "show", "prep", "--version", "1").stdout
    result = cli.ok("pipelines", "transform", "prep", "--dataset", "raw", "--into", "raw_features", "--watch")
    assert "succeeded" in result.stdout
    assert cli.json("datasets", "show", "raw_features")["versions"][0]["row_count"] == 4
    assert [p["name"] for p in cli.json("pipelines", "list")["pipelines"]] == ["prep"]

    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"transformers": [{"name": "s", "columns": ["x"], "steps": [{"step": "Nope"}]}]}))
    cli.fails(INVALID_INPUT, "pipelines", "create", "broken", "--spec-file", bad)
