"""The datasets API of a real maasd (/api/v1/datasets, docs/DATA.md): an upload becomes a version whose profile equals
pandas, previews page through it, downloads read back equal, aliases and deletes follow the models' rules, bad input
is a clear 4xx or a counted rejection, roles are enforced, and kill -9 during an upload leaves no version."""
import hashlib
import io
import json
import socket
import time

import numpy as np
import pandas as pd
import pytest

from conftest import error_of
from data_tool import maas_data, temp_files
from pandas_profile import NUMERIC_COLUMNS, ROWS, check_numeric_profile, check_string_profile, columns, \
    generated_frame, top_values_match, write_csv_with_a_nan


def wait_for(predicate, timeout=120):
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "condition not reached in time"
        time.sleep(0.01)


def create(server, name, **fields):
    r = server.post("/api/v1/datasets", json={"name": name, **fields})
    assert r.status_code == 201, r.text
    return r.json()


def upload(server, name, data, key="admin", content_type="application/octet-stream", **params):
    """POSTs `data` (bytes or a path) as a new version; `params` are the import's query parameters."""
    body = data.read_bytes() if hasattr(data, "read_bytes") else data
    return server.post(f"/api/v1/datasets/{name}/versions", params=params, data=body, key=key,
                       headers={"Content-Type": content_type})


def small_csv(rows=50, bad_lines=()):
    lines = ["id,amount,label"] + [f"{i},{i * 0.5},l{i % 3}" for i in range(rows)]
    for at, text in bad_lines:
        lines.insert(at, text)
    return ("\n".join(lines) + "\n").encode()


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    """One maasd with the generated frame uploaded as version 1 of 'frame'."""
    from conftest import Maasd
    d = tmp_path_factory.mktemp("datasets")
    server = Maasd(d / "data").start()
    csv = d / "data.csv"
    reference = write_csv_with_a_nan(generated_frame(), csv)
    create(server, "frame", description="generated", tags={"source": "numpy"})
    r = upload(server, "frame", csv, filename="data.csv", description="first", tag="stage:raw")
    assert r.status_code == 201, r.text
    yield server, reference, r, csv
    assert server.stop() == 0


def test_an_upload_becomes_a_version_with_schema_counts_lineage_and_a_pandas_profile(loaded):
    server, frame, r, csv = loaded
    version = r.json()
    assert r.headers["Location"] == "/api/v1/datasets/frame/versions/1"
    assert version["version"] == 1
    assert version["row_count"] == ROWS
    assert version["rejected_rows"] == 0 and version["rejects_digest"] is None
    assert [c["name"] for c in version["schema"]] == list(frame.columns)
    assert version["description"] == "first" and version["tags"] == {"stage": "raw"}
    assert version["lineage"]["source"] == "upload:data.csv"
    assert version["lineage"]["details"]["import"]["format"] == "csv"
    assert version["lineage"]["details"]["input"] == {"bytes": csv.stat().st_size,
                                                      "sha256": hashlib.sha256(csv.read_bytes()).hexdigest()}
    # The profile, as stored and as served again, equals pandas on the same file.
    served = server.get("/api/v1/datasets/frame/versions/1").json()
    assert served["profile"] == version["profile"]
    for name in NUMERIC_COLUMNS:
        check_numeric_profile(columns(served)[name], frame[name], name)
    check_string_profile(columns(served)["category"], frame["category"], "category")
    top_values_match(columns(served)["category"]["top_values"], frame["category"])
    dataset = server.get("/api/v1/datasets/frame").json()
    assert dataset["latest_version"] == 1 and dataset["version_count"] == 1
    assert dataset["tags"] == {"source": "numpy"}


