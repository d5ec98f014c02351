"""What an attacker can fill, forge or read (issue 10, findings 7, 8, 9, 11, 12, 13), against a real maasd: the audit
log bounded under anonymous floods and kept by retention; maasd's own log streams not forgeable by a push; metric
series only for names that exist; webhooks refused towards metadata and link-local addresses, also when a name
resolves there; far-future pushes refused; form-encoded Loki queries; a private data dir; API keys hashed with an
HMAC under a per-installation secret, with old SHA-256 rows still working and rehashed on use."""
import hashlib
import os
import re
import sqlite3
import stat
import time

import pytest
import requests

from conftest import ADMIN_KEY, error_of
from peers import metric, poll
from receivers import Webhooks


def series(maasd, name):
    """Every series of `name` in /metrics as (labels dict, value)."""
    out = []
    for line in maasd.get("/metrics").text.splitlines():
        m = re.match(r"^(\w+)(?:\{(.*)\})? (\S+)$", line)
        if m and m.group(1) == name:
            out.append((dict(re.findall(r'(\w+)="([^"]*)"', m.group(2) or "")), float(m.group(3))))
    return out


def db_bytes(data_dir):
    return sum(p.stat().st_size for p in data_dir.glob("metadata.db*"))


def make_key(maasd, role):
    r = maasd.post("/api/v1/keys", json={"name": role + "-key", "role": role})
    assert r.status_code == 201, r.text
    return r.json()


def push(maasd, streams, key="admin"):
    return maasd.post("/loki/api/v1/push", json={"streams": streams}, key=key)


# Finding 7: the audit log.

def test_anonymous_refusals_are_counted_and_only_sampled_into_a_bounded_audit_log(maasd):
    before = db_bytes(maasd.data_dir)
    long_tail = "p" * 15_000
    started = time.monotonic()
    with requests.Session() as anonymous:
        for i in range(2000):
            r = anonymous.post(f"{maasd.url}/api/v1/{long_tail}/{i}", data=b"", timeout=30)
            assert r.status_code in (401, 404, 405), r.status_code
    elapsed = time.monotonic() - started

    refusals = series(maasd, "maas_audit_anonymous_refusals_total")
    assert sum(v for _, v in refusals) == 2000, refusals
    assert all(labels["route"] == "unmatched" or "{" in labels["route"] or labels["route"].startswith("/")
               for labels, _ in refusals)
    records = maasd.get("/api/v1/audit", params={"limit": 1000}).json()["records"]
    anonymous_records = [r for r in records if r["actor"] == "anonymous"]
    # At most audit.anonymous_records_per_second (1) a second, plus the bucket's one.
    assert 1 <= len(anonymous_records) <= elapsed + 2, (len(anonymous_records), elapsed)
    assert metric(maasd, "maas_audit_unrecorded_total", reason="sampled") == 2000 - len(anonymous_records)
    for r in anonymous_records:
        assert len(r["path"].encode()) <= 512 and r["path"].endswith(" bytes]"), r["path"][-40:]
        assert r["path"].startswith("/api/v1/ppp")
    # 2,000 paths of 15 KB were 30 MB of rows before; a few samples and their pages now.
    assert db_bytes(maasd.data_dir) - before < 2 << 20, db_bytes(maasd.data_dir) - before


def test_audit_retention_keeps_the_newest_rows(maasd_factory, tmp_path):
    server = maasd_factory(tmp_path / "d", extra_args=["--audit-max-rows", "5",
                                                       "--audit-retention-interval-ms", "100"]).start()
    for i in range(12):
        assert server.post("/api/v1/models", json={"name": f"m{i}"}).status_code == 201
    assert server.get("/api/v1/audit").status_code == 200  # flushes what was queued
    poll(lambda: len(server.get("/api/v1/audit").json()["records"]) <= 5, what="retention down to 5 rows")
    records = server.get("/api/v1/audit").json()["records"]
    assert "/api/v1/models" in [r["path"] for r in records]  # the newest stay
    assert metric(server, "maas_audit_records_deleted_total") >= 7
    assert server.stop() == 0


# Finding 8: maasd's own streams.

