"""Train/validation/test splits over a real maasd (POST /api/v1/datasets/{name}/versions/{ref}/split, docs/DATA.md):
one new version with a split column; the same seed gives the same rows (another seed others); random parts have the
fractions' sizes; stratified parts keep each class's proportion; grouped splits never cut a group; time splits put
earlier rows first; bad requests are clear 400s."""
import io

import numpy as np
import pandas as pd
import pytest

from conftest import error_of
from data_jobs import new_version

ROWS = 5000


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    from conftest import Maasd
    d = tmp_path_factory.mktemp("split")
    server = Maasd(d / "data").start()
    rng = np.random.RandomState(3)
    label = rng.choice(["a", "b", "c"], ROWS, p=[0.7, 0.25, 0.05]).astype(object)
    label[rng.rand(ROWS) < 0.02] = None
    df = pd.DataFrame({"id": np.arange(ROWS), "label": label, "user": rng.randint(0, 300, ROWS),
                       "ts": rng.permutation(ROWS), "x": rng.normal(size=ROWS)})
    assert server.post("/api/v1/datasets", json={"name": "events"}).status_code == 201
    r = server.post("/api/v1/datasets/events/versions", params={"filename": "events.csv"},
                    data=df.to_csv(index=False).encode(), headers={"Content-Type": "text/csv"})
    assert r.status_code == 201, r.text
    yield server, df
    assert server.stop() == 0


def split(server, **body):
    return server.post("/api/v1/datasets/events/versions/1/split", json=body)


def parts(server, body):
    v = new_version(server, split(server, **body))
    got = server.get(f"/api/v1/datasets/events/versions/{v['version']}/download", params={"format": "csv"})
    out = pd.read_csv(io.StringIO(got.text), keep_default_na=False, na_values={"label": [""]})
    return v, out


FRACTIONS = {"train": 0.7, "validation": 0.2, "test": 0.1}


def test_a_random_split_has_the_fractions_sizes_and_is_reproducible(loaded):
    server, df = loaded
    v, a = parts(server, {"method": "random", "fractions": FRACTIONS, "seed": 7})
    assert list(a.id) == list(df.id)  # the input's rows, in order, plus the split column
    assert v["schema"][-1] == {"name": "split", "type": "VARCHAR"}
    counts = a.split.value_counts().to_dict()
    assert counts == {"train": 3500, "validation": 1000, "test": 500}
    assert v["lineage"]["details"]["split"]["counts"] == counts
    assert v["lineage"]["parents"] == [{"dataset": "events", "version": 1}]
    _, again = parts(server, {"method": "random", "fractions": FRACTIONS, "seed": 7})
    assert (again.split == a.split).all()
    _, other = parts(server, {"method": "random", "fractions": FRACTIONS, "seed": 8})
    assert (other.split != a.split).sum() > 1000
    # Not the first rows in file order: the shuffle mixes the file.
    assert 0.6 < (a.split.iloc[:1000] == "train").mean() < 0.8


def test_a_stratified_split_keeps_each_class_proportion(loaded):
    server, df = loaded
    _, out = parts(server, {"method": "stratified", "column": "label", "fractions": FRACTIONS, "seed": 1})
    for label, rows in out.groupby(out.label.fillna("<missing>")):
        m = len(rows)
        for part, f in FRACTIONS.items():
            n = (rows.split == part).sum()
            if part == "test":
                assert abs(n - m * f) < 3, (label, part, n, m)
            else:
                assert n == int(np.floor(m * f + 1e-9)), (label, part, n, m)


M32 = 0xFFFFFFFF
M64 = 0xFFFFFFFFFFFFFFFF


def shuffle_key(seed, position):
    """docs/DATA.md's key of a row: fmix32((p mod 2^32) xor s) in the high half, p >> 32 in the low half, s the low 32
    bits of splitmix64's finalizer of the seed."""
    z = (seed + 0x9E3779B97F4A7C15) & M64
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M64
    h = (position & M32) ^ ((z ^ (z >> 31)) & M32)
    h ^= h >> 16
    h = (h * 0x85EBCA6B) & M32
    h ^= h >> 13
    h = (h * 0xC2B2AE35) & M32
    h ^= h >> 16
    return (h << 32) | (position >> 32)


@pytest.mark.parametrize("seed", [1, -5])
def test_a_stratified_split_is_the_documented_key_order(loaded, seed):
    """The assignment is a formula of the seed and the row's position, written down in DATA.md, so any maas (and any
    DuckDB version) reproduces it: within each class, rows by key, the first floor(n * train) train, and so on."""
    server, df = loaded
    _, out = parts(server, {"method": "stratified", "column": "label", "fractions": FRACTIONS, "seed": seed})
    want = pd.Series(index=df.index, dtype=object)
    for _, rows in df.groupby(df.label.fillna("<missing>")):
        ordered = sorted(rows.index, key=lambda p: shuffle_key(seed, p))
        n = len(ordered)
        train, validation = int(np.floor(n * 0.7 + 1e-9)), int(np.floor(n * 0.2 + 1e-9))
        for rank, p in enumerate(ordered):
            want[p] = "train" if rank < train else "validation" if rank < train + validation else "test"
    assert list(out.split) == list(want)


def test_a_grouped_split_never_cuts_a_group(loaded):
    server, df = loaded
    _, out = parts(server, {"method": "grouped", "column": "user", "fractions": FRACTIONS, "seed": 4})
    assert (out.groupby("user").split.nunique() == 1).all()
    share = out.split.value_counts(normalize=True)
    assert abs(share["train"] - 0.7) < 0.05 and abs(share["validation"] - 0.2) < 0.05 and share["test"] > 0.05


def test_a_time_split_puts_earlier_rows_first(loaded):
    server, df = loaded
    _, out = parts(server, {"method": "time", "column": "ts", "fractions": {"train": 0.8, "test": 0.2}})
    assert out.split.value_counts().to_dict() == {"train": 4000, "test": 1000}
    assert out[out.split == "train"].ts.max() < out[out.split == "test"].ts.min()


@pytest.mark.parametrize("body,words", [
    ({"method": "random", "fractions": {"train": 0.8, "test": 0.3}}, "sum to 1"),
    ({"method": "random", "fractions": {"train": 1.5, "test": -0.5}}, "in [0, 1]"),
    ({"method": "random", "fractions": {"train": 0.5, "holdout": 0.5}}, "unknown part 'holdout'"),
    ({"method": "stratified", "fractions": FRACTIONS}, "needs 'column'"),
    ({"method": "stratified", "column": "nope", "fractions": FRACTIONS}, "unknown column 'nope'"),
    ({"method": "shuffle", "fractions": FRACTIONS}, "'method' must be one of"),
    ({"method": "random", "fractions": FRACTIONS, "seed": "x"}, "'seed' must be an integer"),
    ({"method": "random", "fractions": FRACTIONS, "split_column": "id"}, "already has a column 'id'"),
    ({"method": "random", "fractions": FRACTIONS, "extra": 1}, "extra"),
])
def test_bad_splits_are_400s(loaded, body, words):
    server, _ = loaded
    r = split(server, **body)
    assert r.status_code == 400, r.text
    assert words in error_of(r)["message"], r.text