def test_preview_pages_through_the_rows_in_file_order(loaded):
    server, frame, _, _ = loaded
    page = server.get("/api/v1/datasets/frame/versions/1/preview",
                      params={"offset": 100, "limit": 5, "columns": "negative,category"}).json()
    assert page["total_rows"] == ROWS and page["offset"] == 100
    assert [c["name"] for c in page["columns"]] == ["negative", "category"]
    expected = frame[["negative", "category"]].iloc[100:105]
    assert [r[0] for r in page["rows"]] == expected["negative"].tolist()
    assert [r[1] for r in page["rows"]] == [None if pd.isna(v) else v for v in expected["category"]]
    # Consecutive pages cover the rows once each; past the end a page is empty.
    first = server.get("/api/v1/datasets/frame/versions/latest/preview", params={"limit": 3}).json()["rows"]
    second = server.get("/api/v1/datasets/frame/versions/latest/preview", params={"offset": 3, "limit": 3}).json()
    assert [r[1] for r in first + second["rows"]] == frame["negative"].iloc[:6].tolist()
    assert server.get("/api/v1/datasets/frame/versions/1/preview", params={"offset": ROWS}).json()["rows"] == []
    for params, words in [({"limit": 10001}, "limit must be between 1 and 10000"), ({"offset": -1}, "offset"),
                          ({"columns": "nope"}, "nope"), ({"limit": "ten"}, "whole number"),
                          ({"page": 2}, "unknown query parameter 'page'")]:
        r = server.get("/api/v1/datasets/frame/versions/1/preview", params=params)
        assert r.status_code == 400, (params, r.text)
        assert words in error_of(r)["message"], (params, r.text)


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_text_downloads_read_back_equal(loaded, fmt):
    server, frame, _, _ = loaded
    r = server.get("/api/v1/datasets/frame/versions/1/download", params={"format": fmt}, stream=True)
    assert r.status_code == 200, r.text
    assert r.headers["X-Row-Count"] == str(ROWS)
    assert r.headers["Content-Disposition"] == f'attachment; filename="frame-v1.{fmt}"'
    assert r.headers["Transfer-Encoding"] == "chunked"
    text = r.content
    back = pd.read_csv(io.BytesIO(text)) if fmt == "csv" else pd.read_json(io.BytesIO(text), lines=True,
                                                                             precise_float=True)
    assert list(back.columns) == list(frame.columns)
    assert len(back) == ROWS
    for name in ["negative", "category", "flag", "int_missing"]:
        assert back[name].fillna(-1).tolist() == frame[name].fillna(-1).tolist(), name
    for name in ["normal", "huge", "tiny", "constant", "skewed"]:
        # Shortest round-trip text: CSV reads back exact; pandas' JSON reader can be one ulp off.
        assert np.allclose(back[name].to_numpy(dtype=float), frame[name].to_numpy(dtype=float), rtol=1e-15, atol=0,
                           equal_nan=True), name
    subset = server.get("/api/v1/datasets/frame/versions/1/download", params={"format": fmt, "columns": "flag"})
    assert subset.content.splitlines()[0] == (b"flag" if fmt == "csv" else b'{"flag":' +
                                              str(frame["flag"][0]).lower().encode() + b"}")


def test_the_parquet_download_is_the_snapshot_and_reads_back_equal(loaded, tmp_path):
    server, frame, r, _ = loaded
    version = r.json()
    download = server.get("/api/v1/datasets/frame/versions/1/download")
    assert download.status_code == 200
    assert download.headers["Content-Type"] == "application/vnd.apache.parquet"
    assert download.headers["ETag"] == f'"{version["digest"]}"'
    assert "sha256:" + hashlib.sha256(download.content).hexdigest() == version["digest"]
    assert len(download.content) == version["size_bytes"]
    # Read by another reader (DuckDB through maas-data, not maasd): the same rows.
    parquet = tmp_path / "frame.parquet"
    parquet.write_bytes(download.content)
    out = tmp_path / "frame.csv"
    assert maas_data("export", parquet, "--format", "csv", "--out", out)["rows"] == ROWS
    back = pd.read_csv(out)
    assert back["negative"].tolist() == frame["negative"].tolist()
    assert back["category"].fillna("").tolist() == frame["category"].fillna("").tolist()
    # ...and uploaded again as Parquet it is the same data.
    again = upload(server, "frame", parquet, format="parquet")
    assert again.status_code == 201, again.text
    assert again.json()["row_count"] == ROWS
    assert again.json()["schema"] == version["schema"]
    assert columns(again.json())["normal"]["mean"] == columns(version)["normal"]["mean"]
    bad = server.get("/api/v1/datasets/frame/versions/1/download", params={"columns": "flag"})
    assert bad.status_code == 400 and "Parquet" in error_of(bad)["message"]
    assert server.get("/api/v1/datasets/frame/versions/1/download", params={"format": "xml"}).status_code == 400


