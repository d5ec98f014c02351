"""Keys and roles against a real maasd: every non-health route needs a key, roles limit what a key may do,
revocation and expiry take effect at once, secrets are never stored or shown twice, and management actions
are audited with the key that made them."""
import os
import re
import sqlite3
import stat
import time

import numpy as np

from conftest import Maasd, error_of
from fixture_names import GOOD
from serving import infer, load, register


def fill(pattern):
    return re.sub(r"\{[^}]+\}", "x1", pattern)


def make_key(maasd, role, **fields):
    r = maasd.post("/api/v1/keys", json={"name": f"{role} key", "role": role, **fields})
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["key"].startswith("maas_" + body["id"] + "_")
    return body


def test_every_route_but_health_needs_a_key(maasd):
    routes = maasd.get("/api/v1/routes").json()["routes"]
    assert len(routes) > 30
    public = {(r["method"], r["path"]) for r in routes if r["access"] == "public"}
    # The web console's files are public too: they hold no data (test_console.py).
    console = {("GET", "/"), ("GET", "/ui"), ("GET", "/ui/{path...}")}
    assert public - console == {("GET", "/api/v1/health"), ("GET", "/v2/health/live"), ("GET", "/v2/health/ready")}
    for route in routes:
        if route["access"] == "public":
            continue
        for headers in ({}, {"Authorization": "Bearer maas_nope_" + "0" * 64}, {"x-api-key": "wrong"}):
            r = maasd._request(route["method"], fill(route["path"]), 30, key=None, headers=headers, data=b"{}")
            assert r.status_code == 401, (route, headers, r.status_code, r.text)
            assert r.headers["WWW-Authenticate"].startswith("Bearer")
            body = r.json()
            if route["path"].startswith("/v2"):
                assert "API key" in body["error"]
            elif route["path"].startswith("/v1"):  # OpenAI's shape, whose SDKs raise AuthenticationError
                assert body["error"]["type"] == "authentication_error" and "API key" in body["error"]["message"]
            else:
                assert error_of(r)["code"] == "UNAUTHENTICATED"
    for method, path in public - console:
        assert maasd._request(method, path, 30, key=None).status_code == 200
    refused = 3 * (len(routes) - len(public))
    assert f'maas_gateway_rejections_total{{service="",reason="unauthenticated"}} {refused}' in maasd.get("/metrics").text


def test_the_key_may_come_in_any_of_the_usual_headers(maasd):
    for header in ("x-api-key", "api-key"):
        assert maasd.get("/api/v1/models", key=None, headers={header: maasd.admin_key}).status_code == 200
    assert maasd.get("/api/v1/models", key=None,
                     headers={"Authorization": "bearer " + maasd.admin_key}).status_code == 200


def test_roles_limit_what_a_key_may_do(maasd, models_dir):
    register(maasd, "granted", models_dir / GOOD["xgboost-json"])
    register(maasd, "other", models_dir / GOOD["xgboost-json"])
    load(maasd, "granted")
    load(maasd, "other")
    rows = np.zeros((1, 30), dtype=np.float32)
    invoker = make_key(maasd, "invoker", services=["granted"])["key"]
    viewer = make_key(maasd, "viewer")["key"]
    deployer = make_key(maasd, "deployer")["key"]

    assert infer(maasd, "granted", {"input": rows}, key=invoker).status_code == 200
    denied = infer(maasd, "other", {"input": rows}, key=invoker)
    assert denied.status_code == 403 and "not granted 'other'" in denied.json()["error"]
    assert maasd.upload("granted", models_dir / GOOD["xgboost-json"]).status_code == 201  # the admin may
    for call in (lambda k: maasd.post("/api/v1/models/granted/versions", key=k, data=b"x"),
                 lambda k: maasd.delete("/api/v1/models/granted", key=k),
                 lambda k: maasd.post("/api/v1/models", key=k, json={"name": "new"}),
                 lambda k: maasd.get("/api/v1/models", key=k)):
        r = call(invoker)
        assert r.status_code == 403 and error_of(r)["code"] == "PERMISSION_DENIED", r.text
    # A viewer reads but changes nothing and calls no model.
    assert maasd.get("/api/v1/models", key=viewer).status_code == 200
    assert maasd.post("/api/v1/models", key=viewer, json={"name": "new"}).status_code == 403
    assert infer(maasd, "granted", {"input": rows}, key=viewer).status_code == 403
    # A deployer manages models and calls them, but keys are the admin's.
    assert maasd.post("/api/v1/models", key=deployer, json={"name": "new"}).status_code == 201
    assert infer(maasd, "other", {"input": rows}, key=deployer).status_code == 200
    assert maasd.post("/api/v1/keys", key=deployer, json={"name": "x", "role": "admin"}).status_code == 403
    assert maasd.get("/api/v1/keys", key=deployer).status_code == 403


