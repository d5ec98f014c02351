"""The steps feature search writes into its pipeline spec, against pandas 1.5 on the same data: ArithmeticFeatures
(products, ratios, differences, sums; a ratio over 0 is NaN) and GroupAggregate (df.groupby(key)[x].transform(agg)
for mean, std, min, max, count; relative to the group's statistic; unseen keys as handle_unknown says), fitted by
maas-features, which reloads the pipeline from the state it wrote before transforming."""
import numpy as np
import pandas as pd
import pytest

from test_pipelines_sklearn import maas


def frame(seed, rows, unseen=False):
    rng = np.random.default_rng(seed)
    a = rng.normal(3, 2, rows)
    a[rng.random(rows) < 0.1] = np.nan
    b = rng.integers(-2, 3, rows).astype(float)  # zeros: ratios over 0
    keys = ["Lyon", "Paris", "Nice", "solo"] + (["Brest"] if unseen else [])
    key = pd.Series(rng.choice(keys, rows, p=None), dtype=object)
    key[rng.random(rows) < 0.05] = np.nan
    return pd.DataFrame({"a": a, "b": b, "k": key, "n": rng.integers(0, 3, rows)})


def spec(steps, columns):
    return {"transformers": [{"name": "t", "columns": columns, "steps": steps}], "verbose_feature_names_out": False}


def test_arithmetic_features_equal_numpy():
    df = frame(1, 200)
    step = {"step": "ArithmeticFeatures", "pairs": [["a", "b"], ["b", "a"]],
            "ops": ["product", "ratio", "difference", "sum"]}
    names, ours = maas(spec([step], ["a", "b"]), df, df)
    assert names == ["a*b", "a/b", "a-b", "a+b", "b*a", "b/a", "b-a", "b+a"]
    with np.errstate(divide="ignore", invalid="ignore"):
        want = [df.a * df.b, (df.a / df.b).replace([np.inf, -np.inf], np.nan).where(df.b != 0), df.a - df.b,
                df.a + df.b, df.b * df.a, (df.b / df.a).where(df.a != 0), df.b - df.a, df.b + df.a]
    np.testing.assert_array_equal(ours, np.column_stack(want))


@pytest.mark.parametrize("key", ["k", "n"])
def test_group_aggregates_equal_pandas_groupby_transform(key):
    fit_df, apply_df = frame(2, 300), frame(3, 120)
    aggs = ["mean", "std", "min", "max", "count"]
    step = {"step": "GroupAggregate", "key": key, "column": "a", "aggs": aggs}
    names, ours = maas(spec([step], [key, "a"]), fit_df, apply_df)
    assert names == [f"{agg}(a by {key})" for agg in aggs]
    stats = fit_df.groupby(key)["a"].agg(aggs)
    want = apply_df[[key]].join(stats, on=key)[aggs].to_numpy(dtype=float)
    np.testing.assert_allclose(ours, want, rtol=1e-12, atol=0)
    # On the data it was fitted on, the values are pandas' transform.
    _, fitted = maas(spec([step], [key, "a"]), fit_df, fit_df)
    for j, agg in enumerate(aggs):
        np.testing.assert_allclose(fitted[:, j], fit_df.groupby(key)["a"].transform(agg).to_numpy(dtype=float),
                                   rtol=1e-12, atol=0)


def test_relative_aggregates_and_depth_two():
    df = frame(4, 250)
    ratio = {"step": "GroupAggregate", "key": "k", "column": "a", "relative": "ratio"}
    names, ours = maas(spec([ratio], ["k", "a"]), df, df)
    assert names == ["a/mean(a by k)"]
    np.testing.assert_allclose(ours[:, 0], df.a / df.groupby("k")["a"].transform("mean"), rtol=1e-12)
    difference = dict(ratio, relative="difference")
    _, ours = maas(spec([difference], ["k", "a"]), df, df)
    np.testing.assert_allclose(ours[:, 0], df.a - df.groupby("k")["a"].transform("mean"), rtol=1e-12)
    # Depth 2: the group mean of a product.
    steps = [{"step": "ArithmeticFeatures", "pairs": [["a", "b"]], "passthrough": True},
             {"step": "GroupAggregate", "key": "k", "column": "a*b"}]
    names, ours = maas(spec(steps, ["k", "a", "b"]), df, df)
    assert names == ["mean(a*b by k)"]
    np.testing.assert_allclose(ours[:, 0], (df.a * df.b).groupby(df.k).transform("mean"), rtol=1e-12)


def test_unseen_keys_follow_handle_unknown():
    fit_df, apply_df = frame(5, 200), frame(6, 100, unseen=True)
    assert (apply_df.k == "Brest").any()
    unseen = (apply_df.k == "Brest").to_numpy()
    base = {"step": "GroupAggregate", "key": "k", "column": "a"}
    _, ours = maas(spec([base], ["k", "a"]), fit_df, apply_df)
    assert np.isnan(ours[unseen, 0]).all()
    _, ours = maas(spec([dict(base, handle_unknown="global")], ["k", "a"]), fit_df, apply_df)
    np.testing.assert_allclose(ours[unseen, 0], fit_df.a.mean(), rtol=1e-12)
    names, error = maas(spec([dict(base, handle_unknown="error")], ["k", "a"]), fit_df, apply_df)
    assert names is None and "'Brest'" in error["message"] and "'k'" in error["message"], error


@pytest.mark.parametrize("step, message", [
    ({"step": "ArithmeticFeatures"}, "'pairs'"),
    ({"step": "ArithmeticFeatures", "pairs": [["a"]]}, "'pairs'"),
    ({"step": "ArithmeticFeatures", "pairs": [["a", "b"]], "ops": ["power"]}, "'ops'"),
    ({"step": "ArithmeticFeatures", "pairs": [["a", "zzz"]]}, "'zzz'"),
    ({"step": "ArithmeticFeatures", "pairs": [["a", "k"]]}, "'k'"),
    ({"step": "GroupAggregate", "column": "a"}, "'key'"),
    ({"step": "GroupAggregate", "key": "k", "column": "a", "aggs": ["median"]}, "'aggs'"),
    ({"step": "GroupAggregate", "key": "k", "column": "a", "relative": "log"}, "'relative'"),
    ({"step": "GroupAggregate", "key": "k", "column": "k"}, "'k'"),
])
def test_bad_parameters_are_errors_naming_them(step, message):
    df = frame(7, 50)
    names, error = maas(spec([step], ["a", "b", "k"]), df, df)
    assert names is None and message in error["message"], error