def test_tsv_and_json_lines_uploads(maasd):
    create(maasd, "shapes")
    tsv = b"a\tb\n1\tx\n2\ty\n"
    r = upload(maasd, "shapes", tsv, content_type="text/tab-separated-values")
    assert r.status_code == 201, r.text
    assert r.json()["lineage"]["details"]["import"]["format"] == "tsv"
    assert r.json()["row_count"] == 2
    jsonl = b'{"a": 1, "b": "x"}\n{"a": 2, "b": "y"}\n{broken\n\n{"a": 3, "b": null}\n'
    r = upload(maasd, "shapes", jsonl, filename="rows.jsonl", tag="k:v")
    assert r.status_code == 201, r.text
    v = r.json()
    assert (v["row_count"], v["rejected_rows"], v["version"]) == (3, 1, 2)
    page = maasd.get("/api/v1/datasets/shapes/versions/2/rejects").json()
    assert page["total_rows"] == 1
    assert page["rows"][0][0] == 3 and page["rows"][0][-1] == "{broken"
    assert maasd.get("/api/v1/datasets/shapes/versions/2/preview").json()["rows"] == [[1, "x"], [2, "y"], [3, None]]


def test_malformed_csv_lines_are_counted_and_kept_not_errors(maasd):
    create(maasd, "orders")
    body = small_csv(bad_lines=[(5, "oops,this,line,has,too,many,fields"), (20, "x,not-a-number,l")])
    r = upload(maasd, "orders", body, format="csv", column_type="amount:DOUBLE")
    assert r.status_code == 201, r.text
    v = r.json()
    assert (v["row_count"], v["rejected_rows"]) == (50, 2)
    assert v["rejects_digest"].startswith("sha256:")
    page = maasd.get("/api/v1/datasets/orders/versions/1/rejects", params={"columns": "line,raw_line"}).json()
    assert {tuple(row) for row in page["rows"]} == {(6, "oops,this,line,has,too,many,fields"),
                                                    (21, "x,not-a-number,l")}
    rejects = maasd.get("/api/v1/datasets/orders/versions/1/rejects/download", params={"format": "csv"})
    assert rejects.status_code == 200
    assert rejects.text.splitlines()[0] == "line,column_name,error_type,error_message,raw_line"
    assert rejects.headers["Content-Disposition"] == 'attachment; filename="orders-v1-rejects.csv"'
    parquet = maasd.get("/api/v1/datasets/orders/versions/1/rejects/download")
    assert parquet.content[:4] == b"PAR1"
    assert "sha256:" + hashlib.sha256(parquet.content).hexdigest() == v["rejects_digest"]
    # A version without rejected rows: an empty page, and no file.
    clean = upload(maasd, "orders", small_csv(), format="csv").json()
    page = maasd.get(f"/api/v1/datasets/orders/versions/{clean['version']}/rejects").json()
    assert page["total_rows"] == 0 and page["rows"] == [] and len(page["columns"]) == 5
    none = maasd.get(f"/api/v1/datasets/orders/versions/{clean['version']}/rejects/download")
    assert none.status_code == 404 and "rejected no rows" in error_of(none)["message"]


