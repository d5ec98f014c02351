"""Following the data center's jobs (data.clean, data.split, data.drift, data.rule) in tests: the route answers 202
with the job; these poll it to its end with a deadline."""
from jobs_client import wait_for

DONE = ("succeeded", "failed", "cancelled")


def finished(server, response, expect="succeeded", timeout_s=120):
    """The job a 202 answer started, once it has ended (in state `expect`)."""
    assert response.status_code == 202, response.text
    job_id = response.json()["id"]
    assert response.headers["Location"] == f"/api/v1/jobs/{job_id}"
    job = wait_for(lambda: (lambda j: j if j["state"] in DONE else None)(server.get(f"/api/v1/jobs/{job_id}").json()),
                   timeout_s, f"job {job_id}")
    assert job["state"] == expect, job
    return job


def new_version(server, response, timeout_s=120):
    """The dataset version a clean or split job recorded (the job's result names it)."""
    job = finished(server, response, timeout_s=timeout_s)
    r = server.get(f"/api/v1/datasets/{job['result']['dataset']}/versions/{job['result']['version']}")
    assert r.status_code == 200, r.text
    assert r.json()["lineage"]["job_id"] == job["id"]
    return r.json()
