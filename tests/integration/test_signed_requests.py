"""Signed requests (issue 17, item 3) against a real maasd: a MAAS-HMAC-SHA256 signature stands in for a bearer key;
a changed byte, a stale timestamp, a replayed nonce, a wrong or unknown key and an unsigned required header are each
401 with their reason; the signing secret is shown once and stored sealed under a 0600 key-encryption key."""
import json
import pathlib
import re
import stat
from datetime import datetime, timedelta, timezone

import requests

from conftest import error_of
from request_signing import sign


def make_signing_key(server, role="admin"):
    r = server.post("/api/v1/keys", json={"name": "signer", "role": role, "signing_secret": True})
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["signing"] is True and body["signing_secret"].startswith("maassig_"), body
    return body["id"], body["signing_secret"]


def send(server, method, path, body=b"", *, key_id, secret, tamper=None, **sign_kw):
    """Signs and sends; `tamper(headers, body, path)` may change what goes out after signing."""
    headers = sign(method, server.url + path, body, key_id, secret, **sign_kw)
    del headers["host"]  # requests sends the same Host itself
    if body:
        headers["content-type"] = "application/json"
    if tamper:
        headers, body, path = tamper(headers, body, path)
    return requests.request(method, server.url + path, data=body, headers=headers, timeout=60)


def reason(response):
    assert response.status_code == 401, (response.status_code, response.text)
    assert response.headers.get("WWW-Authenticate"), response.headers
    return error_of(response)["message"].split(":")[0]


def test_a_correct_signature_authenticates_as_its_key(maasd):
    key_id, secret = make_signing_key(maasd)
    r = send(maasd, "GET", "/api/v1/whoami", key_id=key_id, secret=secret)
    assert r.status_code == 200, r.text
    assert r.json()["key_id"] == key_id
    body = json.dumps({"name": "made by a signed request", "role": "viewer"}).encode()
    r = send(maasd, "POST", "/api/v1/keys", body, key_id=key_id, secret=secret)
    assert r.status_code == 201, r.text
    assert r.json()["created_by"] == key_id
    r = send(maasd, "GET", "/api/v1/keys?limit=5&prefix=a%20b", key_id=key_id, secret=secret)
    assert r.status_code == 200, r.text


def test_each_failure_is_a_401_with_its_reason(maasd):
    key_id, secret = make_signing_key(maasd)
    body = json.dumps({"name": "x", "role": "viewer"}).encode()
    now = datetime.now(timezone.utc)

    def changed_body(headers, b, path):
        return headers, b.replace(b"viewer", b"admin!"), path

    def changed_query(headers, b, path):
        return headers, b, path + "?limit=1"

    def changed_signed_header(headers, b, path):
        return dict(headers, **{"x-maas-date": (now + timedelta(seconds=1)).strftime("%Y%m%dT%H%M%SZ")}), b, path

    assert reason(send(maasd, "POST", "/api/v1/keys", body, key_id=key_id, secret=secret,
                       tamper=changed_body)) == "body_hash_mismatch"
    assert reason(send(maasd, "GET", "/api/v1/keys", key_id=key_id, secret=secret,
                       tamper=changed_query)) == "signature_mismatch"
    assert reason(send(maasd, "GET", "/api/v1/keys", key_id=key_id, secret=secret, now=now,
                       tamper=changed_signed_header)) == "signature_mismatch"
    assert reason(send(maasd, "GET", "/api/v1/keys", key_id=key_id, secret=secret,
                       now=now - timedelta(minutes=10))) == "stale_timestamp"
    assert reason(send(maasd, "GET", "/api/v1/keys", key_id=key_id, secret=secret,
                       now=now + timedelta(minutes=10))) == "stale_timestamp"
    # A wrong key: another key's secret, and a key id that does not exist.
    other_id, other_secret = make_signing_key(maasd)
    assert reason(send(maasd, "GET", "/api/v1/keys", key_id=key_id, secret=other_secret)) == "signature_mismatch"
    assert reason(send(maasd, "GET", "/api/v1/keys", key_id="knotakey0000", secret=secret)) == "unknown_key"
    # A replay: the very same request twice.
    headers = sign("GET", maasd.url + "/api/v1/whoami", b"", key_id, secret)
    del headers["host"]
    assert requests.get(maasd.url + "/api/v1/whoami", headers=headers, timeout=60).status_code == 200
    assert reason(requests.get(maasd.url + "/api/v1/whoami", headers=headers, timeout=60)) == "replayed_nonce"
    # The same nonce is another key's to use.
    headers = sign("GET", maasd.url + "/api/v1/whoami", b"", other_id, other_secret, nonce=headers["x-maas-nonce"])
    del headers["host"]
    assert requests.get(maasd.url + "/api/v1/whoami", headers=headers, timeout=60).status_code == 200

    def unsigned_nonce(headers, b, path):
        auth = headers["authorization"].replace(";x-maas-nonce", "")
        return dict(headers, authorization=auth), b, path

    assert reason(send(maasd, "GET", "/api/v1/keys", key_id=key_id, secret=secret,
                       tamper=unsigned_nonce)) == "missing_signed_header"
    # A key without a signing secret cannot sign.
    plain = maasd.post("/api/v1/keys", json={"name": "plain", "role": "admin"}).json()
    assert plain["signing"] is False
    assert reason(send(maasd, "GET", "/api/v1/keys", key_id=plain["id"], secret=secret)) == "unknown_key"


