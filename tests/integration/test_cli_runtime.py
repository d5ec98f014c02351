"""The runtime commands of the `maas` client against a real maasd with real workers: load, infer (a .npy sent as
binary tensors, JSON files, inline JSON, binary outputs), ps and unload, with xgboost's own predictions as the
reference and the documented exit codes.

The CLI binary is MAAS_CLI when set, else `maas` beside maasd in the build's bin directory."""
import json
import os
import pathlib
import subprocess

import numpy as np
import pytest

from cli_driver import CONFLICT, INVALID_INPUT, NOT_FOUND, OK, UNAVAILABLE, USAGE, cli_for


@pytest.fixture
def cli(maasd):
    return cli_for(maasd)


@pytest.fixture(scope="module")
def rows():
    from sklearn.datasets import load_breast_cancer
    return load_breast_cancer().data[:16].astype(np.float32)


@pytest.fixture(scope="module")
def booster(models_dir):
    import xgboost as xgb
    return xgb.Booster(model_file=str(models_dir / "xgb_breast_cancer.json"))


def register(maasd, name, *paths):
    assert maasd.post("/api/v1/models", json={"name": name}).status_code == 201
    for path in paths:
        r = maasd.upload(name, path)
        assert r.status_code == 201, r.text


def only_output(response):
    assert len(response["outputs"]) == 1, response
    return response["outputs"][0]


def assert_same_predictions(output, expected):
    """The printed numbers, read back as float32, are xgboost's own bit for bit."""
    assert output["datatype"] == "FP32"
    np.testing.assert_array_equal(np.array(output["data"], dtype=np.float32).reshape(expected.shape), expected)


def loaded(cli):
    return {(v["name"], v["version"]): v for v in cli.json("ps")["loaded"]}


def test_load_infer_ps_unload(cli, maasd, models_dir, rows, booster, tmp_path):
    import xgboost as xgb
    register(maasd, "cancer", models_dir / "xgb_breast_cancer.json")
    expected = booster.predict(xgb.DMatrix(rows))

    result = cli.json("load", "cancer", "--instances", "1", "--max-batch-size", "8", "--preferred-batch-sizes",
                      "4,8", "--max-queue-delay-us", "200")
    assert (result["name"], result["version"], result["state"]) == ("cancer", "1", "READY")
    assert result["config"]["preferred_batch_sizes"] == [4, 8] and result["config"]["max_queue_delay_us"] == 200

    # A .npy written by numpy goes as a binary tensor, untouched.
    np.save(tmp_path / "rows.npy", rows)
    response = cli.json("infer", "cancer", "--input", f"input=@{tmp_path / 'rows.npy'}")
    assert response["model_name"] == "cancer" and response["model_version"] == "1"
    assert_same_predictions(only_output(response), expected)

    # A JSON file with the nested rows, and one with a whole v2 input object.
    (tmp_path / "rows.json").write_text(json.dumps(rows.tolist()))
    assert_same_predictions(only_output(cli.json("infer", "cancer", "--input", f"input=@{tmp_path / 'rows.json'}")),
                            expected)
    (tmp_path / "object.json").write_text(json.dumps(
        {"shape": list(rows.shape), "datatype": "FP32", "data": rows.flatten().tolist()}))
    assert_same_predictions(
        only_output(cli.json("infer", "cancer", "--input", f"input=@{tmp_path / 'object.json'}")), expected)

    # Binary outputs come back decoded into the same numbers; a request parameter reaches the backend.
    binary = cli.json("infer", "cancer", "--input", f"input=@{tmp_path / 'rows.npy'}", "--binary",
                      "--output-tensor", "output")
    assert "parameters" not in only_output(binary)
    assert_same_predictions(only_output(binary), expected)
    margin = cli.json("infer", "cancer@1", "--input", f"input=@{tmp_path / 'rows.json'}", "--param", "output=margin")
    assert_same_predictions(only_output(margin), booster.predict(xgb.DMatrix(rows), output_margin=True))

    # The table: one row per output, the values summarised.
    table = cli.ok("infer", "cancer", "--input", "input=" + json.dumps(rows[:1].tolist())).stdout.splitlines()
    assert table[0].split() == ["NAME", "DATATYPE", "SHAPE", "VALUES"]
    assert table[1].split()[:3] == ["output", "FP32", "[1]"]
    assert float(table[1].split()[3].strip("[]")) == pytest.approx(float(expected[0]), rel=1e-6)
    wide = cli.ok("infer", "cancer", "--input", f"input=@{tmp_path / 'rows.npy'}").stdout.splitlines()[1]
    assert ", ..., " in wide and wide.split()[2] == "[16]"

    versions = loaded(cli)
    assert set(versions) == {("cancer", "1")}
    state = versions[("cancer", "1")]
    assert state["state"] == "READY" and state["instances"] == 1 and state["resident_memory_bytes"] > 0
    assert state["inference_count"] >= 7
    ps = [line.split() for line in cli.ok("ps").stdout.splitlines()]
    assert ps[0] == ["MODEL", "VERSION", "STATE", "REASON", "INSTANCES", "MEMORY", "INFERENCES"]
    assert ps[1][:5] == ["cancer", "1", "READY", "-", "1"]

    assert cli.ok("unload", "cancer").stdout.strip() == "unloaded model 'cancer'"
    assert loaded(cli) == {}
    assert "not loaded" in cli.fails(NOT_FOUND, "infer", "cancer", "--input", f"input=@{tmp_path / 'rows.npy'}").stderr
    cli.fails(NOT_FOUND, "unload", "cancer")


