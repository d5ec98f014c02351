"""Sources and snapshots (docs/DATA.md): a real maasd with sources.file_roots, SQLite files and a PostgreSQL server
started here, snapshots run as data.snapshot jobs, incremental by a watermark kept with each dataset version."""
import json
import os
import pathlib
import shutil
import sqlite3
import subprocess
import tempfile

import pytest

from conftest import error_of
from jobs_client import SLOW, wait_for
from peers import free_port

PASSWORD = "s3cret-Pa55-for-maas-tests"


def roots_maasd(maasd_factory, tmp_path, data_dir=None, extra_args=()):
    roots = tmp_path / "roots"
    roots.mkdir(exist_ok=True)
    server = maasd_factory(data_dir=data_dir or tmp_path / "data",
                           extra_args=["--sources-file-roots", str(roots), *extra_args])
    return server, roots


def create_source(server, name, kind, config, expect=201):
    r = server.post("/api/v1/sources", json={"name": name, "kind": kind, "config": config})
    assert r.status_code == expect, r.text
    return r.json()


def snapshot(server, source, expect_state="succeeded", **body):
    r = server.post(f"/api/v1/sources/{source}/snapshot", json=body)
    assert r.status_code == 202, r.text
    job_id = r.json()["id"]
    job = wait_for(lambda: (lambda j: j if j["state"] in ("succeeded", "failed", "cancelled") else None)(
        server.get(f"/api/v1/jobs/{job_id}").json()), 120, f"snapshot job {job_id}")
    assert job["state"] == expect_state, job.get("error")
    return job


def versions(server, dataset):
    r = server.get(f"/api/v1/datasets/{dataset}/versions")
    if r.status_code == 404:
        return []
    assert r.status_code == 200, r.text
    return sorted(r.json()["versions"], key=lambda v: v["version"])


def rows(server, dataset, version):
    r = server.get(f"/api/v1/datasets/{dataset}/versions/{version}/preview", params={"limit": 10000})
    assert r.status_code == 200, r.text
    body = r.json()
    names = [c["name"] if isinstance(c, dict) else c for c in body["columns"]]
    return [dict(zip(names, row)) for row in body["rows"]]


def make_sqlite(path, ids):
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE IF NOT EXISTS events (id INTEGER, name TEXT, amount REAL)")
    db.executemany("INSERT INTO events VALUES (?, ?, ?)", [(i, f"e{i}", i * 1.5) for i in ids])
    db.commit()
    db.close()


def test_sqlite_full_then_incremental_and_the_watermark_survives_a_restart(maasd_factory, tmp_path):
    server, roots = roots_maasd(maasd_factory, tmp_path)
    server.start()
    make_sqlite(roots / "app.db", [1, 2, 3])
    create_source(server, "app-events", "sqlite",
                  {"path": str(roots / "app.db"), "table": "events", "watermark_column": "id"})
    snapshot(server, "app-events", dataset="events")
    [v1] = versions(server, "events")
    assert v1["row_count"] == 3
    assert v1["lineage"]["source"] == "source:app-events"
    assert v1["lineage"]["details"]["input"]["watermark"] == 3
    assert v1["lineage"]["job_id"]

    make_sqlite(roots / "app.db", [4, 5])
    server.stop()
    server.start()
    snapshot(server, "app-events", dataset="events")
    v = versions(server, "events")
    assert [x["row_count"] for x in v] == [3, 2]
    assert [r["id"] for r in rows(server, "events", 2)] == [4, 5]  # only the new rows
    assert v[1]["lineage"]["details"]["input"]["since"] == 3
    assert v[1]["lineage"]["details"]["input"]["watermark"] == 5

    # Nothing new: the job succeeds and records no version.
    job = snapshot(server, "app-events", dataset="events")
    assert job["result"]["rows"] == 0
    assert len(versions(server, "events")) == 2
    # A full snapshot reads everything again.
    snapshot(server, "app-events", dataset="events", mode="full")
    assert versions(server, "events")[-1]["row_count"] == 5


