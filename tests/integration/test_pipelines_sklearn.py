"""Feature steps against scikit-learn 1.2: the same spec fitted by maas-features and by sklearn on generated data
(NaNs, ties, constant columns, unseen categories) gives the same output columns, names and values to 1e-9.
maas-features transforms with a pipeline loaded from the state it wrote, so this also checks the stored state."""

import json
import os
import pathlib
import subprocess

import numpy as np
import pandas as pd
import pytest
from sklearn.compose import ColumnTransformer
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import (
    FunctionTransformer,
    KBinsDiscretizer,
    MaxAbsScaler,
    MinMaxScaler,
    OneHotEncoder,
    OrdinalEncoder,
    PolynomialFeatures,
    RobustScaler,
    StandardScaler,
)
from sklearn.impute import SimpleImputer

from conftest import BIN_DIR

TOOL = pathlib.Path(BIN_DIR) / "maas-features"


def frame(seed, rows, unseen=False):
    rng = np.random.default_rng(seed)
    x = rng.normal(10, 3, rows)
    x[rng.random(rows) < 0.1] = np.nan
    big = 1e6 + rng.normal(0, 1e-3, rows)  # a large offset: the variance must not cancel
    ties = rng.integers(0, 4, rows).astype(float)  # few distinct values: quantiles fall on ties
    skew = rng.exponential(2.0, rows)
    colors = ["red", "green", "blue", "Ünï", "a b"] + (["violet"] if unseen else [])
    color = pd.Series(rng.choice(colors, rows), dtype=object)
    color[rng.random(rows) < 0.1] = np.nan
    size = pd.Series(rng.choice(["S", "M", "L"] + (["XL"] if unseen else []), rows), dtype=object)
    binary = pd.Series(rng.choice(["yes", "no"], rows), dtype=object)
    count = rng.integers(-2, 3 + (2 if unseen else 0), rows)
    return pd.DataFrame({"x": x, "big": big, "ties": ties, "skew": skew, "const": np.full(rows, 4.25),
                         "color": color, "size": size, "binary": binary, "count": count})


def table(df):
    columns = []
    for name in df.columns:
        s = df[name]
        if s.dtype == object:
            columns.append({"name": name, "type": "text",
                            "values": [None if (isinstance(v, float) and np.isnan(v)) else v for v in s]})
        elif np.issubdtype(s.dtype, np.integer):
            columns.append({"name": name, "type": "integer", "values": [int(v) for v in s]})
        else:
            columns.append({"name": name, "type": "number",
                            "values": [None if np.isnan(v) else float(v) for v in s]})
    return {"columns": columns}


def maas(spec, fit_df, apply_df):
    request = {"spec": spec, "fit": table(fit_df), "transform": table(apply_df)}
    done = subprocess.run([str(TOOL)], input=json.dumps(request), capture_output=True, text=True, timeout=60)
    out = json.loads(done.stdout)
    if done.returncode != 0:
        return None, out["error"]
    columns = out["output"]["columns"]
    names = [c["name"] for c in columns]
    assert names == out["output_columns"]
    values = np.array([[np.nan if v is None else v for v in c["values"]] for c in columns], dtype=float).T
    return names, values


def check(spec, sk_transformers, remainder="drop", verbose=True, seed=1, rows=300):
    fit_df, apply_df = frame(seed, rows), frame(seed + 100, 80, unseen=False)
    names, ours = maas(spec, fit_df, apply_df)
    assert names is not None, ours
    ct = ColumnTransformer(sk_transformers, remainder=remainder, verbose_feature_names_out=verbose)
    ct.fit(fit_df)
    theirs = np.asarray(ct.transform(apply_df), dtype=float)
    assert names == list(ct.get_feature_names_out())
    np.testing.assert_allclose(ours, theirs, rtol=1e-9, atol=1e-9, equal_nan=True)


def one(name, columns, *steps):
    return {"name": name, "columns": columns, "steps": list(steps)}


NUMERIC = ["x", "big", "ties", "skew", "const"]