def test_revocation_and_expiry_take_effect_on_the_next_request(maasd):
    key = make_key(maasd, "viewer")
    assert maasd.get("/api/v1/models", key=key["key"]).status_code == 200
    r = maasd.delete(f"/api/v1/keys/{key['id']}")
    assert r.status_code == 200 and r.json()["active"] is False and r.json()["revoked_at"]
    r = maasd.get("/api/v1/models", key=key["key"])
    assert r.status_code == 401 and "revoked" in error_of(r)["message"]

    expires = time.time() + 1.0
    short = make_key(maasd, "viewer", expires_at=time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(expires)) +
                     f".{int((expires % 1) * 1000):03d}Z")
    assert maasd.get("/api/v1/models", key=short["key"]).status_code == 200
    deadline = time.monotonic() + 10
    while maasd.get("/api/v1/models", key=short["key"]).status_code == 200:
        assert time.monotonic() < deadline, "the key never expired"
        time.sleep(0.05)
    r = maasd.get("/api/v1/models", key=short["key"])
    assert r.status_code == 401 and "expired" in error_of(r)["message"]
    assert time.time() >= expires - 0.01


def test_bad_key_requests_get_clear_errors(maasd):
    for body, needle in [({"role": "viewer"}, "'name' is required"), ({"name": "a"}, "'role' is required"),
                         ({"name": "a", "role": "root"}, "one of admin"),
                         ({"name": "a", "role": "viewer", "expires_at": "tomorrow"}, "RFC 3339"),
                         ({"name": "a", "role": "viewer", "expires_at": "2001-01-01T00:00:00Z"}, "in the past"),
                         ({"name": "a", "role": "viewer", "rate_limit": {"rps": 0}}, "rate_limit.rps"),
                         ({"name": "a", "role": "viewer", "rate_limit": {}}, "needs 'rps'"),
                         ({"name": "a", "role": "viewer", "rate_limit": {"tpm": -5}}, "rate_limit.tpm"),
                         ({"name": "a", "role": "viewer", "colour": 1}, "unknown field")]:
        r = maasd.post("/api/v1/keys", json=body)
        assert r.status_code == 400 and needle in error_of(r)["message"], (body, r.text)
    assert maasd.delete("/api/v1/keys/knothere").status_code == 404


def test_secrets_are_stored_hashed_and_shown_once(maasd):
    key = make_key(maasd, "invoker", services=["a", "b"], rate_limit={"rps": 5, "burst": 10, "tpm": 20000})
    listed = maasd.get("/api/v1/keys").json()["keys"]
    mine = [k for k in listed if k["id"] == key["id"]][0]
    assert "key" not in mine and mine["services"] == ["a", "b"]
    assert mine["rate_limit"] == {"rps": 5, "burst": 10, "tpm": 20000}
    assert all("hash" not in field for k in listed for field in k)
    maasd.stop()
    raw = b"".join(p.read_bytes() for p in maasd.data_dir.glob("metadata.db*"))
    assert key["key"].encode() not in raw and maasd.admin_key.encode() not in raw
    with sqlite3.connect(maasd.data_dir / "metadata.db") as db:
        hashes = [row[0] for row in db.execute("SELECT token_hash FROM api_keys")]
    assert len(hashes) == 2 and all(re.fullmatch(r"[0-9a-f]{64}", h) for h in hashes)
    maasd.start()  # for the fixture's clean stop


def test_without_maas_admin_key_the_first_start_writes_one_to_a_private_file(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "MAAS_ADMIN_KEY"}
    server = Maasd(tmp_path / "data")
    server.env = env
    server.start()
    try:
        key_file = server.data_dir / "admin.key"
        assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
        token = key_file.read_text().strip()
        assert token in server.log()  # printed once, at the first start
        assert server.get("/api/v1/keys", key=token).status_code == 200
        server.stop()
        server.log_path.write_text("")
        server.start()
        assert token not in server.log()  # not printed again
        assert server.get("/api/v1/keys", key=token).status_code == 200
    finally:
        server.stop()


def test_management_actions_are_audited_with_their_key(maasd):
    deployer = make_key(maasd, "deployer")
    assert maasd.post("/api/v1/models", key=deployer["key"], json={"name": "audited"}).status_code == 201
    assert maasd.delete("/api/v1/models/audited", key=None).status_code == 401
    records = maasd.get("/api/v1/audit").json()["records"]
    created = [r for r in records if r["path"] == "/api/v1/models" and r["method"] == "POST"]
    assert created and created[0]["key_id"] == deployer["id"] and created[0]["status"] == 201, records
    refused = [r for r in records if r["path"] == "/api/v1/models/audited" and r["method"] == "DELETE"]
    assert refused and refused[0]["status"] == 401 and refused[0]["key_id"] == "", [(r["method"], r["path"], r["status"], r["key_id"]) for r in records]
    keys_made = [r for r in records if r["path"] == "/api/v1/keys"]
    assert keys_made and keys_made[0]["key_id"] == "admin"