def test_files_source_reads_a_glob_and_refuses_paths_outside_the_roots(maasd_factory, tmp_path):
    server, roots = roots_maasd(maasd_factory, tmp_path)
    server.start()
    (roots / "a.csv").write_text("id,city\n1,Paris\n2,Lyon\n")
    (roots / "b.csv").write_text("id,city\n3,Nice\n")
    create_source(server, "cities", "files", {"path": str(roots / "*.csv"), "watermark_column": "id"})
    snapshot(server, "cities")
    [v1] = versions(server, "cities")
    assert v1["row_count"] == 3
    (roots / "c.csv").write_text("id,city\n4,Brest\n")
    snapshot(server, "cities")
    assert [r["city"] for r in rows(server, "cities", 2)] == ["Brest"]

    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.csv").write_text("a\n1\n")
    (roots / "link.csv").symlink_to(outside / "secret.csv")
    for config, words in [
        ({"path": str(outside / "secret.csv")}, "not under any of sources.file_roots"),
        ({"path": str(roots / ".." / "outside" / "secret.csv")}, "'..'"),
        ({"path": str(roots / "link.csv")}, "outside sources.file_roots"),
        ({"path": str(roots / "*.nothing")}, "matches no file"),
        ({"path": "relative.csv"}, "not an absolute path"),
    ]:
        r = server.post("/api/v1/sources", json={"name": "bad", "kind": "files", "config": config})
        assert r.status_code == 400, (config, r.text)
        assert words in error_of(r)["message"], (config, r.text)
    r = server.post("/api/v1/sources", json={"name": "bad", "kind": "sqlite",
                                             "config": {"path": str(roots / "a.csv"), "query": "SELEC 1"}})
    assert r.status_code == 400


def test_a_files_source_keeps_malformed_csv_lines_as_rejects(maasd_factory, tmp_path):
    """A line with a column too many, and a value that does not convert past the type sniffer's sample (which failed
    the whole snapshot before): both rejected with the file, the line and the reason; the other rows recorded."""
    server, roots = roots_maasd(maasd_factory, tmp_path)
    server.start()
    (roots / "a.csv").write_text("id,city,pop\n1,Paris,2100000\n2,Lyon,520000,extra\n3,Nice,340000\n")
    late = 25_000  # DuckDB sniffs types from the first 20 480 rows
    (roots / "b.csv").write_text("id,city,pop\n" + "".join(f"{i},T{i},{i * 10}\n" for i in range(10, late))
                                 + f"{late},Brest,not-a-number\n{late + 1},Caen,105000\n")
    create_source(server, "towns", "files", {"path": str(roots / "*.csv")})
    job = snapshot(server, "towns")
    good = 2 + (late - 10) + 1
    assert job["result"]["rows"] == good and job["result"]["rejected_rows"] == 2, job["result"]
    [v] = versions(server, "towns")
    assert v["row_count"] == good and v["rejected_rows"] == 2
    assert {"name": "pop", "type": "BIGINT"} in v["schema"]
    r = server.get("/api/v1/datasets/towns/versions/1/rejects", params={"limit": 100})
    assert r.status_code == 200, r.text
    names = [c["name"] if isinstance(c, dict) else c for c in r.json()["columns"]]
    rejects = [dict(zip(names, row)) for row in r.json()["rows"]]
    assert [x["raw_line"] for x in rejects] == ["2,Lyon,520000,extra", f"{late},Brest,not-a-number"]
    assert rejects[0]["line"] == 3 and rejects[0]["error_type"] == "TOO MANY COLUMNS"
    assert rejects[0]["error_message"].startswith("a.csv: ")
    assert rejects[1]["line"] == late - 10 + 2 and rejects[1]["error_type"] == "CAST"
    assert rejects[1]["column_name"] == "pop" and rejects[1]["error_message"].startswith("b.csv: ")


