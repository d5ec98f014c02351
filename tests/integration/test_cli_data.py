"""`maas datasets ...` and `maas sources ...` against a real maasd: import with a progress bar, list, show,
preview, register sources, push rows and snapshot them with --watch."""
import sqlite3

from cli_driver import INVALID_INPUT, cli_for


def test_datasets_and_sources_from_the_command_line(maasd_factory, tmp_path):
    roots = tmp_path / "roots"
    roots.mkdir()
    server = maasd_factory(extra_args=["--sources-file-roots", str(roots)]).start()
    cli = cli_for(server)

    csv = tmp_path / "orders.csv"
    csv.write_text("id,amount\n1,2.5\n2,3.5\n3,4.5\n")
    result = cli.ok("datasets", "import", csv, "--dataset", "orders")
    assert "uploaded" in result.stderr  # the progress summary
    assert [d["name"] for d in cli.json("datasets", "list")["datasets"]] == ["orders"]
    assert cli.json("datasets", "show", "orders")["versions"][0]["row_count"] == 3
    page = cli.json("datasets", "preview", "orders", "--offset", "1", "--limit", "1")
    assert page["rows"] == [[2, 3.5]]
    assert "amount" in cli.ok("datasets", "preview", "orders").stdout

    db = sqlite3.connect(roots / "app.db")
    db.execute("CREATE TABLE t (id INTEGER, v TEXT)")
    db.executemany("INSERT INTO t VALUES (?, ?)", [(1, "a"), (2, "b")])
    db.commit()
    db.close()
    cli.ok("sources", "create", "app", "--kind", "sqlite", "--config",
           '{"path": "%s", "table": "t", "watermark_column": "id"}' % (roots / "app.db"))
    assert [s["name"] for s in cli.json("sources", "list")["sources"]] == ["app"]
    result = cli.ok("sources", "snapshot", "app", "--watch")
    assert "succeeded" in result.stdout
    assert cli.json("datasets", "show", "app")["versions"][0]["row_count"] == 2

    cli.ok("sources", "create", "events", "--kind", "push")
    rows = tmp_path / "rows.jsonl"
    rows.write_text('{"x": 1}\n{"x": 2}\n')
    assert "appended 2 rows" in cli.ok("sources", "push", "events", rows).stdout
    cli.ok("datasets", "snapshot", "events", "--dataset", "ev", "--watch")
    assert cli.json("datasets", "show", "ev")["versions"][0]["row_count"] == 2

    cli.fails(INVALID_INPUT, "sources", "create", "bad", "--kind", "files", "--config", '{"path": "/etc/passwd"}')
    cli.ok("sources", "delete", "events")
    assert [s["name"] for s in cli.json("sources", "list")["sources"]] == ["app"]
