"""The model registry through its HTTP API, against a real maasd: the round trip, aliases and lifecycle,
pagination and filters, deduplication and garbage collection, and every malformed input getting its 4xx."""
import hashlib
import os

import pytest

from conftest import error_of
from fixture_names import BAD, GOOD


def create(maasd, name, **fields):
    r = maasd.post("/api/v1/models", json={"name": name, **fields})
    assert r.status_code == 201, r.text
    return r.json()


def store_state(maasd):
    return maasd.get("/api/v1/admin/store").json()


def test_round_trip_upload_list_show_alias_resolve_delete(maasd, models_dir):
    model = create(maasd, "cancer", description="breast cancer", tags={"team": "risk"})
    assert model["latest_version"] is None and model["version_count"] == 0
    path = models_dir / GOOD["xgboost-json"]
    r = maasd.upload("cancer", path, framework="xgboost")
    assert r.status_code == 201, r.text
    v1 = r.json()
    content = path.read_bytes()
    assert v1["version"] == 1
    assert v1["digest"] == "sha256:" + hashlib.sha256(content).hexdigest()
    assert v1["size_bytes"] == len(content)
    assert v1["framework"] == "xgboost" and v1["format"] == "xgboost-json"
    assert v1["state"] == "registered"
    assert v1["signature"]["inputs"][0]["shape"] == [-1, 30]
    assert v1["state_history"][0]["to"] == "registered"
    assert r.headers["Location"] == "/api/v1/models/cancer/versions/1"

    v2 = maasd.upload("cancer", models_dir / GOOD["xgboost-ubj"]).json()  # framework detected from the bytes
    assert v2["version"] == 2 and v2["format"] == "xgboost-ubjson"

    listed = maasd.get("/api/v1/models").json()
    assert [m["name"] for m in listed["models"]] == ["cancer"]
    assert listed["models"][0]["latest_version"] == 2 and listed["models"][0]["version_count"] == 2
    versions = maasd.get("/api/v1/models/cancer/versions").json()["versions"]
    assert [v["version"] for v in versions] == [2, 1]

    r = maasd.put("/api/v1/models/cancer/aliases/champion", json={"version": 1})
    assert r.status_code == 200 and r.json() == {"model": "cancer", "alias": "champion", "version": 1}
    assert maasd.get("/api/v1/models/cancer@champion").json()["version"] == 1
    assert maasd.get("/api/v1/models/cancer/versions/champion").json()["digest"] == v1["digest"]
    assert maasd.get("/api/v1/models/cancer/versions/latest").json()["version"] == 2
    assert maasd.get("/api/v1/models/cancer").json()["aliases"] == {"champion": 1}
    assert maasd.get("/api/v1/models/cancer/versions/1").json()["aliases"] == ["champion"]

    # The aliased version cannot be deleted; the other can, and its number is never reused.
    r = maasd.delete("/api/v1/models/cancer/versions/1")
    assert r.status_code == 409 and "champion" in error_of(r)["message"]
    assert maasd.delete("/api/v1/models/cancer/versions/2").status_code == 204
    assert maasd.get("/api/v1/models/cancer/versions/2").status_code == 404
    assert maasd.upload("cancer", models_dir / GOOD["xgboost-ubj"]).json()["version"] == 3

    download = maasd.get("/api/v1/models/cancer@champion".replace("@champion", "/versions/champion/artifact"))
    assert download.status_code == 200 and download.content == content
    assert download.headers["ETag"] == '"' + v1["digest"] + '"'

    assert maasd.delete("/api/v1/models/cancer/aliases/champion").status_code == 204
    assert maasd.get("/api/v1/models/cancer@champion").status_code == 404
    assert maasd.delete("/api/v1/models/cancer").status_code == 204
    assert maasd.get("/api/v1/models/cancer").status_code == 404
    assert store_state(maasd)["blobs"] == 0  # nothing references the artifacts any more


def test_every_framework_is_detected_and_described(maasd, models_dir):
    create(maasd, "any")
    for kind, framework, fmt in [("xgboost-json", "xgboost", "xgboost-json"), ("xgboost-ubj", "xgboost", "xgboost-ubjson"),
                                 ("xgboost-binary", "xgboost", "xgboost-binary"), ("onnx-mlp", "onnx", "onnx"),
                                 ("torchscript-mlp", "torchscript", "torchscript"), ("gguf", "gguf", "gguf")]:
        r = maasd.upload("any", models_dir / GOOD[kind])
        assert r.status_code == 201, (kind, r.text)
        assert (r.json()["framework"], r.json()["format"]) == (framework, fmt), kind
    onnx = maasd.get("/api/v1/models/any/versions/4").json()["signature"]
    assert onnx["inputs"][0]["datatype"] == "FP32" and onnx["inputs"][0]["shape"][0] == -1
    assert "Gemm" in onnx["details"]["operators"] or "MatMul" in onnx["details"]["operators"]