@pytest.mark.parametrize("with_mean,with_std", [(True, True), (False, True), (True, False)])
def test_standard_scaler(with_mean, with_std):
    spec = {"transformers": [one("s", NUMERIC, {"step": "StandardScaler", "with_mean": with_mean,
                                                 "with_std": with_std})]}
    check(spec, [("s", StandardScaler(with_mean=with_mean, with_std=with_std), NUMERIC)])


def test_min_max_max_abs_and_robust_scalers():
    spec = {"transformers": [
        one("mm", NUMERIC, {"step": "MinMaxScaler", "feature_range": [-1, 2]}),
        one("clip", ["x", "skew"], {"step": "MinMaxScaler", "clip": True}),
        one("ma", NUMERIC, {"step": "MaxAbsScaler"}),
        one("r", NUMERIC, {"step": "RobustScaler"}),
        one("r2", NUMERIC, {"step": "RobustScaler", "quantile_range": [10, 90], "with_centering": False}),
    ]}
    check(spec, [("mm", MinMaxScaler(feature_range=(-1, 2)), NUMERIC),
                 ("clip", MinMaxScaler(clip=True), ["x", "skew"]),
                 ("ma", MaxAbsScaler(), NUMERIC),
                 ("r", RobustScaler(), NUMERIC),
                 ("r2", RobustScaler(quantile_range=(10, 90), with_centering=False), NUMERIC)])


def test_simple_imputer_numbers_and_text():
    spec = {"transformers": [
        one("mean", ["x"], {"step": "SimpleImputer"}),
        one("median", ["x"], {"step": "SimpleImputer", "strategy": "median"}),
        one("mode", ["x", "ties"], {"step": "SimpleImputer", "strategy": "most_frequent"}),
        one("const", ["x"], {"step": "SimpleImputer", "strategy": "constant", "fill_value": -7.5}),
        one("text", ["color"], {"step": "SimpleImputer", "strategy": "most_frequent"},
            {"step": "OrdinalEncoder"}),
        one("text0", ["color"], {"step": "SimpleImputer", "strategy": "constant"}, {"step": "OneHotEncoder"}),
    ]}
    check(spec, [("mean", SimpleImputer(), ["x"]),
                 ("median", SimpleImputer(strategy="median"), ["x"]),
                 ("mode", SimpleImputer(strategy="most_frequent"), ["x", "ties"]),
                 ("const", SimpleImputer(strategy="constant", fill_value=-7.5), ["x"]),
                 ("text", make_pipeline(SimpleImputer(strategy="most_frequent", missing_values=np.nan),
                                        OrdinalEncoder()), ["color"]),
                 ("text0", make_pipeline(SimpleImputer(strategy="constant", missing_values=np.nan),
                                         OneHotEncoder(sparse_output=False)), ["color"])])


@pytest.mark.parametrize("drop", [None, "first", "if_binary"])
def test_one_hot_encoder_with_unseen_categories(drop):
    cats = ["color", "size", "binary", "count", "ties"]
    spec = {"transformers": [one("oh", cats, {"step": "OneHotEncoder", "handle_unknown": "ignore", "drop": drop})]}
    fit_df, apply_df = frame(3, 200), frame(4, 60, unseen=True)
    names, ours = maas(spec, fit_df, apply_df)
    ct = ColumnTransformer([("oh", OneHotEncoder(handle_unknown="ignore", drop=drop, sparse_output=False), cats)])
    theirs = ct.fit(fit_df).transform(apply_df)
    assert names == list(ct.get_feature_names_out())
    np.testing.assert_array_equal(ours, theirs)


def test_one_hot_encoder_refuses_an_unseen_category_by_default():
    spec = {"transformers": [one("oh", ["size"], {"step": "OneHotEncoder"})]}
    names, error = maas(spec, frame(3, 200), frame(4, 60, unseen=True))
    assert names is None and error["code"] == "INVALID_ARGUMENT"
    assert "column 'size'" in error["message"] and "'XL'" in error["message"], error


