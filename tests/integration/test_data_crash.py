"""Crash safety of dataset imports: a kill -9 at any stage leaves no partial dataset version — only temp files
(removed at the next start), an unreferenced blob (removed by maasd's garbage collector) or a complete version.
maas-data's MAAS_DATA_KILL_AT hook kills the process when the import reaches the named stage."""
import signal

import pytest

from data_tool import blobs, error_of, maas_data, temp_files

ROWS = 5000


def write_csv(path, bad_lines=True):
    lines = ["id,amount,label"] + [f"{i},{i * 0.25},l{i % 7}" for i in range(ROWS)]
    if bad_lines:
        lines.insert(10, "oops,this,line,has,too,many,fields")
    path.write_text("\n".join(lines) + "\n")
    return path


def datasets(data_dir, *args, **kw):
    return maas_data("--threads", "2", "datasets", "--data-dir", data_dir, *args, **kw)


@pytest.mark.parametrize("stage", ["imported", "profiled", "stored"])
def test_kill_before_the_version_is_recorded_leaves_no_version(tmp_path, maasd_factory, stage):
    data_dir = tmp_path / "data"
    datasets(data_dir, "create", "orders")
    csv = write_csv(tmp_path / "orders.csv")
    proc = datasets(data_dir, "import", "orders", csv, env={"MAAS_DATA_KILL_AT": stage}, check=False)
    assert proc.returncode == -signal.SIGKILL, (proc.returncode, proc.stderr)
    # Reopening (any command) removes the temp files the crash left; no version exists.
    assert datasets(data_dir, "versions", "orders")["versions"] == []
    assert temp_files(data_dir) == []
    assert error_of(datasets(data_dir, "version", "orders", "latest", check=False))["code"] == "NOT_FOUND"
    if stage == "stored":
        assert len(blobs(data_dir)) == 2  # the snapshot and the rejects, referenced by nothing
    # maasd's garbage collector at start removes what no version references.
    server = maasd_factory(data_dir).start()
    server.stop()
    assert blobs(data_dir) == []
    # The next import is version 1: nothing was recorded, so no number was used.
    assert datasets(data_dir, "import", "orders", csv)["version"] == 1


def test_kill_after_the_version_is_recorded_keeps_it_whole(tmp_path, maasd_factory):
    data_dir = tmp_path / "data"
    datasets(data_dir, "create", "orders")
    csv = write_csv(tmp_path / "orders.csv")
    proc = datasets(data_dir, "import", "orders", csv, env={"MAAS_DATA_KILL_AT": "recorded"}, check=False)
    assert proc.returncode == -signal.SIGKILL
    version = datasets(data_dir, "version", "orders", "latest")
    assert version["version"] == 1
    assert version["row_count"] == ROWS
    assert version["rejected_rows"] == 1
    # maasd keeps the blobs a dataset version references (its collector reads the same metadata.db).
    kept = blobs(data_dir)
    assert sorted(kept) == sorted([version["digest"][len("sha256:"):], version["rejects_digest"][len("sha256:"):]])
    server = maasd_factory(data_dir).start()
    server.stop()
    assert blobs(data_dir) == kept
    page = datasets(data_dir, "preview", "orders", "1", "--offset", ROWS - 1, "--limit", 5)
    assert page["rows"] == [[ROWS - 1, (ROWS - 1) * 0.25, f"l{(ROWS - 1) % 7}"]]
    # Version numbers are never reused.
    assert datasets(data_dir, "import", "orders", csv)["version"] == 2


def test_exports_of_a_version(tmp_path):
    data_dir = tmp_path / "data"
    datasets(data_dir, "create", "orders")
    csv = write_csv(tmp_path / "orders.csv", bad_lines=False)
    datasets(data_dir, "import", "orders", csv)
    parquet = tmp_path / "out.parquet"
    datasets(data_dir, "export", "orders", "latest", "--format", "parquet", "--out", parquet)
    assert parquet.read_bytes()[:4] == b"PAR1"
    out = tmp_path / "out.csv"
    assert datasets(data_dir, "export", "orders", "1", "--format", "csv", "--out", out)["rows"] == ROWS
    assert out.read_text() == csv.read_text()