def test_identical_content_is_stored_once(maasd, models_dir):
    create(maasd, "a")
    create(maasd, "b")
    path = models_dir / GOOD["onnx-mlp"]
    d1 = maasd.upload("a", path).json()["digest"]
    d2 = maasd.upload("b", path).json()["digest"]
    assert d1 == d2
    assert store_state(maasd)["blobs"] == 1
    assert maasd.delete("/api/v1/models/a").status_code == 204
    assert store_state(maasd)["blobs"] == 1  # still used by b
    assert maasd.get("/api/v1/models/b/versions/1/artifact").content == path.read_bytes()


@pytest.mark.parametrize("kind", sorted(BAD))
def test_invalid_artifacts_are_rejected_and_nothing_is_stored(maasd, models_dir, kind):
    create(maasd, "m")
    framework, needle = BAD[kind]
    r = maasd.upload("m", models_dir / kind, framework=framework)
    assert r.status_code == 400, r.text
    err = error_of(r)
    assert err["code"] == "INVALID_ARGUMENT"
    assert needle.lower() in err["message"].lower(), err["message"]
    assert maasd.get("/api/v1/models/m/versions").json()["versions"] == []
    state = store_state(maasd)
    assert state["blobs"] == 0 and state["temp_files"] == 0
    assert maasd.get("/api/v1/health").status_code == 200


def test_upload_errors(maasd, models_dir):
    path = models_dir / GOOD["xgboost-json"]
    r = maasd.upload("ghost", path)
    assert r.status_code == 404 and "ghost" in error_of(r)["message"]
    create(maasd, "m")
    r = maasd.upload("m", path, framework="sklearn")
    assert r.status_code == 400 and "unknown framework" in error_of(r)["message"]
    assert error_of(r)["message"].endswith("use one of xgboost, onnx, gguf, torchscript, maas-graph"), r.text
    r = maasd.upload("m", path, framework="onnx")  # the bytes are not ONNX
    assert r.status_code == 400
    r = maasd.upload("m", b"")
    assert r.status_code == 400 and "empty" in error_of(r)["message"]
    r = maasd.post("/api/v1/models/m/versions", files={"file": open(path, "rb")})
    assert r.status_code == 415 and error_of(r)["code"] == "UNSUPPORTED_MEDIA_TYPE"
    r = maasd.upload("Bad_Name", path)
    assert r.status_code == 400 and "model name" in error_of(r)["message"]
    assert store_state(maasd)["temp_files"] == 0


def test_artifact_over_the_limit_is_413(maasd_factory, models_dir):
    server = maasd_factory(extra_args=["--max-artifact-bytes", "1KiB", "--max-json-body-bytes", "512"]).start()
    assert server.post("/api/v1/models", json={"name": "m"}).status_code == 201
    r = server.upload("m", models_dir / GOOD["xgboost-json"])
    assert r.status_code == 413 and "limits.max_artifact_bytes" in error_of(r)["message"]
    # Chunked bodies have no Content-Length; the limit still holds while streaming.
    r = server.post("/api/v1/models/m/versions", data=iter([b"x" * 800, b"y" * 800]),
                    headers={"Content-Type": "application/octet-stream"})
    assert r.status_code == 413
    assert server.get("/api/v1/admin/store").json() == {"blobs": 0, "bytes": 0, "temp_files": 0}
    assert server.stop() == 0