def test_bad_uploads_are_clear_client_errors(maasd, tmp_path):
    create(maasd, "bad")
    cases = [
        ({"format": "xml"}, "csv, tsv, jsonl or parquet"),
        ({}, "?format="),
        ({"format": "csv", "header": "maybe"}, "header must be true or false"),
        ({"format": "csv", "delimitr": ","}, "unknown query parameter 'delimitr'"),
        ({"format": "csv", "max_line_bytes": "12"}, "max_line_bytes"),
        ({"format": "csv", "column_type": "amount:DOUBLE); DROP TABLE x"}, "not a type name"),
        ({"format": "csv", "column_type": "nope:BIGINT"}, "nope"),
        ({"format": "parquet"}, "parquet"),
    ]
    for params, words in cases:
        r = upload(maasd, "bad", small_csv(), **params)
        assert r.status_code == 400, (params, r.text)
        assert words.lower() in error_of(r)["message"].lower(), (params, r.text)
    # A line over max_line_bytes inside the sample the dialect is detected from fails the import, naming the upload
    # (not the server's temp file); past the sample it is one more rejected row.
    long_first = b"a,b\n1," + b"x" * 5000 + b"\n" + b"".join(b"%d,y\n" % i for i in range(10))
    r = upload(maasd, "bad", long_first, format="csv", filename="long.csv", max_line_bytes=1024)
    assert r.status_code == 400, r.text
    message = error_of(r)["message"]
    assert "Maximum line size of 1024 bytes exceeded" in message and "upload:long.csv" in message
    assert "artifacts" not in message
    long_later = b"a,b\n" + b"".join(b"%d,y\n" % i for i in range(30000)) + b"1," + b"x" * 5000 + b"\n"
    r = upload(maasd, "bad", long_later, format="csv", max_line_bytes=1024, sample_rows=100)
    assert r.status_code == 201, r.text
    assert (r.json()["row_count"], r.json()["rejected_rows"]) == (30000, 1)
    multipart = maasd.post("/api/v1/datasets/bad/versions", params={"format": "csv"},
                           files={"file": ("a.csv", small_csv())})
    assert multipart.status_code == 415
    assert upload(maasd, "missing", small_csv(), format="csv").status_code == 404
    assert upload(maasd, "bad", b"", format="csv").status_code == 400
    # Nothing failed left a version or a temp file.
    assert [v["version"] for v in maasd.get("/api/v1/datasets/bad/versions").json()["versions"]] == [1]
    assert temp_files(maasd.data_dir) == []


def test_aliases_references_and_the_delete_rules(maasd):
    create(maasd, "events")
    for rows in (10, 20, 30):
        assert upload(maasd, "events", small_csv(rows), format="csv").status_code == 201
    r = maasd.put("/api/v1/datasets/events/aliases/train", json={"version": 2})
    assert r.json() == {"dataset": "events", "alias": "train", "version": 2}
    assert maasd.get("/api/v1/datasets/events@train").json()["row_count"] == 20
    assert maasd.get("/api/v1/datasets/events/versions/train").json()["aliases"] == ["train"]
    assert maasd.get("/api/v1/datasets/events/aliases/train").json()["version"] == 2
    assert maasd.get("/api/v1/datasets/events/versions/train/preview").json()["total_rows"] == 20
    assert maasd.get("/api/v1/datasets/events").json()["aliases"] == {"train": 2}
    assert maasd.put("/api/v1/datasets/events/aliases/latest", json={"version": 1}).status_code == 400
    assert maasd.put("/api/v1/datasets/events/aliases/prod", json={"version": 9}).status_code == 404
    # A version with an alias cannot be deleted; without, it can, and its number is never reused.
    r = maasd.delete("/api/v1/datasets/events/versions/2")
    assert r.status_code == 409 and error_of(r)["code"] == "FAILED_PRECONDITION"
    assert maasd.delete("/api/v1/datasets/events/versions/3").status_code == 204
    assert maasd.get("/api/v1/datasets/events/versions/latest").json()["version"] == 2
    assert upload(maasd, "events", small_csv(5), format="csv").json()["version"] == 4
    # Retiring takes a version out of latest.
    r = maasd.patch("/api/v1/datasets/events/versions/4", json={"state": "retired", "tags": {"why": "test"}})
    assert r.json()["state"] == "retired" and r.json()["tags"] == {"why": "test"}
    assert maasd.get("/api/v1/datasets/events/versions/latest").json()["version"] == 2
    assert maasd.patch("/api/v1/datasets/events/versions/4", json={"state": "gone"}).status_code == 400
    assert maasd.delete("/api/v1/datasets/events/aliases/train").status_code == 204
    assert maasd.get("/api/v1/datasets/events@train").status_code == 404
    # Deleting the dataset removes its versions, and the blobs only it used are collected.
    assert maasd.get("/api/v1/admin/store").json()["blobs"] == 3
    assert maasd.delete("/api/v1/datasets/events").status_code == 204
    assert maasd.get("/api/v1/datasets/events").status_code == 404
    assert maasd.get("/api/v1/admin/store").json()["blobs"] == 0


