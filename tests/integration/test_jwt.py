"""JWTs in place of API keys: tokens made by PyJWT (an independent implementation) with RSA and EC keys made by the
cryptography package, accepted by a real maasd for their role and services, refused when expired, for another
audience or signed by an unknown key, and a key rotated on SIGHUP. Bad settings stop maasd at start."""
import os
import pathlib
import signal
import subprocess
import time

import jwt
import numpy as np
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from conftest import ADMIN_KEY, BIN_DIR, Maasd, error_of
from serving import infer, load, register

ISSUER, AUDIENCE = "https://idp.example", "maas"
POLL_DEADLINE_S = 30


def write_public(key, path):
    path.write_bytes(key.public_key().public_bytes(serialization.Encoding.PEM,
                                                   serialization.PublicFormat.SubjectPublicKeyInfo))


def make_token(key, alg, role, ttl=600, **claims):
    now = int(time.time())
    payload = {"iss": ISSUER, "aud": AUDIENCE, "sub": claims.pop("sub", "alice"), "iat": now, "exp": now + ttl,
               "maas_role": role, **claims}
    return jwt.encode(payload, key, algorithm=alg)


def jwt_args(*key_files):
    return ["--jwt-public-keys", ",".join(str(f) for f in key_files), "--jwt-issuer", ISSUER, "--jwt-audience", AUDIENCE]


@pytest.fixture
def keys(tmp_path):
    rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ec_key = ec.generate_private_key(ec.SECP256R1())
    write_public(rsa_key, tmp_path / "rsa1.pem")
    write_public(ec_key, tmp_path / "ec1.pem")
    return {"RS256": rsa_key, "ES256": ec_key, "dir": tmp_path}


@pytest.fixture
def server(tmp_path, keys):
    s = Maasd(tmp_path / "data", jwt_args(keys["dir"] / "rsa1.pem", keys["dir"] / "ec1.pem")).start()
    yield s
    rc = s.stop()
    assert rc == 0, f"maasd exited with {rc} on SIGTERM: {s.log()}"


def test_tokens_act_with_their_role_and_services(server, keys, models_dir):
    register(server, "iris", models_dir / "xgb_iris.json")
    load(server, "iris")
    row = {"input": np.zeros((1, 4), np.float32)}
    for alg in ("RS256", "ES256"):
        viewer = make_token(keys[alg], alg, "viewer")
        assert server.get("/api/v1/models", key=viewer).status_code == 200
        r = server.post("/api/v1/models", json={"name": "nope"}, key=viewer)
        assert r.status_code == 403 and "viewer" in error_of(r)["message"], r.text

        invoker = make_token(keys[alg], alg, "invoker", maas_services=["iris"])
        r = infer(server, "iris", row, key=invoker)
        assert r.status_code == 200, r.text
        granted_other = make_token(keys[alg], alg, "invoker", maas_services=["other"])
        assert infer(server, "iris", row, key=granted_other).status_code == 403
    # The audit log names the token's subject for a management call.
    admin = make_token(keys["RS256"], "RS256", "admin", sub="ops-bot")
    assert server.post("/api/v1/models", json={"name": "by-jwt"}, key=admin).status_code == 201
    assert "jwt:ops-bot" in server.get("/api/v1/audit").text


def test_tokens_that_must_not_pass_get_401(server, keys):
    rs = keys["RS256"]
    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    for token, needle in [
        (make_token(rs, "RS256", "viewer", ttl=-3600), "expired"),
        (make_token(rs, "RS256", "viewer", aud="someone-else"), "audience"),
        (make_token(rs, "RS256", "viewer", iss="https://evil.example"), "issuer"),
        (make_token(stranger, "RS256", "viewer"), "does not verify"),
        (jwt.encode({"iss": ISSUER, "aud": AUDIENCE, "sub": "a", "exp": int(time.time()) + 60, "maas_role": "admin"},
                    "secret", algorithm="HS256"), "RS256 and ES256 only"),
    ]:
        r = server.get("/api/v1/models", key=token)
        assert r.status_code == 401 and needle in error_of(r)["message"], (needle, r.text)
    # Keys keep working beside JWTs.
    assert server.get("/api/v1/models").status_code == 200


def test_sighup_rotates_the_keys(server, keys):
    rs = keys["RS256"]
    assert server.get("/api/v1/models", key=make_token(rs, "RS256", "viewer")).status_code == 200
    rotated = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    tmp = keys["dir"] / "rsa1.pem.new"
    write_public(rotated, tmp)
    os.replace(tmp, keys["dir"] / "rsa1.pem")
    server.proc.send_signal(signal.SIGHUP)
    fresh = make_token(rotated, "RS256", "viewer")
    deadline = time.monotonic() + POLL_DEADLINE_S
    while server.get("/api/v1/models", key=fresh).status_code != 200:
        assert time.monotonic() < deadline, "the rotated key was not picked up: " + server.log()[-2000:]
        time.sleep(0.05)
    assert server.get("/api/v1/models", key=make_token(rs, "RS256", "viewer", sub="bob")).status_code == 401
    assert "reloaded the JWT public keys" in server.log()


def test_bad_jwt_settings_stop_maasd_at_start(tmp_path, keys):
    small = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    write_public(small, tmp_path / "small.pem")
    key_file = keys["dir"] / "rsa1.pem"
    cases = [
        (["--jwt-public-keys", str(key_file), "--jwt-audience", AUDIENCE], 2, "auth.jwt_issuer"),
        (["--jwt-public-keys", str(key_file), "--jwt-issuer", ISSUER], 2, "auth.jwt_audience"),
        (jwt_args(tmp_path / "absent.pem"), 1, "cannot read"),
        (jwt_args(tmp_path / "small.pem"), 1, "at least 2048"),
    ]
    for args, code, needle in cases:
        p = subprocess.run([str(BIN_DIR / "maasd"), "--listen", "127.0.0.1:0", "--data-dir", str(tmp_path / "d"),
                            *args], capture_output=True, text=True, timeout=60,
                           env=dict(os.environ, MAAS_ADMIN_KEY=ADMIN_KEY))
        assert p.returncode == code, (args, p.returncode, p.stderr)
        assert needle in p.stderr + p.stdout, (args, p.stderr)