def test_a_push_cannot_pose_as_maasd_or_reach_a_version_timeline(maasd, maasd_factory, models_dir, tmp_path):
    assert maasd.post("/api/v1/models", json={"name": "m"}).status_code == 201
    assert maasd.upload("m", models_dir / "xgb_breast_cancer.json").status_code == 201
    deployer = make_key(maasd, "deployer")["key"]
    forged = [{"stream": {"job": "maasd", "kind": "event"},
               "values": [[str(time.time_ns()), '{"event":"worker_crashed","model":"m","version":"1","reason":"forged"}']]}]
    r = push(maasd, forged, key=deployer)
    assert r.status_code == 400, r.text
    assert 'job="maasd"' in error_of(r)["message"] and "reserved" in error_of(r)["message"]
    timeline = maasd.get("/api/v1/models/m/versions/1/events").json()
    assert all(e["event"] != "worker_crashed" for e in timeline["events"]), timeline
    found = maasd.get("/loki/api/v1/query_range", params={"query": '{job="maasd"} |= "forged"'}).json()
    assert found["data"]["result"] == []

    # A maasd that is another maasd's Loki takes such streams, marked as pushed: still never in its timelines.
    peer = maasd_factory(tmp_path / "peer", extra_args=["--logs-accept-maasd-pushes", "true"]).start()
    assert peer.post("/api/v1/models", json={"name": "m"}).status_code == 201
    assert peer.upload("m", models_dir / "xgb_breast_cancer.json").status_code == 201
    key = make_key(peer, "deployer")
    assert push(peer, forged, key=key["key"]).status_code == 204
    stored = poll(lambda: peer.get("/loki/api/v1/query_range",
                                   params={"query": '{job="maasd"} |= "forged"'}).json()["data"]["result"],
                  what="the pushed record")
    assert stored[0]["stream"] == {"job": "maasd", "kind": "event", "pushed_by": key["id"]}
    timeline = peer.get("/api/v1/models/m/versions/1/events").json()
    assert all(e["event"] != "worker_crashed" for e in timeline["events"]), timeline
    assert peer.stop() == 0


# Finding 9: metric series.

def test_unknown_model_names_share_one_series(maasd):
    assert maasd.post("/api/v1/models", json={"name": "known"}).status_code == 201
    with requests.Session() as s:
        s.headers["Authorization"] = "Bearer " + maasd.admin_key
        for i in range(1000):
            assert s.post(f"{maasd.url}/v2/models/nope-{i}/infer", json={"inputs": []}, timeout=30).status_code == 404
        assert s.post(f"{maasd.url}/v2/models/known/infer", json={"inputs": []}, timeout=30).status_code == 404
    text = maasd.get("/metrics").text
    assert "nope-" not in text
    inference = series(maasd, "maas_inference_requests_total")
    assert [v for labels, v in inference if labels["model"] == "__unknown__"] == [1000.0], inference
    assert [v for labels, v in inference if labels["model"] == "known"] == [1.0], inference  # a registered name keeps it


# Finding 11: outbound destinations.

def test_webhooks_to_metadata_and_link_local_addresses_are_refused_at_creation(maasd):
    for url in ["http://169.254.169.254/latest/meta-data/", "http://[fe80::1]:8080/hook", "http://0.0.0.0:9/",
                "http://metadata.google.internal/computeMetadata/v1/", "http://2852039166/",
                "http://[::ffff:169.254.169.254]/"]:
        r = maasd.post("/api/v1/subscriptions", json={"name": "x", "source": "logs", "query": '{app="a"}',
                                                      "webhook": {"url": url}})
        assert r.status_code == 400, (url, r.text)
        assert "outbound policy" in error_of(r)["message"] and error_of(r)["message"].startswith("webhook.url"), r.text
    r = maasd.post("/api/v1/subscriptions", json={"name": "x", "source": "logs", "query": '{app="a"}',
                                                  "email": {"to": "a@b.c", "smarthost": "169.254.169.254:25"}})
    assert r.status_code == 400 and error_of(r)["message"].startswith("email.smarthost"), r.text
    # Loopback and private receivers are allowed by default.
    r = maasd.post("/api/v1/subscriptions", json={"name": "x", "source": "logs", "query": '{app="a"}',
                                                  "webhook": {"url": "http://127.0.0.1:9/hook"}})
    assert r.status_code == 201, r.text


def test_a_name_that_resolves_to_a_denied_address_is_refused_at_send(maasd_factory, tmp_path):
    hooks = Webhooks()
    port = hooks.server.server_address[1]
    server = maasd_factory(tmp_path / "d", extra_args=["--outbound-deny", "127.0.0.0/8,::1/128"]).start()
    # A name passes at creation: only its addresses can judge it.
    r = server.post("/api/v1/subscriptions", json={"name": "sneaky", "source": "logs", "query": '{app="ssrf"}',
                                                   "webhook": {"url": f"http://localhost:{port}/hook"}})
    assert r.status_code == 201, r.text
    sub = r.json()["id"]
    assert push(server, [{"stream": {"app": "ssrf"}, "values": [[str(time.time_ns()), "hello"]]}]).status_code == 204
    poll(lambda: metric(server, "maas_subscription_deliveries_total", subscription=sub, result="abandoned") == 1,
         what="the refused delivery")
    assert metric(server, "maas_subscription_deliveries_total", subscription=sub, result="failure") == 1  # no retries
    assert hooks.attempts == 0 and hooks.received == []
    assert "refused by the outbound policy" in server.log()
    assert server.stop() == 0