def test_lists_page_by_key(maasd):
    for name in ["d1", "d2", "d3", "d4", "d5"]:
        create(maasd, name)
    seen, token = [], None
    while True:
        params = {"limit": 2, **({"page_token": token} if token else {})}
        page = maasd.get("/api/v1/datasets", params=params).json()
        seen += [d["name"] for d in page["datasets"]]
        token = page["next_page_token"]
        if token is None:
            break
    assert seen == ["d1", "d2", "d3", "d4", "d5"]
    assert [d["name"] for d in maasd.get("/api/v1/datasets", params={"prefix": "d4"}).json()["datasets"]] == ["d4"]
    for rows in (1, 2, 3):
        upload(maasd, "d1", small_csv(rows), format="csv")
    page = maasd.get("/api/v1/datasets/d1/versions", params={"limit": 2}).json()
    assert [v["version"] for v in page["versions"]] == [3, 2]
    assert "profile" not in page["versions"][0]  # lists leave the per-column statistics out
    rest = maasd.get("/api/v1/datasets/d1/versions", params={"limit": 2, "page_token": page["next_page_token"]})
    assert [v["version"] for v in rest.json()["versions"]] == [1]
    assert maasd.get("/api/v1/datasets", params={"limit": 0}).status_code == 400
    assert maasd.get("/api/v1/datasets", params={"page_token": "!!"}).status_code == 400


def test_reading_needs_a_reader_and_writing_a_deployer(maasd):
    create(maasd, "secure")
    assert upload(maasd, "secure", small_csv(), format="csv").status_code == 201
    keys = {role: maasd.post("/api/v1/keys", json={"name": role, "role": role}).json()["key"]
            for role in ["viewer", "invoker", "deployer"]}
    reads = ["/api/v1/datasets", "/api/v1/datasets/secure", "/api/v1/datasets/secure/versions",
             "/api/v1/datasets/secure/versions/1", "/api/v1/datasets/secure/versions/1/preview",
             "/api/v1/datasets/secure/versions/1/rejects", "/api/v1/datasets/secure/versions/1/download?format=csv"]
    for path in reads:
        assert maasd.get(path, key=None).status_code == 401, path
        assert maasd.get(path, key=keys["invoker"]).status_code == 403, path
        assert maasd.get(path, key=keys["viewer"]).status_code == 200, path
    viewer = keys["viewer"]
    assert maasd.post("/api/v1/datasets", json={"name": "x"}, key=viewer).status_code == 403
    assert upload(maasd, "secure", small_csv(), key=viewer, format="csv").status_code == 403
    assert upload(maasd, "secure", small_csv(), key=None, format="csv").status_code == 401
    assert maasd.patch("/api/v1/datasets/secure", json={"description": "x"}, key=viewer).status_code == 403
    assert maasd.put("/api/v1/datasets/secure/aliases/a", json={"version": 1}, key=viewer).status_code == 403
    assert maasd.delete("/api/v1/datasets/secure/versions/1", key=viewer).status_code == 403
    assert maasd.delete("/api/v1/datasets/secure", key=viewer).status_code == 403
    deployer = keys["deployer"]
    assert upload(maasd, "secure", small_csv(), key=deployer, format="csv").json()["created_by"] != "admin"
    assert maasd.delete("/api/v1/datasets/secure", key=deployer).status_code == 204


def open_upload(server, name, size, query="format=csv"):
    """Starts an upload on a raw socket: headers sent, body not yet."""
    host, port = server.host_port
    sock = socket.create_connection((host, port), timeout=120)
    sock.sendall((f"POST /api/v1/datasets/{name}/versions?{query} HTTP/1.1\r\nHost: x\r\n"
                  f"Authorization: Bearer {server.admin_key}\r\n"
                  f"Content-Type: text/csv\r\nContent-Length: {size}\r\n\r\n").encode())
    return sock