def test_file_sources_are_off_without_roots(maasd):
    r = maasd.post("/api/v1/sources", json={"name": "f", "kind": "files", "config": {"path": "/etc/passwd"}})
    assert r.status_code == 400
    assert "sources.file_roots" in error_of(r)["message"]


def test_push_appends_rows_and_snapshots_take_only_new_ones(maasd_factory, tmp_path):
    server, _ = roots_maasd(maasd_factory, tmp_path, extra_args=["--sources-push-max-body-bytes", "4096"])
    server.start()
    create_source(server, "clicks", "push", {})
    r = server.post("/api/v1/sources/clicks/rows", json=[{"user": "a", "n": 1}, {"user": "b", "n": 2}])
    assert r.status_code == 200 and r.json()["appended"] == 2, r.text
    snapshot(server, "clicks")
    r = server.post("/api/v1/sources/clicks/rows", data='{"user": "c", "n": 3}\n\n{"user": "d", "n": 4}\n',
                    headers={"Content-Type": "application/x-ndjson"})
    assert r.status_code == 200 and r.json()["appended"] == 2, r.text
    snapshot(server, "clicks")
    assert [x["row_count"] for x in versions(server, "clicks")] == [2, 2]
    assert [r["user"] for r in rows(server, "clicks", 2)] == ["c", "d"]

    r = server.post("/api/v1/sources/clicks/rows", json=[{"ok": 1}, 5])
    assert r.status_code == 400 and "row 2" in error_of(r)["message"]
    r = server.post("/api/v1/sources/clicks/rows", json=[{"big": "x" * 5000}])
    assert r.status_code == 413
    snapshot(server, "clicks")  # the refused bodies appended nothing
    assert len(versions(server, "clicks")) == 2


def test_tail_picks_up_appended_lines(maasd_factory, tmp_path):
    server, roots = roots_maasd(maasd_factory, tmp_path)
    server.start()
    log = roots / "app.log"
    log.write_text("first line\nsecond line\n")
    create_source(server, "applog", "tail", {"path": str(log)})
    snapshot(server, "applog")
    with open(log, "a") as f:
        f.write("third line\nfourth, still being writ")
    snapshot(server, "applog")
    assert [r["line"] for r in rows(server, "applog", 2)] == ["third line"]
    with open(log, "a") as f:
        f.write("ten\n")
    snapshot(server, "applog")
    assert [r["line"] for r in rows(server, "applog", 3)] == ["fourth, still being written"]


