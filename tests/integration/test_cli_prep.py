"""`maas datasets clean|split|drift` against a real maasd: each submits its job (data.clean, data.split,
data.drift), follows it with a progress line on stderr and prints the new version or the drift report; a bad recipe
is refused before any job; --detach prints the job and returns."""
import json

from cli_driver import INVALID_INPUT, NOT_FOUND, USAGE, cli_for


def test_clean_split_and_drift_from_the_command_line(maasd_factory, tmp_path):
    server = maasd_factory().start()
    cli = cli_for(server)
    csv = tmp_path / "orders.csv"
    csv.write_text("id,amount,label\n" + "".join(f"{i},{'' if i % 10 == 0 else i * 1.5},{'ab'[i % 2]}\n"
                                                 for i in range(1, 201)))
    cli.ok("datasets", "import", csv, "--dataset", "orders")

    recipe = tmp_path / "recipe.json"
    recipe.write_text(json.dumps({"steps": [{"step": "fill_missing", "column": "amount", "strategy": "mean"},
                                            {"step": "deduplicate", "columns": ["id"]}]}))
    result = cli.ok("datasets", "clean", "orders:1", "--recipe", recipe, "--description", "filled", "--tag", "stage=clean")
    assert "submitted job" in result.stderr and "data.clean" in result.stderr
    assert "orders" in result.stdout and "clean:orders@1" in result.stdout
    v2 = cli.json("datasets", "clean", "orders", "--recipe", recipe)  # latest: version 2 -> 3
    assert v2["version"] == 3 and v2["row_count"] == 200 and v2["lineage"]["source"] == "clean:orders@2"
    assert server.get("/api/v1/datasets/orders/versions/2").json()["tags"] == {"stage": "clean"}

    split = cli.json("datasets", "split", "orders:2", "--fractions", "train=0.75,test=0.25", "--seed", "4")
    assert split["version"] == 4 and split["lineage"]["details"]["split"]["counts"] == {"train": 150, "validation": 0, "test": 50}

    report = cli.json("datasets", "drift", "orders:4:train", "orders:4:test", "--columns", "amount", "--bins", "4")
    assert [c["name"] for c in report["columns"]] == ["amount"] and report["bins"] == 4
    assert report["a"] == {"dataset": "orders", "version": 4, "part": "train"}
    assert report["columns"][0]["ks"]["method"] == "exact"
    table = cli.ok("datasets", "drift", "orders:1", "orders:2").stdout
    assert "P-VALUE" in table and "max PSI" in table

    job = cli.json("datasets", "split", "orders:1", "--fractions", "train=1", "--detach")
    assert job["kind"] == "data.split" and job["state"] in ("queued", "running", "succeeded")

    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps([{"step": "fill_missing", "column": "nope", "strategy": "mean"}]))
    assert "unknown column 'nope'" in cli.fails(INVALID_INPUT, "datasets", "clean", "orders:1", "--recipe", bad).stderr
    cli.fails(NOT_FOUND, "datasets", "clean", "orders:99", "--recipe", recipe)
    (tmp_path / "notjson.json").write_text("steps")
    cli.fails(USAGE, "datasets", "clean", "orders:1", "--recipe", tmp_path / "notjson.json")
    cli.fails(USAGE, "datasets", "split", "orders:1", "--fractions", "train")