def test_ordinal_encoder_unknown_and_missing():
    cats = ["color", "size", "count"]
    spec = {"transformers": [one("o", cats, {"step": "OrdinalEncoder", "handle_unknown": "use_encoded_value",
                                             "unknown_value": -1, "encoded_missing_value": -2})]}
    fit_df, apply_df = frame(5, 200), frame(6, 60, unseen=True)
    names, ours = maas(spec, fit_df, apply_df)
    enc = OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=-1, encoded_missing_value=-2)
    ct = ColumnTransformer([("o", enc, cats)])
    theirs = ct.fit(fit_df).transform(apply_df)
    assert names == list(ct.get_feature_names_out())
    np.testing.assert_array_equal(ours, theirs)


def test_count_and_frequency_encoders_equal_pandas_value_counts():
    spec = {"transformers": [one("n", ["color", "count"], {"step": "CountEncoder"}),
                             one("f", ["color", "count"], {"step": "FrequencyEncoder"})]}
    fit_df, apply_df = frame(7, 250), frame(8, 60, unseen=True)
    names, ours = maas(spec, fit_df, apply_df)
    assert names == ["n__color", "n__count", "f__color", "f__count"]
    expected = []
    for normalize in (False, True):
        for c in ["color", "count"]:
            counts = fit_df[c].value_counts(dropna=False, normalize=normalize)
            expected.append(apply_df[c].map(counts).fillna(0).to_numpy(dtype=float))
    np.testing.assert_allclose(ours, np.array(expected).T, rtol=1e-12, atol=0)


@pytest.mark.parametrize("strategy", ["uniform", "quantile"])
@pytest.mark.parametrize("encode", ["ordinal", "onehot-dense"])
def test_kbins_discretizer(strategy, encode):
    cols = ["big", "ties", "skew", "const"]
    spec = {"transformers": [one("k", cols, {"step": "KBinsDiscretizer", "n_bins": 6, "strategy": strategy,
                                             "encode": encode})]}
    check(spec, [("k", KBinsDiscretizer(n_bins=6, strategy=strategy, encode=encode), cols)])


@pytest.mark.parametrize("degree,interaction_only,include_bias", [(2, False, True), (3, False, False),
                                                                   (3, True, True)])
def test_polynomial_features(degree, interaction_only, include_bias):
    cols = ["ties", "skew", "big"]
    spec = {"transformers": [one("p", cols, {"step": "PolynomialFeatures", "degree": degree,
                                             "interaction_only": interaction_only,
                                             "include_bias": include_bias})]}
    check(spec, [("p", PolynomialFeatures(degree=degree, interaction_only=interaction_only,
                                          include_bias=include_bias), cols)])


def test_log1p_and_a_column_transformer_with_passthrough_remainder():
    spec = {"transformers": [one("log", ["skew", "x"], {"step": "Log1p"}, {"step": "StandardScaler"}),
                             one("keep", ["ties"])],
            "remainder": "passthrough"}
    numeric = frame(9, 200).drop(columns=["color", "size", "binary"])
    apply_df = frame(10, 50).drop(columns=["color", "size", "binary"])
    names, ours = maas(spec, numeric, apply_df)
    log = FunctionTransformer(np.log1p, feature_names_out="one-to-one")
    ct = ColumnTransformer([("log", make_pipeline(log, StandardScaler()), ["skew", "x"]),
                            ("keep", "passthrough", ["ties"])], remainder="passthrough")
    theirs = ct.fit(numeric).transform(apply_df)
    assert names == list(ct.get_feature_names_out())
    np.testing.assert_allclose(ours, theirs, rtol=1e-9, atol=1e-9, equal_nan=True)


def test_short_names_without_verbose_feature_names_out():
    spec = {"transformers": [one("s", ["x", "big"], {"step": "StandardScaler"}),
                             one("oh", ["size"], {"step": "OneHotEncoder"})],
            "verbose_feature_names_out": False}
    check(spec, [("s", StandardScaler(), ["x", "big"]), ("oh", OneHotEncoder(sparse_output=False), ["size"])],
          verbose=False)