class Postgres:
    """A PostgreSQL server of Debian's, in a temp dir on a loopback port, with a password-protected user."""

    def __init__(self):
        # Its own temp dir: as root, the server runs as the postgres user, who cannot enter pytest's.
        self.dir = pathlib.Path(tempfile.mkdtemp(prefix="maas-pg-"))
        self.port = free_port()
        self.as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self.as_user:
            shutil.chown(self.dir, "postgres")
        bindir = "/usr/lib/postgresql/15/bin"
        self.bin = lambda name: os.path.join(bindir, name) if os.path.exists(os.path.join(bindir, name)) else name
        pwfile = self.dir / "pw"
        pwfile.write_text("admin-pw\n")
        if self.as_user:
            shutil.chown(pwfile, "postgres")
        self.run(self.bin("initdb"), "-D", str(self.dir / "db"), "-U", "admin", "--auth=scram-sha-256",
                 "--pwfile", str(pwfile), "-E", "UTF8")
        self.run(self.bin("pg_ctl"), "-D", str(self.dir / "db"), "-l", str(self.dir / "log"), "-w", "-o",
                 f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1", "start")

    def run(self, *args):
        out = subprocess.run([*self.as_user, *args], capture_output=True, text=True, cwd="/")
        assert out.returncode == 0, out.stdout + out.stderr

    def sql(self, statement):
        env = dict(os.environ, PGPASSWORD="admin-pw")
        out = subprocess.run(["psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", "admin", "-d", "postgres",
                              "-v", "ON_ERROR_STOP=1", "-c", statement], env=env, capture_output=True, text=True)
        assert out.returncode == 0, out.stderr

    def stop(self):
        self.run(self.bin("pg_ctl"), "-D", str(self.dir / "db"), "-m", "immediate", "stop")
        shutil.rmtree(self.dir, ignore_errors=True)


@pytest.fixture
def postgres(tmp_path):
    if not shutil.which("psql"):
        pytest.skip("Debian's postgresql is not installed (scripts/setup.sh installs it)")
    pg = Postgres()
    yield pg
    pg.stop()


def test_postgres_full_then_incremental_and_the_password_never_shows(maasd_factory, tmp_path, postgres):
    postgres.sql(f"CREATE USER reader PASSWORD '{PASSWORD}'")
    postgres.sql("CREATE TABLE orders (id bigint, customer text, total numeric(10,2), paid boolean, "
                 "at timestamp); GRANT SELECT ON orders TO reader")
    postgres.sql("INSERT INTO orders SELECT i, 'c' || i, i * 2.5, i % 2 = 0, "
                 "timestamp '2026-01-01' + i * interval '1 hour' FROM generate_series(1, 50) i")
    server, _ = roots_maasd(maasd_factory, tmp_path)
    server.start()
    config = {"host": "127.0.0.1", "port": postgres.port, "database": "postgres", "user": "reader",
              "password": PASSWORD, "table": "public.orders", "watermark_column": "at"}

    r = server.post("/api/v1/sources", json={"name": "orders", "kind": "postgres",
                                             "config": dict(config, password="wrong")})
    assert r.status_code == 400 and "password authentication failed" in error_of(r)["message"], r.text
    r = server.post("/api/v1/sources", json={"name": "orders", "kind": "postgres",
                                             "config": {**{k: v for k, v in config.items() if k != "table"},
                                                        "query": "SELECT nope FROM orders"}})
    assert r.status_code == 400 and "nope" in error_of(r)["message"], r.text

    created = create_source(server, "orders", "postgres", config)
    assert created["credentials"] == {"password": "set"}
    assert "password" not in created["config"]
    job = snapshot(server, "orders")
    [v1] = versions(server, "orders")
    assert v1["row_count"] == 50
    types = {c["name"]: c["type"] for c in v1["schema"]}
    assert types["id"] == "BIGINT" and types["paid"] == "BOOLEAN"

    postgres.sql("INSERT INTO orders SELECT i, 'c' || i, i * 2.5, true, "
                 "timestamp '2026-01-01' + i * interval '1 hour' FROM generate_series(51, 60) i")
    snapshot(server, "orders")
    v = versions(server, "orders")
    assert [x["row_count"] for x in v] == [50, 10]
    assert sorted(r["id"] for r in rows(server, "orders", 2)) == list(range(51, 61))

    # Never in an answer, a job, a log line, or metadata.db in clear.
    answers = [server.get(p).text for p in ("/api/v1/sources", "/api/v1/sources/orders", "/api/v1/jobs",
                                            f"/api/v1/jobs/{job['id']}", f"/api/v1/jobs/{job['id']}/logs",
                                            "/api/v1/datasets/orders/versions")]
    r = server.patch("/api/v1/sources/orders", json={"description": "orders"})
    answers.append(r.text)
    server.stop()
    answers.append(server.log())
    answers.append((server.data_dir / "metadata.db").read_bytes().decode("latin-1"))
    for text in answers:
        assert PASSWORD not in text

    # A PATCH without the password keeps it; a wrong one is refused.
    server.start()
    r = server.patch("/api/v1/sources/orders", json={"config": {k: v for k, v in config.items() if k != "password"}})
    assert r.status_code == 200, r.text
    r = server.patch("/api/v1/sources/orders", json={"config": dict(config, password="nope")})
    assert r.status_code == 400


def test_kill9_during_a_snapshot_leaves_no_partial_version_and_the_job_requeues(maasd_factory, tmp_path):
    n = 100_000 if os.environ.get("MAAS_SANITIZED") else 600_000
    server, roots = roots_maasd(maasd_factory, tmp_path)
    server.start()
    db = sqlite3.connect(roots / "big.db")
    db.execute("CREATE TABLE t (id INTEGER, payload TEXT)")
    db.executemany("INSERT INTO t VALUES (?, ?)", ((i, "p" * 40) for i in range(n)))
    db.commit()
    db.close()
    create_source(server, "big", "sqlite", {"path": str(roots / "big.db"), "table": "t", "watermark_column": "id"})
    r = server.post("/api/v1/sources/big/snapshot", json={})
    assert r.status_code == 202
    job_id = r.json()["id"]
    wait_for(lambda: server.get(f"/api/v1/jobs/{job_id}").json()["state"] == "running", 60, "the job to run")
    server.kill9()
    assert versions_offline(server) == 0
    server.start()
    job = wait_for(lambda: (lambda j: j if j["state"] in ("succeeded", "failed") else None)(
        server.get(f"/api/v1/jobs/{job_id}").json()), 180, "the requeued job")
    assert job["state"] == "succeeded", job
    assert job["interruptions"] >= 1
    v = versions(server, "big")
    assert [x["row_count"] for x in v] == [n]
    assert v[0]["lineage"]["job_id"] == job_id


def versions_offline(server):
    db = sqlite3.connect(server.data_dir / "metadata.db")
    try:
        return db.execute("SELECT COUNT(*) FROM dataset_versions").fetchone()[0]
    finally:
        db.close()


def test_a_logql_query_over_maasds_request_records_becomes_a_dataset(maasd_factory, tmp_path):
    server, _ = roots_maasd(maasd_factory, tmp_path)
    server.start()
    for _ in range(3):
        assert server.get("/api/v1/models").status_code == 200
    query = '{job="maasd", kind="request"} | json | path="/api/v1/models"'
    create_source(server, "model-requests", "logs", {"query": query, "range_ms": 3_600_000})
    # The request records reach the log center a little after their answers.
    wait_for(lambda: len(server.get("/loki/api/v1/query_range", params={"query": query, "since": "1h"})
                         .json()["data"]["result"]) > 0, 30, "the request records")
    wait_for(lambda: sum(len(s["values"]) for s in server.get(
        "/loki/api/v1/query_range", params={"query": query, "since": "1h"}).json()["data"]["result"]) >= 3,
        30, "three request records")
    snapshot(server, "model-requests")
    [v1] = versions(server, "model-requests")
    assert v1["row_count"] == 3
    got = rows(server, "model-requests", 1)
    assert {r["path"] for r in got} == {"/api/v1/models"}
    assert {r["status"] for r in got} == {200}
    assert all(r["job"] == "maasd" and r["kind"] == "request" and r["method"] == "GET" for r in got)
    assert v1["lineage"]["details"]["input"]["watermark"]["ts_ns"] > 0

    # Incremental: only the records after the last one kept.
    assert server.get("/api/v1/models").status_code == 200
    wait_for(lambda: sum(len(s["values"]) for s in server.get(
        "/loki/api/v1/query_range", params={"query": query, "since": "1h"}).json()["data"]["result"]) >= 4,
        30, "the fourth request record")
    snapshot(server, "model-requests")
    assert [v["row_count"] for v in versions(server, "model-requests")] == [3, 1]
    assert not list((server.data_dir / "sources" / "logs").iterdir())  # the query results are spent

    r = server.post("/api/v1/sources", json={"name": "bad", "kind": "logs", "config": {"query": "{job="}})
    assert r.status_code == 400 and "config.query" in error_of(r)["message"], r.text
