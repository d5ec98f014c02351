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


def load_work_model(maasd, tmp_path, name="work", **config):
    """A TorchScript model whose request takes x[0, 0] rounds of a 128x128 elementwise op: the test sets each
    request's service time. Registered as `name` and loaded with `config`."""
    import torch

    class Work(torch.nn.Module):
        def forward(self, x: torch.Tensor) -> torch.Tensor:
            y = torch.ones(128, 128)
            for _ in range(int(x[0, 0])):
                y = torch.sin(y)
            return x + y.sum() * 0

    path = tmp_path / f"{name}.pt"
    torch.jit.script(Work()).save(str(path))
    register(maasd, name, path)
    load(maasd, name, **config)