@pytest.mark.parametrize("spec,fit_df,needle", [
    ({"transformers": [one("s", ["nope"], {"step": "StandardScaler"})]}, None, "'nope'"),
    ({"transformers": [one("s", ["color"], {"step": "StandardScaler"})]}, None, "column 'color' holds text"),
    ({"transformers": [one("k", ["x"], {"step": "KBinsDiscretizer"})]}, None, "column 'x' holds a missing value"),
    ({"transformers": [one("s", ["x"], {"step": "StandardScaler"})]}, "empty", "no rows"),
    ({"transformers": [one("s", ["x"], {"step": "StandardScaler", "with_mean": "yes"})]}, None, "'with_mean'"),
    ({"transformers": [one("s", ["x"], {"step": "Standardizer"})]}, None, "'step' must be one of"),
    ({"transformers": [one("s", ["x"], {"step": "StandardScaler", "copy": True})]}, None, "copy"),
])
def test_bad_specs_and_data_are_clear_errors(spec, fit_df, needle):
    df = frame(11, 50)
    names, error = maas(spec, df.iloc[0:0] if fit_df == "empty" else df, df)
    assert names is None, "expected an error"
    assert error["code"] == "INVALID_ARGUMENT" and needle in error["message"], error


def test_infinite_values_are_refused_naming_the_column():
    request = {"spec": {"transformers": [one("s", ["v"], {"step": "StandardScaler"})]},
               "fit": {"columns": [{"name": "v", "type": "number", "values": [1.0, 1e308 * 10]}]}}
    text = json.dumps(request)  # Python writes Infinity, which is not JSON: the tool must say so, not crash
    done = subprocess.run([str(TOOL)], input=text, capture_output=True, text=True, timeout=60)
    assert done.returncode == 1 and json.loads(done.stdout)["error"]["code"] == "INVALID_ARGUMENT"


@pytest.mark.parametrize("method,standardize", [("yeo-johnson", True), ("yeo-johnson", False), ("box-cox", True),
                                                ("box-cox", False)])