def test_a_receiver_at_a_metadata_address_stops_maasd_at_start(maasd_factory, tmp_path):
    (tmp_path / "maasd.yaml").write_text(
        "alerting:\n  receivers:\n    - name: sneaky\n      webhook_configs:\n"
        "        - url: http://169.254.169.254/latest/meta-data/\n")
    server = maasd_factory(tmp_path / "d", extra_args=["--config", str(tmp_path / "maasd.yaml")])
    with pytest.raises(RuntimeError, match="receivers 'sneaky' webhook: 169.254.169.254 is refused"):
        server.start()


# Finding 12: Loki's push window and form-encoded queries.

def test_far_future_pushes_are_refused_naming_the_stream(maasd):
    year_2255 = str(9_000_000_000 * 10**9)
    r = push(maasd, [{"stream": {"app": "late"}, "values": [[str(time.time_ns()), "now"]]},
                     {"stream": {"app": "future"}, "values": [[year_2255, "from the future"]]}])
    assert r.status_code == 400, r.text
    assert """entry for stream '{app="future"}' has timestamp too new""" in error_of(r)["message"]
    # Within the creation grace period (10 minutes by default) is fine: clocks differ a little.
    assert push(maasd, [{"stream": {"app": "soon"},
                         "values": [[str(time.time_ns() + 5 * 60 * 10**9), "a bit ahead"]]}]).status_code == 204


def test_query_range_and_query_take_a_form_encoded_body(maasd):
    t = time.time_ns()
    assert push(maasd, [{"stream": {"app": "form"}, "values": [[str(t), "first line"], [str(t + 1), "second line"]]}]
                ).status_code == 204
    # Longer than the header limit allows in a query string: Grafana sends such queries as a form.
    long_query = '{app="form"} != "' + "x" * 20_000 + '"'
    r = maasd.post("/loki/api/v1/query_range", data={"query": long_query, "limit": "1", "direction": "forward",
                                                     "start": str(t - 10**9)})
    assert r.status_code == 200, r.text
    assert [v[1] for s in r.json()["data"]["result"] for v in s["values"]] == ["first line"]
    r = maasd.post("/loki/api/v1/query", data={"query": 'count_over_time({app="form"}[5m])'})
    assert r.status_code == 200, r.text
    assert r.json()["data"]["result"][0]["value"][1] == "2"
    r = maasd.post("/loki/api/v1/query_range", data="query=%zz", headers={
        "Content-Type": "application/x-www-form-urlencoded"})
    assert r.status_code == 400 and "form body" in error_of(r)["message"]


# Finding 13: a private data dir; keys hashed under a secret.

def modes(data_dir):
    out = {}
    for root, dirs, files in os.walk(data_dir):
        for name in dirs + files:
            path = os.path.join(root, name)
            out[os.path.relpath(path, data_dir)] = stat.S_IMODE(os.lstat(path).st_mode)
    out["."] = stat.S_IMODE(os.stat(data_dir).st_mode)
    return out


def assert_private(data_dir):
    found = modes(data_dir)
    open_to_others = {p: oct(m) for p, m in found.items() if m & 0o077}
    assert not open_to_others, open_to_others
    assert found["."] == 0o700 and found["metadata.db"] == 0o600 and found["keys.secret"] == 0o600
    assert all(found[d] == 0o700 for d in ["artifacts", "logs", "logs/segments"])
    return found