def test_versions_can_be_loaded_side_by_side(cli, maasd, models_dir, rows, booster, tmp_path):
    import xgboost as xgb
    register(maasd, "cancer", models_dir / "xgb_breast_cancer.json", models_dir / "xgb_breast_cancer.ubj")
    assert cli.json("load", "cancer@1")["version"] == "1"
    assert cli.json("load", "cancer", "--version", "2", "--keep-other-versions", "--no-warmup")["version"] == "2"
    assert set(loaded(cli)) == {("cancer", "1"), ("cancer", "2")}
    np.save(tmp_path / "rows.npy", rows)
    expected = booster.predict(xgb.DMatrix(rows))
    for version in ("1", "2"):
        response = cli.json("infer", "cancer", "--version", version, "--input", f"input=@{tmp_path / 'rows.npy'}")
        assert response["model_version"] == version
        assert_same_predictions(only_output(response), expected)
    cli.ok("unload", "cancer@1")
    assert set(loaded(cli)) == {("cancer", "2")}
    # Without --keep-other-versions, loading one version retires the others.
    cli.ok("load", "cancer", "--version", "1")
    assert set(loaded(cli)) == {("cancer", "1")}


def test_exit_codes_for_bad_inputs_and_targets(cli, maasd, models_dir, rows, tmp_path):
    register(maasd, "cancer", models_dir / "xgb_breast_cancer.json")
    cli.fails(NOT_FOUND, "load", "ghost")
    cli.fails(NOT_FOUND, "load", "cancer@7")
    cli.fails(INVALID_INPUT, "load", "cancer", "--max-batch-size", "-3")
    cli.ok("load", "cancer")

    # The server rejects what does not fit the model's signature: exit 5.
    assert "30" in cli.fails(INVALID_INPUT, "infer", "cancer", "--input", "input=[[1, 2, 3]]").stderr
    np.save(tmp_path / "doubles.npy", rows.astype(np.float64))
    assert "FP64" in cli.fails(INVALID_INPUT, "infer", "cancer", "--input", f"input=@{tmp_path / 'doubles.npy'}").stderr
    cli.fails(INVALID_INPUT, "infer", "cancer", "--input", f"nope={json.dumps(rows[:1].tolist())}")
    cli.fails(INVALID_INPUT, "infer", "cancer", "--input", f"input={json.dumps(rows[:1].tolist())}",
              "--output-tensor", "nosuch")

    # What the client can tell is wrong without asking: exit 2.
    np.save(tmp_path / "fortran.npy", np.asfortranarray(rows))
    assert "Fortran" in cli.fails(USAGE, "infer", "cancer", "--input", f"input=@{tmp_path / 'fortran.npy'}").stderr
    (tmp_path / "broken.npy").write_bytes(b"\x93NUMPY\x01\x00\x10\x00{'descr': '<f4'")
    cli.fails(USAGE, "infer", "cancer", "--input", f"input=@{tmp_path / 'broken.npy'}")
    cli.fails(USAGE, "infer", "cancer", "--input", f"input=@{tmp_path / 'missing.json'}")
    cli.fails(USAGE, "infer", "cancer", "--input", "input=[[1, 2], [3]]")
    cli.fails(USAGE, "infer", "cancer", "--input", "input=[[1, 2]", "--datatype", "input=FP32")
    cli.fails(USAGE, "infer", "cancer", "--input", f"input=@{tmp_path / 'doubles.npy'}", "--datatype", "input=FP32")
    cli.fails(USAGE, "infer", "cancer")
    cli.fails(USAGE, "infer", "cancer@1", "--version", "1", "--input", "input=[[1]]")
    cli.fails(USAGE, "load", "cancer", "--preferred-batch-sizes", "4,x")

    cli.ok("unload", "cancer")
    cli.fails(NOT_FOUND, "infer", "cancer", "--input", f"input={json.dumps(rows[:1].tolist())}")