def temp_bytes(server):
    tmp = server.data_dir / "artifacts" / "tmp"
    return sum(p.stat().st_size for p in tmp.iterdir()) if tmp.exists() else 0


@pytest.mark.parametrize("point", ["mid_body", "after_body"])
def test_kill9_during_an_upload_leaves_no_partial_version(maasd_factory, tmp_path, point):
    body = small_csv(400_000)  # ~8 MB
    data_dir = tmp_path / "data"
    server = maasd_factory(data_dir=data_dir).start()
    create(server, "crash")
    sock = open_upload(server, "crash", len(body))
    if point == "mid_body":
        sock.sendall(body[: len(body) // 2])
        wait_for(lambda: temp_bytes(server) >= len(body) // 4)  # the server is writing the upload's temp file
    else:
        sock.sendall(body)
        # The body is in; DuckDB is writing the snapshot beside it in the store's tmp/.
        wait_for(lambda: len(list((data_dir / "artifacts" / "tmp").iterdir())) >= 2)
    server.kill9()
    sock.close()
    restarted = maasd_factory(data_dir=data_dir).start()
    versions = restarted.get("/api/v1/datasets/crash/versions").json()["versions"]
    # The import may have finished before the kill (after the body): then the version is whole.
    assert len(versions) <= (0 if point == "mid_body" else 1)
    for v in versions:
        assert v["row_count"] == 400_000
        assert restarted.get(f"/api/v1/datasets/crash/versions/{v['version']}/preview",
                             params={"offset": 399_999}).json()["rows"] == [[399_999, 199_999.5, "l0"]]
    store = restarted.get("/api/v1/admin/store").json()
    assert store["temp_files"] == 0
    assert store["blobs"] == len(versions)
    r = upload(restarted, "crash", body, format="csv")
    assert r.status_code == 201, r.text
    assert r.json()["version"] == len(versions) + 1
    assert restarted.stop() == 0


def test_imports_in_flight_are_bounded(maasd_factory):
    server = maasd_factory(extra_args=["--datasets-max-concurrent-imports", "1"]).start()
    create(server, "busy")
    body = small_csv(1000)
    sock = open_upload(server, "busy", len(body))
    sock.sendall(body[:100])
    # The first upload holds the one slot from its headers on: a second is refused before its body is read.
    answers = []

    def refused():
        answers.append(upload(server, "busy", body, format="csv"))
        return answers[-1].status_code == 429
    wait_for(refused)
    r = answers[-1]
    assert error_of(r)["code"] == "RESOURCE_EXHAUSTED" and "datasets.max_concurrent_imports" in error_of(r)["message"]
    assert r.headers["Retry-After"] == "1"
    sock.sendall(body[100:])
    reply = sock.recv(65536).decode()
    assert reply.startswith("HTTP/1.1 201"), reply[:200]
    sock.close()
    assert upload(server, "busy", body, format="csv").status_code == 201
    assert server.stop() == 0


def test_settings_are_validated_at_start(tmp_path):
    from conftest import Maasd
    server = Maasd(tmp_path / "data", extra_args=["--datasets-memory-limit", "1MiB"])
    with pytest.raises(RuntimeError, match="datasets.memory_limit"):
        server.start()
    server = Maasd(tmp_path / "data2", extra_args=["--datasets-max-concurrent-imports", "0"])
    with pytest.raises(RuntimeError, match="datasets.max_concurrent_imports"):
        server.start()


def test_version_json_is_json_everywhere(loaded):
    # Every dataset route answers JSON errors with stable codes.
    server, _, _, _ = loaded
    for path, code in [("/api/v1/datasets/nope", "NOT_FOUND"), ("/api/v1/datasets/frame/versions/9", "NOT_FOUND"),
                       ("/api/v1/datasets/frame/versions/x!/preview", "INVALID_ARGUMENT"),
                       ("/api/v1/datasets/Bad_Name", "INVALID_ARGUMENT")]:
        r = server.get(path)
        assert error_of(r)["code"] == code, (path, r.text)
        json.dumps(r.json())
