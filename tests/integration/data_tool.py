"""Runs maas-data (src/data/tool/) from this build and reads its JSON."""
import json
import os
import pathlib
import subprocess

from conftest import BIN_DIR

SANITIZED = os.environ.get("MAAS_SANITIZED") == "1"


def maas_data(*args, env=None, check=True, timeout=600):
    """Runs `maas-data args...`; returns the parsed JSON of stdout (check=True) or the CompletedProcess."""
    proc = subprocess.run([str(BIN_DIR / "maas-data"), *map(str, args)], capture_output=True, text=True,
                          env=dict(os.environ, **(env or {})), timeout=timeout)
    if not check:
        return proc
    assert proc.returncode == 0, f"maas-data {' '.join(map(str, args))} failed ({proc.returncode}): {proc.stderr}"
    return json.loads(proc.stdout)


def error_of(proc):
    """The {"code", "message"} of a failed run."""
    assert proc.returncode == 1, (proc.returncode, proc.stdout, proc.stderr)
    return json.loads(proc.stderr.strip().splitlines()[-1])["error"]


def blobs(data_dir):
    root = pathlib.Path(data_dir) / "artifacts" / "blobs" / "sha256"
    return sorted(p.name for p in root.glob("*/*")) if root.exists() else []


def temp_files(data_dir):
    root = pathlib.Path(data_dir) / "artifacts" / "tmp"
    return sorted(p.name for p in root.iterdir()) if root.exists() else []
