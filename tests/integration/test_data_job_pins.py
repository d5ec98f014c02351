"""A data job holds its input (docs/DATA.md, "Jobs hold their inputs"): the dataset version a data.rule, data.clean
or data.split job reads can be deleted and the garbage collected while the job waits or runs, and the job still
succeeds; once it has ended, the next collection removes the blob. The job is held in the queue behind a gated
test.steps job on the one job slot, so the delete and the collection surely happen before it reads its input."""
import json

import pytest

from jobs_client import jobs_maasd, submit, wait_for, wait_state

LINES = ["GET /a 200", "POST /b 404", "GET /c 500", "bad line"] * 25


@pytest.fixture
def server(maasd_factory):
    s = jobs_maasd(maasd_factory, extra_args=["--jobs-slots", "2", "--jobs-serving-reserved-slots", "1"]).start()
    yield s
    assert s.stop() == 0


def blob_exists(server, digest):
    return any(server.data_dir.rglob(digest.removeprefix("sha256:")))


def upload(server, dataset):
    assert server.post("/api/v1/datasets", json={"name": dataset}).status_code == 201
    body = "\n".join(json.dumps({"line": line, "n": i % 7}) for i, line in enumerate(LINES)).encode()
    r = server.post(f"/api/v1/datasets/{dataset}/versions", params={"filename": "lines.jsonl"}, data=body,
                    headers={"Content-Type": "application/x-ndjson"})
    assert r.status_code == 201, r.text
    return r.json()


def start_rule(server):
    rule = {"type": "regex", "pattern": "^(?P<verb>[A-Z]+) (?P<path>\\S+) (?P<status>\\d+)$", "field": "line",
            "columns": [{"name": "status", "type": "int"}]}
    assert server.post("/api/v1/rules", json={"name": "access", "rule": rule}).status_code == 201, "rule"
    r = server.post("/api/v1/rules/access/run", json={"dataset": "raw", "version": 1, "into": "parsed"})
    assert r.status_code == 202, r.text
    return r.json()


def start_clean(server):
    r = server.post("/api/v1/datasets/raw/versions/1/clean",
                    json={"steps": [{"step": "deduplicate"}], "dataset": "cleaned"})
    assert r.status_code == 202, r.text
    return r.json()


def start_split(server):
    r = server.post("/api/v1/datasets/raw/versions/1/split",
                    json={"method": "random", "fractions": {"train": 0.8, "test": 0.2}, "seed": 1, "dataset": "parts"})
    assert r.status_code == 202, r.text
    return r.json()


@pytest.mark.parametrize("start", [start_rule, start_clean, start_split], ids=["rule", "clean", "split"])
def test_deleting_a_jobs_input_and_collecting_does_not_fail_the_job(server, tmp_path, start):
    version = upload(server, "raw")
    for name in ("parsed", "cleaned", "parts"):
        server.post("/api/v1/datasets", json={"name": name})
    gate = tmp_path / "gate"
    blocker = submit(server, params={"steps": 1, "pause_at": 0, "gate": str(gate)})
    wait_state(server, blocker["id"], "running")
    job = start(server)
    assert wait_state(server, job["id"], "queued")
    # The only version goes, and deleting it collects the garbage; a second collection to be sure.
    assert server.delete("/api/v1/datasets/raw/versions/1").status_code in (200, 204)
    assert server.post("/api/v1/admin/store/gc").status_code == 200
    assert blob_exists(server, version["digest"]), "the queued job's input was collected"
    gate.touch()
    done = wait_state(server, job["id"], ("succeeded", "failed", "cancelled"), timeout_s=120)
    assert done["state"] == "succeeded", done
    r = server.post("/api/v1/admin/store/gc")
    assert r.status_code == 200, r.text
    assert not blob_exists(server, version["digest"]), "the input outlived its job"
