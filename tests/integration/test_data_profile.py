"""Dataset profiles equal pandas 1.5 (Debian's python3-pandas) on the same data, to 1e-9: counts, missing values,
distinct counts, min/max, mean, sample std (ddof=1), quantiles (linear interpolation), top values, numpy's histogram
and string lengths; and exports read back by pandas give the data that was imported."""
import json
import math

import numpy as np
import pandas as pd
import pytest

from data_tool import maas_data

QUANTILES = {"p01": 0.01, "p05": 0.05, "p25": 0.25, "p50": 0.5, "p75": 0.75, "p95": 0.95, "p99": 0.99}
ROWS = 20000


def generated_frame(rows=ROWS, seed=12):
    rng = np.random.RandomState(seed)

    def with_missing(values, fraction):
        values = values.astype(object)
        values[rng.rand(len(values)) < fraction] = None
        return values

    words = np.array(["alpha", "beta", "gamma", "delta", "épsilon", "日本語", "z" * 40, "a b"])
    frame = pd.DataFrame({
        "normal": with_missing(rng.normal(100.0, 15.0, rows), 0.05),
        "negative": rng.randint(-1000, 1000, rows),
        "huge": rng.normal(0.0, 1.0, rows) * 1e12 + 3e14,
        "tiny": rng.normal(0.0, 1e-9, rows),
        "constant": np.full(rows, 7.25),
        "empty": [None] * rows,
        "category": with_missing(words[rng.randint(0, len(words), rows)], 0.1),
        "int_missing": with_missing(rng.randint(0, 50, rows), 0.2),
        "flag": rng.rand(rows) < 0.3,
        "skewed": np.floor(rng.exponential(2.0, rows)),
    })
    return frame


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    d = tmp_path_factory.mktemp("profile")
    frame = generated_frame()
    csv = d / "data.csv"
    frame.to_csv(csv, index=False)
    # A NaN written as text: pandas reads it as a missing float, DuckDB as a DOUBLE NaN.
    text = csv.read_text().splitlines()
    text[5] = "NaN," + text[5].split(",", 1)[1]
    csv.write_text("\n".join(text) + "\n")
    result = maas_data("--threads", "2", "import", csv, "--snapshot", d / "snapshot.parquet", "--profile")
    return d, pd.read_csv(csv), result


def close(actual, expected, what):
    assert actual is not None, what
    if isinstance(expected, float) and math.isnan(expected):
        assert actual == "NaN", what
        return
    assert math.isclose(float(actual), float(expected), rel_tol=1e-9, abs_tol=1e-12), \
        f"{what}: {actual!r} != {expected!r}"


def columns(result):
    return {c["name"]: c for c in result["profile"]["columns"]}


def test_every_row_is_imported(imported):
    _, frame, result = imported
    assert result["rows"] == len(frame) == ROWS
    assert result["rejected_rows"] == 0
    assert [c["name"] for c in result["schema"]] == list(frame.columns)


@pytest.mark.parametrize("name", ["normal", "negative", "huge", "tiny", "constant", "int_missing", "skewed"])
def test_numeric_columns_equal_pandas(imported, name):
    _, frame, result = imported
    s = frame[name]
    p = columns(result)[name]
    assert p["category"] == "numeric"
    assert p["count"] == s.count()
    assert p["missing"] == s.isna().sum()
    assert p["distinct"] == s.nunique()
    close(p["min"], s.min(), f"{name}.min")
    close(p["max"], s.max(), f"{name}.max")
    close(p["mean"], s.mean(), f"{name}.mean")
    close(p["std"], s.std(ddof=1), f"{name}.std")
    for key, q in QUANTILES.items():
        close(p["quantiles"][key], s.quantile(q, interpolation="linear"), f"{name}.{key}")
    counts, edges = np.histogram(s.dropna().astype(float), bins=20)
    assert p["histogram"]["counts"] == counts.tolist(), name
    for a, b in zip(p["histogram"]["edges"], edges):
        close(a, b, f"{name}.histogram edge")


def top_values_match(profile_top, series):
    """The profile's top values are the most frequent values with pandas' counts; among equal counts any order."""
    expected = series.dropna().value_counts()
    assert len(profile_top) == min(10, len(expected))
    counts = [t["count"] for t in profile_top]
    assert counts == sorted(expected.values.tolist(), reverse=True)[:len(counts)]
    for t in profile_top:
        value = t["value"]
        match = expected[expected.index == value]
        assert len(match) == 1 and match.iloc[0] == t["count"], (value, t["count"])


@pytest.mark.parametrize("name", ["normal", "negative", "category", "int_missing", "flag", "skewed"])
def test_top_values_equal_pandas_value_counts(imported, name):
    _, frame, result = imported
    top_values_match(columns(result)[name]["top_values"], frame[name])


def test_string_column_equals_pandas(imported):
    _, frame, result = imported
    s = frame["category"]
    p = columns(result)["category"]
    assert p["category"] == "string"
    assert p["count"] == s.count()
    assert p["missing"] == s.isna().sum()
    assert p["distinct"] == s.nunique()
    assert p["min"] == s.dropna().min()
    assert p["max"] == s.dropna().max()
    lengths = s.dropna().str.len()
    close(p["min_length"], lengths.min(), "min_length")
    close(p["max_length"], lengths.max(), "max_length")
    close(p["mean_length"], lengths.mean(), "mean_length")


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
