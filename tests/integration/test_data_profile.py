"""Dataset profiles equal pandas 1.5 (Debian's python3-pandas) on the same data, to 1e-9: counts, missing values,
distinct counts, min/max, mean, sample std (ddof=1), quantiles (linear interpolation), top values, numpy's histogram
and string lengths; and exports read back by pandas give the data that was imported."""
import numpy as np
import pandas as pd
import pytest

from data_tool import maas_data
from pandas_profile import NUMERIC_COLUMNS, ROWS, check_numeric_profile, check_string_profile, close, columns, \
    generated_frame, top_values_match, write_csv_with_a_nan


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    d = tmp_path_factory.mktemp("profile")
    csv = d / "data.csv"
    reference = write_csv_with_a_nan(generated_frame(), csv)
    result = maas_data("--threads", "2", "import", csv, "--snapshot", d / "snapshot.parquet", "--profile")
    return d, reference, result


def test_every_row_is_imported(imported):
    _, frame, result = imported
    assert result["rows"] == len(frame) == ROWS
    assert result["rejected_rows"] == 0
    assert [c["name"] for c in result["schema"]] == list(frame.columns)


@pytest.mark.parametrize("name", NUMERIC_COLUMNS)
def test_numeric_columns_equal_pandas(imported, name):
    _, frame, result = imported
    check_numeric_profile(columns(result)[name], frame[name], name)


@pytest.mark.parametrize("name", ["normal", "negative", "category", "int_missing", "flag", "skewed"])
def test_top_values_equal_pandas_value_counts(imported, name):
    _, frame, result = imported
    top_values_match(columns(result)[name]["top_values"], frame[name])


def test_string_column_equals_pandas(imported):
    _, frame, result = imported
    check_string_profile(columns(result)["category"], frame["category"], "category")


def test_empty_and_boolean_columns(imported):
    _, frame, result = imported
    empty = columns(result)["empty"]
    assert empty["count"] == frame["empty"].count() == 0
    assert empty["missing"] == ROWS
    assert "mean" not in empty and "histogram" not in empty
    flag = columns(result)["flag"]
    assert flag["category"] == "boolean"
    assert flag["count"] == ROWS
    assert flag["distinct"] == 2


def test_nan_text_counts_as_missing_like_pandas(imported):
    _, frame, result = imported
    p = columns(result)["normal"]
    assert p["nans"] == 1
    assert p["missing"] == frame["normal"].isna().sum()


def test_methods_are_stated(imported):
    _, _, result = imported
    methods = result["profile"]["methods"]
    assert "ddof=1" in methods["std"]
    assert "linear" in methods["quantiles"]
    assert "numpy.histogram" in methods["histogram"]


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_exports_read_back_by_pandas_equal_the_import(imported, fmt):
    d, frame, _ = imported
    out = d / f"export.{fmt}"
    written = maas_data("export", d / "snapshot.parquet", "--format", fmt, "--out", out)
    assert written["rows"] == ROWS
    back = pd.read_csv(out) if fmt == "csv" else pd.read_json(out, lines=True, precise_float=True)
    assert list(back.columns) == list(frame.columns)
    for name in ["negative", "category", "flag", "int_missing"]:
        assert back[name].fillna(-1).tolist() == frame[name].fillna(-1).tolist(), name
    for name in ["normal", "huge", "tiny", "constant"]:
        a = back[name].to_numpy(dtype=float)
        b = frame[name].to_numpy(dtype=float)
        assert np.allclose(a, b, rtol=1e-15, atol=0, equal_nan=True), name


def test_preview_pages_in_file_order(imported):
    d, frame, _ = imported
    page = maas_data("preview", d / "snapshot.parquet", "--offset", 100, "--limit", 5, "--columns", "negative,category")
    assert page["total_rows"] == ROWS
    assert [c["name"] for c in page["columns"]] == ["negative", "category"]
    expected = frame[["negative", "category"]].iloc[100:105]
    assert [r[0] for r in page["rows"]] == expected["negative"].tolist()
    assert [r[1] for r in page["rows"]] == [None if pd.isna(v) else v for v in expected["category"]]


def test_jsonl_import_profiles_like_csv(tmp_path):
    frame = generated_frame(rows=3000, seed=3)[["normal", "negative", "category"]]
    jsonl = tmp_path / "data.jsonl"
    frame.to_json(jsonl, orient="records", lines=True)
    with open(jsonl, "a") as f:
        f.write("{broken\n")
    result = maas_data("import", jsonl, "--snapshot", tmp_path / "s.parquet", "--profile")
    assert result["rows"] == 3000
    assert result["rejected_rows"] == 1
    p = columns(result)
    close(p["normal"]["mean"], frame["normal"].astype(float).mean(), "jsonl normal.mean")
    close(p["negative"]["std"], frame["negative"].std(), "jsonl negative.std")
    assert p["category"]["distinct"] == frame["category"].nunique()