def test_model_crud_validation_and_conflicts(maasd):
    create(maasd, "dup")
    r = maasd.post("/api/v1/models", json={"name": "dup"})
    assert r.status_code == 409 and error_of(r)["code"] == "ALREADY_EXISTS"
    for body, needle in [({"name": "../etc"}, "model name"), ({"name": "A"}, "model name"), ({}, "'name' is required"),
                         ({"name": "ok", "tags": {"k": 1}}, "tags.k"), ({"name": "ok", "colour": "red"}, "unknown field"),
                         ({"name": 5}, "must be a string")]:
        r = maasd.post("/api/v1/models", json=body)
        assert r.status_code == 400, body
        assert needle in error_of(r)["message"], (body, r.text)
    r = maasd.post("/api/v1/models", data="{not json", headers={"Content-Type": "application/json"})
    assert r.status_code == 400 and "not valid JSON" in error_of(r)["message"]
    r = maasd.post("/api/v1/models", data="name=x", headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert r.status_code == 415
    r = maasd.patch("/api/v1/models/dup", json={"description": "new", "tags": {"a": "b"}})
    assert r.status_code == 200 and r.json()["description"] == "new" and r.json()["tags"] == {"a": "b"}
    assert maasd.patch("/api/v1/models/nope", json={"description": "x"}).status_code == 404
    assert maasd.delete("/api/v1/models/nope").status_code == 404


def test_list_paginates_and_filters(maasd):
    for i in range(7):
        create(maasd, f"m{i}", tags={"team": "a" if i % 2 else "b", **({"gpu": "yes"} if i == 3 else {})})
    create(maasd, "other")
    seen, token = [], None
    while True:
        params = {"limit": 3, **({"page_token": token} if token else {})}
        page = maasd.get("/api/v1/models", params=params).json()
        seen += [m["name"] for m in page["models"]]
        token = page["next_page_token"]
        if token is None:
            break
    assert seen == sorted([f"m{i}" for i in range(7)] + ["other"])
    assert [m["name"] for m in maasd.get("/api/v1/models", params={"prefix": "m"}).json()["models"]] == \
        [f"m{i}" for i in range(7)]
    assert [m["name"] for m in maasd.get("/api/v1/models", params={"tag": "team:a"}).json()["models"]] == ["m1", "m3", "m5"]
    assert [m["name"] for m in maasd.get("/api/v1/models", params=[("tag", "team:a"), ("tag", "gpu")]).json()["models"]] == ["m3"]
    for bad in [{"limit": 0}, {"limit": 1001}, {"limit": "x"}, {"page_token": "../x"}]:
        r = maasd.get("/api/v1/models", params=bad)
        assert r.status_code == 400, bad


def test_version_metadata_lineage_and_lifecycle(maasd, models_dir):
    create(maasd, "life")
    maasd.upload("life", models_dir / GOOD["xgboost-json"])
    maasd.upload("life", models_dir / GOOD["xgboost-ubj"])
    r = maasd.patch("/api/v1/models/life/versions/1", json={
        "description": "first", "tags": {"stage": "exp"}, "metrics": {"auc": 0.97, "logloss": 0.11},
        "lineage": {"source": "s3://bucket/run", "run_id": "r-17", "dataset": "breast_cancer",
                    "parameters": {"max_depth": "4"}}})
    assert r.status_code == 200, r.text
    v = r.json()
    assert v["metrics"] == {"auc": 0.97, "logloss": 0.11} and v["lineage"]["run_id"] == "r-17"
    for body, needle in [({"metrics": {"auc": "high"}}, "metrics.auc"), ({"lineage": {"who": "me"}}, "lineage.who"),
                         ({"state": "deployed"}, "state must be"), ({"reason": "x"}, "'reason' goes with 'state'")]:
        r = maasd.patch("/api/v1/models/life/versions/1", json=body)
        assert r.status_code == 400 and needle in error_of(r)["message"], (body, r.text)

    assert maasd.patch("/api/v1/models/life/versions/1", json={"state": "ready", "reason": "passed eval"}).status_code == 200
    assert maasd.patch("/api/v1/models/life/versions/2", json={"state": "retired"}).status_code == 200
    # latest skips retired versions
    assert maasd.get("/api/v1/models/life/versions/latest").json()["version"] == 1
    r = maasd.patch("/api/v1/models/life/versions/2", json={"state": "registered"})
    assert r.status_code == 409 and "cannot move" in error_of(r)["message"]
    history = maasd.get("/api/v1/models/life/versions/1").json()["state_history"]
    assert [(h["from"], h["to"], h["reason"]) for h in history] == [(None, "registered", "uploaded"),
                                                                     ("registered", "ready", "passed eval")]
    assert all(h["by"] and h["at"].endswith("Z") for h in history)
    assert [v["version"] for v in maasd.get("/api/v1/models/life/versions", params={"state": "ready"}).json()["versions"]] == [1]


def test_aliases_validation(maasd, models_dir):
    create(maasd, "al")
    maasd.upload("al", models_dir / GOOD["xgboost-json"])
    for alias, body, status in [("12", {"version": 1}, 400), ("latest", {"version": 1}, 400),
                                ("prod", {"version": 9}, 404), ("prod", {"version": "x"}, 400),
                                ("prod", {}, 400), ("Prod", {"version": 1}, 400)]:
        r = maasd.put(f"/api/v1/models/al/aliases/{alias}", json=body)
        assert r.status_code == status, (alias, body, r.text)
    assert maasd.put("/api/v1/models/al/aliases/prod", json={"version": "1"}).status_code == 200
    assert maasd.get("/api/v1/models/al/aliases/prod").json()["version"] == 1
    assert maasd.get("/api/v1/models/al/versions/nosuch").status_code == 404
    assert maasd.delete("/api/v1/models/al/aliases/nosuch").status_code == 404


def test_store_verify_detects_corruption(maasd, models_dir):
    create(maasd, "c")
    digest = maasd.upload("c", models_dir / GOOD["onnx-mlp"]).json()["digest"].split(":")[1]
    assert maasd.post("/api/v1/admin/store/verify").json() == {"checked": 1, "corrupt": []}
    blob = maasd.data_dir / "artifacts" / "blobs" / "sha256" / digest[:2] / digest
    os.chmod(blob, 0o644)
    with open(blob, "r+b") as f:
        f.seek(10)
        f.write(b"\x00\xff")
    assert maasd.post("/api/v1/admin/store/verify").json()["corrupt"] == ["sha256:" + digest]
    r = maasd.get("/api/v1/models/c/versions/1/artifact")
    assert r.status_code == 500 and "corrupt" in error_of(r)["message"]