def test_power_transformer_lambdas_and_values(method, standardize):
    """Lambda is Brent's minimum of a likelihood, found to scipy's tolerance 1.48e-8. numpy computes log, log1p and
    power with SIMD code (SVML on AVX-512) that differs from the C library in the last bits, and Brent's steps
    amplify that to its own tolerance, so lambdas and values agree to 1e-6 relative here, not 1e-9 (docs/FEATURES.md).
    A column 1e6 + noise(1e-3) is left out: its likelihood is flat and sklearn's lambda itself is arbitrary there."""
    from sklearn.preprocessing import PowerTransformer
    cols = ["skew", "ties_pos"] if method == "box-cox" else ["x", "skew", "ties"]
    fit_df, apply_df = frame(12, 400), frame(13, 80)
    for df in (fit_df, apply_df):
        df["ties_pos"] = df["ties"] + 0.5
    spec = {"transformers": [one("pt", cols, {"step": "PowerTransformer", "method": method,
                                              "standardize": standardize})]}
    request = {"spec": spec, "fit": table(fit_df), "transform": table(apply_df)}
    done = subprocess.run([str(TOOL)], input=json.dumps(request), capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout
    out = json.loads(done.stdout)
    pt = PowerTransformer(method=method, standardize=standardize).fit(fit_df[cols])
    np.testing.assert_allclose(out["state"]["transformers"][0][0]["lambdas"], pt.lambdas_, rtol=1e-6)
    ours = np.array([[np.nan if v is None else v for v in c["values"]] for c in out["output"]["columns"]]).T
    np.testing.assert_allclose(ours, pt.transform(apply_df[cols]), rtol=1e-6, atol=1e-7, equal_nan=True)


def test_box_cox_refuses_values_that_are_not_positive():
    spec = {"transformers": [one("pt", ["x"], {"step": "PowerTransformer", "method": "box-cox"})]}
    df = frame(14, 50)
    df["x"] = df["x"] - 100
    names, error = maas(spec, df, df)
    assert names is None and "box-cox needs values above 0" in error["message"] and "'x'" in error["message"]


REFERENCE_LAMBDAS = """
import json, sys
import numpy as np
from sklearn.preprocessing import PowerTransformer
request = json.load(sys.stdin)
columns = [[np.nan if v is None else v for v in c["values"]] for c in request["columns"]]
pt = PowerTransformer(method=request["method"]).fit(np.array(columns).T)
print(json.dumps(pt.lambdas_.tolist()))
"""


@pytest.mark.parametrize("method", ["yeo-johnson", "box-cox"])
def test_power_transformer_lambdas_are_bit_equal_when_numpy_uses_the_c_library(method):
    """With numpy's SIMD dispatch switched off, numpy's log, log1p and power are the C library's, as maas's are,
    and then the same sums and the same Brent steps give the same lambdas bit for bit."""
    from numpy.core._multiarray_umath import __cpu_dispatch__, __cpu_features__
    cols = ["skew", "ties_pos"] if method == "box-cox" else ["x", "skew", "ties"]
    df = frame(12, 400)
    df["ties_pos"] = df["ties"] + 0.5
    spec = {"transformers": [one("pt", cols, {"step": "PowerTransformer", "method": method})]}
    done = subprocess.run([str(TOOL)], input=json.dumps({"spec": spec, "fit": table(df)}), capture_output=True,
                          text=True, timeout=60)
    ours = json.loads(done.stdout)["state"]["transformers"][0][0]["lambdas"]
    env = dict(os.environ, NPY_DISABLE_CPU_FEATURES=" ".join(f for f in __cpu_dispatch__ if __cpu_features__.get(f)))
    reference = subprocess.run(["/usr/bin/python3", "-c", REFERENCE_LAMBDAS], env=env, capture_output=True, text=True,
                               timeout=120, input=json.dumps({"method": method, "columns": table(df[cols])["columns"]}))
    assert reference.returncode == 0, reference.stderr
    assert ours == json.loads(reference.stdout)


def target_encodings(codes, y, n_categories, smooth):
    """sklearn 1.3's TargetEncoder encodings (_fit_encoding_fast and _fit_encoding_fast_auto_smooth), in numpy."""
    mean, var = np.mean(y), np.var(y)
    out = np.empty(n_categories)
    for c in range(n_categories):
        yc = y[codes == c]
        if smooth != "auto":
            out[c] = (yc.sum() + smooth * mean) / (len(yc) + smooth)
            continue
        with np.errstate(invalid="ignore", divide="ignore"):
            lam = var * len(yc) / (var * len(yc) + ((yc - yc.mean()) ** 2).sum() / len(yc)) if len(yc) else np.nan
        out[c] = mean if np.isnan(lam) else lam * yc.mean() + (1 - lam) * mean
    return out


@pytest.mark.parametrize("smooth", ["auto", 3.5])
def test_target_encoder_equals_sklearn_1_3_definition_in_and_out_of_fold(smooth):
    fit_df, apply_df = frame(15, 203), frame(16, 60, unseen=True)
    rng = np.random.default_rng(5)
    fit_df["y"] = fit_df["size"].map({"S": 1.0, "M": 2.0, "L": 4.0}) + rng.normal(0, 1, len(fit_df))
    spec = {"transformers": [one("te", ["size", "color"], {"step": "TargetEncoder", "target": "y", "smooth": smooth,
                                                           "cv": 4, "shuffle": False})],
            "remainder": "passthrough"}
    request = {"spec": spec, "fit": table(fit_df), "transform": table(apply_df.assign(y=0.0))}
    done = subprocess.run([str(TOOL)], input=json.dumps(request), capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout
    out = json.loads(done.stdout)
    assert "remainder__y" not in out["output_columns"]  # the target is never a feature
    y = fit_df["y"].to_numpy()
    folds = np.array_split(np.arange(len(y)), 4)  # KFold(4, shuffle=False): the first n % 4 folds one row longer
    for i, name in enumerate(["size", "color"]):
        cats = pd.Categorical(fit_df[name].fillna("\uffff"))  # missing is a category, ordered last
        codes = cats.codes
        full = target_encodings(codes, y, len(cats.categories), smooth)
        ours_oof = np.array([np.nan if v is None else v for v in out["fit_output"]["columns"][i]["values"]])
        expected_oof = np.empty(len(y))
        for test in folds:
            train = np.setdiff1d(np.arange(len(y)), test)
            # encodings learned on the other folds; the training rows' mean stands in for categories absent there
            expected_oof[test] = target_encodings(codes[train], y[train], len(cats.categories), smooth)[codes[test]]
        np.testing.assert_allclose(ours_oof, expected_oof, rtol=1e-12, atol=1e-12)
        lookup = dict(zip(cats.categories, full))
        expected = [lookup.get("\uffff" if (isinstance(v, float) and np.isnan(v)) else v, y.mean())
                    for v in apply_df[name]]
        ours = [c for c in out["output"]["columns"] if c["name"] == f"te__{name}"][0]["values"]
        np.testing.assert_allclose(ours, expected, rtol=1e-12, atol=1e-12)


def test_target_encoder_folds_follow_the_seed():
    df = frame(17, 120)
    df["y"] = np.arange(len(df), dtype=float)

    def fit_output(seed, shuffle=True):
        spec = {"transformers": [one("te", ["size"], {"step": "TargetEncoder", "target": "y", "shuffle": shuffle,
                                                      "random_state": seed})]}
        done = subprocess.run([str(TOOL)], input=json.dumps({"spec": spec, "fit": table(df)}), capture_output=True,
                              text=True, timeout=60)
        return json.loads(done.stdout)["fit_output"]["columns"][0]["values"]

    assert fit_output(1) == fit_output(1)
    assert fit_output(1) != fit_output(2) and fit_output(1) != fit_output(1, shuffle=False)


def skewed_frame(seed, rows, unseen=False):
    """Categories of very different frequencies, so min_frequency and max_categories have something to group."""
    df = frame(seed, rows, unseen)
    rng = np.random.default_rng(seed)
    letters = ["a", "b", "c", "d", "e", "f", "g"] + (["new"] if unseen else [])
    weights = np.array([40, 25, 15, 8, 6, 4, 2] + ([5] if unseen else []), dtype=float)
    df["letter"] = pd.Series(rng.choice(letters, rows, p=weights / weights.sum()), dtype=object)
    return df


@pytest.mark.parametrize("params", [
    {"min_frequency": 10, "handle_unknown": "infrequent_if_exist"},
    {"min_frequency": 0.1, "handle_unknown": "ignore"},
    {"max_categories": 3, "handle_unknown": "infrequent_if_exist"},
    {"max_categories": 4, "min_frequency": 5, "handle_unknown": "infrequent_if_exist", "drop": "first"},
    {"max_categories": 2, "handle_unknown": "ignore", "drop": "if_binary"},
    {"handle_unknown": "ignore", "drop": ["c", "M"]},
    {"min_frequency": 20, "handle_unknown": "infrequent_if_exist", "drop": ["a", "L"]},
])
def test_one_hot_encoder_infrequent_categories_and_drop_lists(params):
    cols = ["letter", "size"]
    spec = {"transformers": [one("oh", cols, dict(step="OneHotEncoder", **params))]}
    fit_df, apply_df = skewed_frame(20, 300), skewed_frame(21, 80, unseen=True)
    names, ours = maas(spec, fit_df, apply_df)
    assert names is not None, ours
    ct = ColumnTransformer([("oh", OneHotEncoder(sparse_output=False, **params), cols)])
    theirs = ct.fit(fit_df).transform(apply_df)
    assert names == list(ct.get_feature_names_out())
    np.testing.assert_array_equal(ours, theirs)


def test_one_hot_encoder_refuses_to_drop_an_infrequent_or_absent_category():
    for drop, needle in [(["g"], "infrequent"), (["zz"], "does not hold")]:
        spec = {"transformers": [one("oh", ["letter"], {"step": "OneHotEncoder", "min_frequency": 20,
                                                        "drop": drop})]}
        names, error = maas(spec, skewed_frame(20, 300), skewed_frame(21, 10))
        assert names is None and needle in error["message"] and "'letter'" in error["message"], error
