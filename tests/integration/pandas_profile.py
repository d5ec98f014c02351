"""pandas 1.5 (Debian's python3-pandas) as the reference for dataset profiles: generated data with missing values,
NaN, negatives, huge and tiny values, a constant and an empty column, and checks that a profile (from maas-data or
from maasd's API) equals pandas' statistics on the same data to 1e-9."""
import math

import numpy as np
import pandas as pd

QUANTILES = {"p01": 0.01, "p05": 0.05, "p25": 0.25, "p50": 0.5, "p75": 0.75, "p95": 0.95, "p99": 0.99}
ROWS = 20000
NUMERIC_COLUMNS = ["normal", "negative", "huge", "tiny", "constant", "int_missing", "skewed"]


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


def write_csv_with_a_nan(frame, path):
    """The frame as CSV, with the first value of row 5 written as the text NaN: pandas reads it as a missing float,
    DuckDB as a DOUBLE NaN. Returns what pandas reads back (the reference)."""
    frame.to_csv(path, index=False)
    text = path.read_text().splitlines()
    text[5] = "NaN," + text[5].split(",", 1)[1]
    path.write_text("\n".join(text) + "\n")
    return pd.read_csv(path)


def close(actual, expected, what):
    assert actual is not None, what
    if isinstance(expected, float) and math.isnan(expected):
        assert actual == "NaN", what
        return
    assert math.isclose(float(actual), float(expected), rel_tol=1e-9, abs_tol=1e-12), \
        f"{what}: {actual!r} != {expected!r}"


def columns(result):
    """A profile's columns by name (`result` is a version or maas-data's output: it has "profile")."""
    return {c["name"]: c for c in result["profile"]["columns"]}


def check_numeric_profile(p, s, name):
    """A numeric column's profile equals pandas: counts, distinct, min/max, mean, std (ddof=1), linear quantiles and
    numpy's 20-bin histogram."""
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


def check_string_profile(p, s, name):
    """A string column's profile equals pandas: counts, distinct, min/max by code point, lengths in characters."""
    assert p["category"] == "string"
    assert p["count"] == s.count()
    assert p["missing"] == s.isna().sum()
    assert p["distinct"] == s.nunique()
    assert p["min"] == s.dropna().min()
    assert p["max"] == s.dropna().max()
    lengths = s.dropna().str.len()
    close(p["min_length"], lengths.min(), f"{name}.min_length")
    close(p["max_length"], lengths.max(), f"{name}.max_length")
    close(p["mean_length"], lengths.mean(), f"{name}.mean_length")


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