def test_a_signed_upload_whose_body_changed_is_refused(maasd, models_dir):
    key_id, secret = make_signing_key(maasd, role="deployer")
    assert maasd.post("/api/v1/models", json={"name": "signed-iris"}).status_code == 201
    model = (models_dir / "xgb_iris.json").read_bytes()
    path = "/api/v1/models/signed-iris/versions?framework=xgboost"

    def changed_body(headers, b, p):
        return dict(headers, **{"content-type": "application/octet-stream"}), b[:-2] + b" }", p

    r = send(maasd, "POST", path, model, key_id=key_id, secret=secret, tamper=changed_body)
    assert r.status_code == 401 and "body_hash_mismatch" in r.text, (r.status_code, r.text)
    versions = maasd.get("/api/v1/models/signed-iris/versions")
    assert versions.status_code == 200 and versions.json().get("versions") == [], versions.text
    headers = sign("POST", maasd.url + path, model, key_id, secret,
                   extra_headers={"content-type": "application/octet-stream"})
    del headers["host"]
    r = requests.post(maasd.url + path, data=model, headers=headers, timeout=120)
    assert r.status_code == 201, r.text


def test_the_signing_secret_is_shown_once_and_stored_sealed(maasd):
    key_id, secret = make_signing_key(maasd)
    listed = maasd.get(f"/api/v1/keys/{key_id}").json()
    assert listed["signing"] is True and "signing_secret" not in listed, listed
    kek = maasd.data_dir / "signing.kek"
    assert stat.S_IMODE(kek.stat().st_mode) == 0o600 and len(kek.read_bytes()) == 32
    assert secret.encode() not in (maasd.data_dir / "metadata.db").read_bytes()
    # A new secret replaces the old one.
    r = maasd.post(f"/api/v1/keys/{key_id}/signing-secret")
    assert r.status_code == 201, r.text
    renewed = r.json()["signing_secret"]
    assert renewed != secret
    assert reason(send(maasd, "GET", "/api/v1/whoami", key_id=key_id, secret=secret)) == "signature_mismatch"
    assert send(maasd, "GET", "/api/v1/whoami", key_id=key_id, secret=renewed).status_code == 200
    assert maasd.post("/api/v1/keys/knotakey0000/signing-secret").status_code == 404


def test_secrets_survive_a_restart_and_need_their_key_encryption_key(maasd_factory, tmp_path):
    server = maasd_factory(tmp_path / "d").start()
    key_id, secret = make_signing_key(server)
    assert server.stop() == 0
    server.start()
    assert send(server, "GET", "/api/v1/whoami", key_id=key_id, secret=secret).status_code == 200
    assert server.stop() == 0
    (server.data_dir / "signing.kek").unlink()
    server.proc = None
    try:
        server.start()
        raise AssertionError("maasd started without the key its signing secrets are sealed under")
    except RuntimeError as e:
        assert "signing.kek is missing" in str(e), str(e)


def test_the_documented_snippet_signs_the_worked_example():
    doc = (pathlib.Path(__file__).resolve().parents[2] / "docs" / "SECURITY.md").read_text()
    section = doc[doc.index("## Signed requests"):doc.index("## Client certificates")]
    snippet = re.search(r"```python\n(.*?)\n\nimport requests\n", section, re.S).group(1)
    expected = re.search(r"Signature=([0-9a-f]{64})`", section).group(1)
    for signer in (lambda: _exec_sign(snippet), lambda: sign):
        headers = signer()("POST", "https://maas.example.com:8443/v2/models/iris/infer?b=2&a=x%20y", b'{"inputs":[]}',
                           "kexample0001", "maassig_" + "00112233445566778899aabbccddeeff" * 2,
                           now=datetime(2026, 12, 7, 22, 30, tzinfo=timezone.utc),
                           nonce="3f1c2a9b7d4e6f80a1b2c3d4e5f60718")
        assert headers["authorization"].endswith("Signature=" + expected), headers


def _exec_sign(snippet):
    scope = {}
    exec(snippet, scope)  # noqa: S102 (the doc's own code)
    return scope["sign"]
