"""Imports through maas-data: bad input gets a clear error or a counted rejection (never a crash), and a large CSV
imports and profiles with bounded memory (the engine spills past its limit)."""
import os
import resource
import subprocess
import time

import pytest

from conftest import BIN_DIR
from data_tool import SANITIZED, error_of, maas_data


def test_malformed_and_mistyped_rows_are_counted_and_kept(tmp_path):
    csv = tmp_path / "in.csv"
    csv.write_text("id,when\n1,2024-01-02\n2,not a date\n3,2024-01-04,extra\n\"4,2024-01-05\n5,2024-01-06\n")
    result = maas_data("import", csv, "--snapshot", tmp_path / "s.parquet",
                       "--options", '{"column_types": {"id": "BIGINT", "when": "DATE"}}')
    assert result["rows"] + result["rejected_rows"] >= 3
    assert result["rejected_rows"] >= 2
    rejects = maas_data("preview", result["rejects"], "--limit", 100)
    lines = {row[0] for row in rejects["rows"]}
    assert {3, 4} <= lines
    assert any("not a date" in (row[4] or "") for row in rejects["rows"])


@pytest.mark.parametrize("content, options, words", [
    ("", None, "empty"),
    ("a,b\n1,2\n", '{"column_types": {"a": "BIGINT) AS a, (SELECT 1"}}', "not a type name"),
    ("a,b\n1,2\n", '{"delimeter": ";"}', "unknown field"),
    ("a,b\n1,2\n", '[1]', "JSON object"),
    ("a,b\n1,2\n", '{"column_types": {"nope": "BIGINT"}}', "nope"),
])
def test_bad_input_is_a_clear_error(tmp_path, content, options, words):
    csv = tmp_path / "in.csv"
    csv.write_text(content)
    args = ["import", csv, "--snapshot", tmp_path / "s.parquet"]
    if options:
        args += ["--options", options]
    error = error_of(maas_data(*args, check=False))
    assert error["code"] == "INVALID_ARGUMENT"
    assert words in error["message"], error["message"]


def test_huge_and_invalid_utf8_lines_are_rejected_not_fatal(tmp_path):
    path = tmp_path / "in.csv"
    with open(path, "wb") as f:
        f.write(b"a,b\n")
        for i in range(30000):
            f.write(b"%d,x\n" % i)
        f.write(b"1," + b"y" * (3 << 20) + b"\n")
        f.write(b"2,\xff\xfe broken utf-8\n")
        f.write(b"3,z\n")
    result = maas_data("import", path, "--snapshot", tmp_path / "s.parquet")
    assert result["rows"] == 30001
    assert result["rejected_rows"] == 2


def peak_rss_of(args):
    """Runs a command and returns (its exit code, its peak resident set in bytes)."""
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return proc, usage.ru_maxrss * 1024


def test_a_large_csv_imports_and_profiles_within_bounded_memory(tmp_path):
    # ~250 MB (60 MB under the sanitizers, which are slower and heavier) with a 192 MiB engine limit.
    rows = 600_000 if SANITIZED else 2_500_000
    path = tmp_path / "big.csv"
    with open(path, "w") as f:
        f.write("id,amount,name,score,day,token\n")
        block = 100_000
        for start in range(0, rows, block):
            f.write("".join(f"{i},{i * 0.37:.4f},customer-{i % 100_003:06d}-{'x' * (i % 100_003 % 40)},"
                            f"{(i * 7919) % 1000},2024-{1 + i % 12:02d}-{1 + i % 28:02d},t{i}-{'y' * (i % 40)}\n"
                            for i in range(start, start + block)))
    size = path.stat().st_size
    start = time.monotonic()
    proc, peak = peak_rss_of([str(BIN_DIR / "maas-data"), "--memory-limit", "192MiB", "--threads", "2",
                              "--temp-dir", str(tmp_path), "import", str(path), "--snapshot",
                              str(tmp_path / "s.parquet"), "--profile"])
    out, err = proc.stdout.read(), proc.stderr.read()
    assert proc.returncode == 0, err
    import json
    result = json.loads(out)
    assert result["rows"] == rows
    names = {c["name"]: c for c in result["profile"]["columns"]}
    assert names["id"]["distinct"] == rows
    assert names["name"]["distinct"] == 100_003
    # Every token is distinct: too many groups for the memory limit in one pass.
    assert names["token"]["distinct"] == rows
    assert [t["count"] for t in names["token"]["top_values"]] == [1] * 10
    print(f"imported {size / 1e6:.0f} MB in {time.monotonic() - start:.1f} s, peak RSS {peak / 2**20:.0f} MiB")
    if not SANITIZED:
        # The file is far larger than what the process ever holds.
        assert peak < 640 * 2**20, f"peak RSS {peak / 2**20:.0f} MiB for a {size / 2**20:.0f} MiB file"
