"""Registering, loading and calling models in integration tests (the admin key, unless `key=` says otherwise)."""
from v2_client import binary_request, json_request


def register(maasd, name, path):
    assert maasd.post("/api/v1/models", json={"name": name}).status_code == 201
    r = maasd.upload(name, path)
    assert r.status_code == 201, r.text
    return r.json()["version"]


def load(maasd, name, **config):
    body = {"parameters": {"config": config}} if config else {}
    r = maasd.post(f"/v2/repository/models/{name}/load", json=body)
    assert r.status_code == 200, r.text
    return r.json()


def infer(maasd, name, inputs, binary=False, outputs=None, parameters=None, version=None, **kw):
    body, headers = binary_request(inputs) if binary else json_request(inputs, outputs, parameters)
    headers = {**headers, **kw.pop("headers", {})}
    path = f"/v2/models/{name}" + (f"/versions/{version}" if version else "") + "/infer"
    return maasd.post(path, data=body, headers=headers, **kw)