def test_the_data_dir_is_private_and_an_old_open_one_is_closed_at_start(maasd_factory, tmp_path, models_dir):
    server = maasd_factory(tmp_path / "d").start()
    assert server.post("/api/v1/models", json={"name": "m"}).status_code == 201
    assert server.upload("m", models_dir / "xgb_breast_cancer.json").status_code == 201
    assert push(server, [{"stream": {"app": "a"}, "values": [[str(time.time_ns()), "x"]]}]).status_code == 204
    assert server.post("/api/v1/subscriptions", json={"name": "x", "source": "logs", "query": '{app="a"}',
                                                      "webhook": {"url": "http://127.0.0.1:9/"}}).status_code == 201
    found = assert_private(server.data_dir)
    assert any(p.startswith("artifacts/blobs/sha256/") and m == 0o400 for p, m in found.items())  # read-only blobs
    assert found["alerting/subscriptions.json"] == 0o600
    assert server.stop() == 0

    # A data dir an older maasd left readable by everyone.
    for root, dirs, files in os.walk(server.data_dir):
        for d in dirs:
            os.chmod(os.path.join(root, d), 0o755)
        for f in files:
            os.chmod(os.path.join(root, f), 0o644)
    os.chmod(server.data_dir, 0o755)
    server.start()
    assert_private(server.data_dir)
    assert "took the group's and others' permissions off" in server.log()
    assert server.stop() == 0


def sha256_hex(text):
    return hashlib.sha256(text.encode()).hexdigest()


def test_keys_are_hmacs_and_an_old_sha256_key_still_works_and_is_rehashed(maasd_factory, tmp_path):
    server = maasd_factory(tmp_path / "d").start()
    assert server.stop() == 0
    # Turn the data dir into one an older maasd wrote: schema version 2, plain SHA-256 hashes, no secret file.
    old_token = "maas_kold00000001_" + "ab" * 32
    with sqlite3.connect(server.data_dir / "metadata.db") as db:
        db.execute("DELETE FROM schema_migrations WHERE version >= 3")
        db.execute("ALTER TABLE api_keys DROP COLUMN hash_scheme")
        db.execute("DROP TABLE jobs")  # migration 4's: version 2 had no job queue
        for table in ("dataset_aliases", "dataset_versions", "datasets"):  # migration 5's
            db.execute(f"DROP TABLE {table}")
        db.execute("DROP TABLE sources")  # migration 6's
        for table in ("rule_versions", "rules"):  # migration 7's
            db.execute(f"DROP TABLE {table}")
        for table in ("pipeline_aliases", "pipeline_versions", "pipelines"):  # migration 8's
            db.execute(f"DROP TABLE {table}")
        for table in ("model_version_feature_views", "feature_views"):  # migration 9's
            db.execute(f"DROP TABLE {table}")
        db.execute("DROP TABLE model_version_pipelines")  # migration 10's
        for table in ("study_trials", "studies"):  # migration 11's
            db.execute(f"DROP TABLE {table}")
        db.execute("DROP TABLE validation_policies")  # migration 12's
        db.execute("DROP INDEX api_keys_cert_subject")  # migration 13's
        for column in ("signing_secret", "cert_subject"):
            db.execute(f"ALTER TABLE api_keys DROP COLUMN {column}")
        for table in ("retraining_runs", "retraining_policies"):  # migration 14's
            db.execute(f"DROP TABLE {table}")
        db.execute("UPDATE api_keys SET token_hash = ? WHERE id = 'admin'", (sha256_hex(ADMIN_KEY),))
        db.execute("INSERT INTO api_keys(id, name, role, token_hash, policy, created_by, created_at_ms) "
                   "VALUES('kold00000001', 'old ci', 'deployer', ?, '{}', 'admin', 1)", (sha256_hex(old_token),))
    db.close()
    (server.data_dir / "keys.secret").unlink()

    server.start()
    secret = server.data_dir / "keys.secret"
    assert stat.S_IMODE(secret.stat().st_mode) == 0o600 and len(secret.read_bytes()) == 32
    assert server.get("/api/v1/models", key=old_token).status_code == 200  # the old key still works...
    new_key = make_key(server, "viewer")["key"]
    assert server.get("/api/v1/models", key=new_key).status_code == 200
    assert server.get("/api/v1/models", key=old_token + "x").status_code == 401
    assert server.stop() == 0

    with sqlite3.connect(server.data_dir / "metadata.db") as db:
        rows = dict(db.execute("SELECT id, hash_scheme FROM api_keys").fetchall())
    db.close()
    assert set(rows.values()) == {"hmac-sha256"}, rows  # ...and was rehashed on that use; the admin key at start
    raw = b"".join(p.read_bytes() for p in server.data_dir.glob("metadata.db*"))
    for token in [old_token, ADMIN_KEY, new_key]:
        assert sha256_hex(token).encode() not in raw and token.encode() not in raw

    server.start()  # the rehashed keys work after a restart
    assert server.get("/api/v1/models", key=old_token).status_code == 200
    assert server.stop() == 0

    # Without the secret the hashes can never be checked again: maasd says so rather than start with dead keys.
    secret.unlink()
    with pytest.raises(RuntimeError, match="keys.secret is missing"):
        server.start()
