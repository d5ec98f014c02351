"""train.torch over a real maasd (docs/TRAINING.md): a network declared as JSON is trained in LibTorch from a
dataset version, exported as TorchScript and registered with its lineage. An MLP on breast_cancer and an LSTM on a
made sequence task reach the accuracy / RMSE that the same architecture, initialization scheme, optimizer, epochs
and batch size reach in python3-torch (within the spread of python's seeds); the exported module's outputs equal
the trained network's and a maasd-served prediction equals the module's; the same seed and threads give the same
weights; a job whose process is killed mid-training resumes from its checkpoint and registers one version equal to
an uninterrupted run's; bad specs are 400s that name the field."""
import io
import os
import signal

import numpy as np
import pandas as pd
import pytest
import torch
from sklearn import datasets

from conftest import error_of
from jobs_client import job, logs, submit, wait_for, wait_state
from serving import infer, load
from test_train_xgboost import registered, upload
from v2_client import decode_response


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    from conftest import Maasd
    d = tmp_path_factory.mktemp("torch")
    s = Maasd(d / "data", extra_args=["--jobs-slots", "3"]).start()
    yield s
    assert s.stop() == 0


def train(server, body, timeout_s=400):
    j = submit(server, "train.torch", body)
    done = wait_state(server, j["id"], {"succeeded", "failed"}, timeout_s=timeout_s)
    assert done["state"] == "succeeded", (done.get("error"), logs(server, j["id"])[-20:])
    return done


def module_of(server, model, version):
    r = server.get(f"/api/v1/models/{model}/versions/{version}/artifact")
    assert r.status_code == 200, r.text
    module = torch.jit.load(io.BytesIO(r.content))
    module.eval()
    return module, r.content


def breast_cancer():
    """Standardized breast_cancer features f0..f29 and label y, split 80/20 with a fixed seed."""
    bunch = datasets.load_breast_cancer()
    X = bunch.data.astype(np.float64)
    X = (X - X.mean(axis=0)) / X.std(axis=0)
    frame = pd.DataFrame(X, columns=[f"f{i}" for i in range(X.shape[1])])
    frame["y"] = bunch.target
    validation = np.random.RandomState(0).rand(len(frame)) < 0.2
    return frame[~validation].reset_index(drop=True), frame[validation].reset_index(drop=True)


def sequences(n, steps=12, seed=0):
    """A made sequence task: `steps` noisy values of a sine of random phase and frequency; the label is the
    next (clean) value."""
    rng = np.random.RandomState(seed)
    phase, frequency = rng.uniform(0, 2 * np.pi, size=n), rng.uniform(0.3, 0.8, size=n)
    clean = np.sin(phase[:, None] + np.arange(steps + 1)[None, :] * frequency[:, None])
    frame = pd.DataFrame(clean[:, :steps] + rng.normal(scale=0.1, size=(n, steps)),
                         columns=[f"s{i}" for i in range(steps)])
    frame["y"] = clean[:, steps]
    return frame


MLP = {"layers": [{"type": "linear", "out": 32}, {"type": "relu"}, {"type": "dropout", "p": 0.1},
                  {"type": "linear", "out": 16}, {"type": "relu"}, {"type": "linear", "out": 1}]}
LSTM = {"input": {"shape": [12, 1]},
        "layers": [{"type": "lstm", "hidden": 16}, {"type": "linear", "out": 1}]}


def python_mlp():
    return torch.nn.Sequential(torch.nn.Linear(30, 32), torch.nn.ReLU(), torch.nn.Dropout(0.1),
                               torch.nn.Linear(32, 16), torch.nn.ReLU(), torch.nn.Linear(16, 1))


class PythonLstm(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = torch.nn.LSTM(1, 16, batch_first=True)
        self.out = torch.nn.Linear(16, 1)

    def forward(self, x):
        return self.out(self.lstm(x.reshape(-1, 12, 1))[0][:, -1])


def python_train(net, x, y, loss_fn, epochs, batch_size, lr, seed):
    """The loop maas runs: Adam, shuffled batches, one thread; the seed sets the weights and the order."""
    torch.manual_seed(seed)
    torch.set_num_threads(1)
    net = net()
    optimizer = torch.optim.Adam(net.parameters(), lr=lr)
    generator = torch.Generator().manual_seed(seed)
    x, y = torch.tensor(x, dtype=torch.float32), torch.tensor(y, dtype=torch.float32).reshape(-1, 1)
    for _ in range(epochs):
        net.train()
        order = torch.randperm(len(x), generator=generator)
        for start in range(0, len(x), batch_size):
            index = order[start:start + batch_size]
            optimizer.zero_grad()
            loss_fn(net(x[index]), y[index]).backward()
            optimizer.step()
    net.eval()
    return net


def body_of(model, dataset, version, validation, network, loss, epochs, batch_size, lr, seed, **more):
    return {"model": model, "dataset": dataset, "version": version, "label": "y", "network": network, "loss": loss,
            "validation": validation, "optimizer": {"type": "adam", "lr": lr}, "epochs": epochs,
            "batch_size": batch_size, "seed": seed, **more}


SEEDS = [0, 1, 2, 3, 4]


def test_an_mlp_reaches_python_torch_accuracy_and_serves_what_it_exports(server):
    train_frame, validation_frame = breast_cancer()
    tv, vv = upload(server, "bc-train", train_frame), upload(server, "bc-validation", validation_frame)
    features = [c for c in train_frame.columns if c != "y"]
    xv = validation_frame[features].to_numpy(np.float32)
    yv = validation_frame["y"].to_numpy()
    python = []
    for seed in SEEDS:
        net = python_train(python_mlp, train_frame[features].to_numpy(), train_frame["y"].to_numpy(),
                           torch.nn.BCEWithLogitsLoss(), 20, 32, 1e-3, seed)
        with torch.no_grad():
            python.append(float(((torch.sigmoid(net(torch.from_numpy(xv))).numpy()[:, 0] > 0.5) == yv).mean()))
    done = train(server, body_of("bc-mlp", "bc-train", tv, {"dataset": "bc-validation", "version": vv}, MLP,
                                 "bce_with_logits", 20, 32, 1e-3, 7))
    result = done["result"]
    accuracy = result["metrics"]["accuracy"]
    # Within the spread of python's seeds, widened by 2 validation rows (of ~110) either way.
    slack = 2 / len(yv)
    assert min(python) - slack <= accuracy <= max(python) + slack, (accuracy, python)
    assert result["export_max_abs_diff"] == 0
    assert result["epochs"] == 20 and result["threads"] == 1
    assert "validation_loss" in done["progress"]["metrics"] and "train_loss" in done["progress"]["metrics"]
    version = registered(server, "bc-mlp", done["id"])
    module, _ = module_of(server, "bc-mlp", version["version"])
    with torch.no_grad():
        probabilities = module(torch.from_numpy(xv)).numpy()
    assert probabilities.shape == (len(yv), 1) and ((probabilities >= 0) & (probabilities <= 1)).all()
    assert abs(((probabilities[:, 0] > 0.5) == yv).mean() - accuracy) < 1e-9
    lineage = version["lineage"]
    assert lineage["dataset"] == f"bc-train@{tv}" and lineage["validation_dataset"] == f"bc-validation@{vv}"
    assert lineage["seed"] == 7 and lineage["threads"] == 1 and lineage["job_id"] == done["id"]
    assert lineage["parameters"]["optimizer"]["type"] == "adam" and lineage["network"]["layers"][0]["out"] == 32
    assert lineage["code_version"].startswith("maas ") and version["metrics"] == result["metrics"]
    assert version["format"] == "torchscript" or version.get("framework", "torchscript") == "torchscript"
    # Served by the torchscript backend: the same probabilities.
    load(server, "bc-mlp")
    meta = server.get("/v2/models/bc-mlp").json()
    r = infer(server, "bc-mlp", {meta["inputs"][0]["name"]: xv[:16]})
    assert r.status_code == 200, r.text
    served = list(decode_response(r)[1].values())[0].reshape(16, 1)
    np.testing.assert_allclose(served, probabilities[:16], rtol=0, atol=1e-6)
    assert server.post("/v2/repository/models/bc-mlp/unload").status_code == 200


def test_an_lstm_reaches_python_torch_rmse(server):
    train_frame, validation_frame = sequences(1200, seed=1), sequences(300, seed=2)
    tv, vv = upload(server, "seq-train", train_frame), upload(server, "seq-validation", validation_frame)
    features = [c for c in train_frame.columns if c != "y"]
    xv, yv = validation_frame[features].to_numpy(np.float32), validation_frame["y"].to_numpy()
    python = []
    for seed in SEEDS:
        net = python_train(PythonLstm, train_frame[features].to_numpy(), train_frame["y"].to_numpy(),
                           torch.nn.MSELoss(), 15, 32, 1e-2, seed)
        with torch.no_grad():
            python.append(float(np.sqrt(((net(torch.from_numpy(xv)).numpy()[:, 0] - yv) ** 2).mean())))
    done = train(server, body_of("seq-lstm", "seq-train", tv, {"dataset": "seq-validation", "version": vv}, LSTM,
                                 "mse", 15, 32, 1e-2, 3))
    rmse = done["result"]["metrics"]["rmse"]
    # Within python's seed spread, widened by a quarter of it (at least 0.02) either way.
    print("LSTM", rmse, python)
    slack = max(0.02, (max(python) - min(python)) / 4)
    assert min(python) - slack <= rmse <= max(python) + slack, (rmse, python)
    assert done["result"]["export_max_abs_diff"] == 0


def test_the_same_seed_and_threads_give_the_same_weights(server):
    train_frame, validation_frame = breast_cancer()
    v = upload(server, "det", train_frame)
    body = body_of("det", "det", v, None, MLP, "bce_with_logits", 3, 16, 1e-3, 5)
    del body["validation"]
    first, second = (registered(server, "det", train(server, body)["id"]) for _ in range(2))
    assert first["version"] != second["version"]
    a, _ = module_of(server, "det", first["version"])
    b, _ = module_of(server, "det", second["version"])
    for (name, x), (_, y) in zip(a.named_parameters(), b.named_parameters()):
        assert torch.equal(x, y), name
    other = registered(server, "det", train(server, dict(body, seed=6))["id"])
    c, _ = module_of(server, "det", other["version"])
    assert not all(torch.equal(x, y) for x, y in zip(a.parameters(), c.parameters()))


def test_a_killed_job_process_resumes_from_its_checkpoint_and_registers_one_version(server):
    rng = np.random.RandomState(4)
    frame = pd.DataFrame(rng.normal(size=(20000, 20)), columns=[f"f{i}" for i in range(20)])
    frame["y"] = frame["f0"] * 2 + np.sin(frame["f1"] * 3) + rng.normal(scale=0.3, size=len(frame))
    v = upload(server, "long", frame)
    network = {"layers": [{"type": "linear", "out": 64}, {"type": "relu"}, {"type": "dropout", "p": 0.2},
                          {"type": "linear", "out": 64}, {"type": "relu"}, {"type": "linear", "out": 1}]}
    body = body_of("long", "long", v, None, network, "mse", 8, 32, 1e-3, 2, checkpoint_every=50)
    del body["validation"]
    j = submit(server, "train.torch", body)
    running = wait_for(lambda: (lambda x: x if x["state"] == "running" and x.get("checkpoint")
                                and x.get("process") else None)(job(server, j["id"])), 240, "a checkpoint")
    os.kill(running["process"]["pid"], signal.SIGKILL)
    done = wait_state(server, j["id"], {"succeeded", "failed"}, timeout_s=600)
    assert done["state"] == "succeeded", done.get("error")
    assert done["attempts"] == 2
    # Log lines reach the log center on their own path: wait for the line rather than read once.
    wait_for(lambda: any("resuming at epoch" in line["line"] for line in logs(server, j["id"])), 30, "the resume line")
    resumed = registered(server, "long", j["id"])
    assert len(server.get("/api/v1/models/long/versions").json()["versions"]) == 1
    # The checkpoint holds the generator and the position: the resumed run equals one that never stopped.
    clean = registered(server, "long", train(server, body, timeout_s=600)["id"])
    a, _ = module_of(server, "long", resumed["version"])
    b, _ = module_of(server, "long", clean["version"])
    for (name, x), (_, y) in zip(a.named_parameters(), b.named_parameters()):
        assert torch.equal(x, y), name


@pytest.fixture(scope="module")
def small(server):
    frame = pd.DataFrame({"x": [0.1, 0.5, 0.9, 0.3] * 10, "z": [1.0, 2.0, 3.0, 4.0] * 10,
                          "color": ["red", "blue", "red", "green"] * 10, "y": [0, 1, 1, 0] * 10})
    return upload(server, "small", frame)


@pytest.mark.parametrize("change, words", [
    ({"label": "nope"}, ["label column 'nope'", "columns:"]),
    ({"features": ["x", "color"]}, ["feature column 'color'", "numeric"]),
    ({"network": {"layers": [{"type": "linear"}]}}, ["params.network.layers[0].out", "required"]),
    ({"network": {"layers": [{"type": "linear", "out": 0}]}}, ["params.network.layers[0].out"]),
    ({"network": {"layers": [{"type": "convolution"}]}}, ["params.network.layers[0].type", "conv1d"]),
    ({"network": {"layers": [{"type": "linear", "out": 1, "units": 3}]}}, ["params.network.layers[0].units"]),
    ({"network": {"layers": [{"type": "lstm", "hidden": 4}]}}, ["params.network.layers[0]", "[steps, channels]"]),
    ({"network": {"layers": [{"type": "residual", "layers": [{"type": "linear", "out": 3}]},
                             {"type": "linear", "out": 1}]}}, ["params.network.layers[0]", "keep the shape"]),
    ({"network": {"input": {"shape": [3, 3]}, "layers": [{"type": "flatten"}]}}, ["input.shape", "2 feature"]),
    ({"network": {"layers": [{"type": "linear", "out": 3}]}}, ["bce_with_logits needs one output"]),
    ({"loss": "hinge"}, ["params.loss.type 'hinge'", "cross_entropy"]),
    ({"optimizer": {"type": "adam", "lr": "fast"}}, ["params.optimizer.lr", "number"]),
    ({"optimizer": {"type": "adam", "momentum": 0.9}}, ["momentum", "sgd"]),
    ({"schedule": {"type": "exponential"}}, ["params.schedule.type", "cosine"]),
    ({"early_stopping": {"patience": 3}}, ["validation"]),
    ({"epochs": 0}, ["params.epochs"]),
    ({"batch": 3}, ["params.batch is not a field"]),
    ({"model": "Bad Name!"}, ["model"]),
])
def test_bad_specs_are_400s_naming_the_field(server, small, change, words):
    body = {"model": "small", "dataset": "small", "version": small, "label": "y", "features": ["x", "z"],
            "network": {"layers": [{"type": "linear", "out": 1}]}, "loss": "bce_with_logits"}
    body.update(change)
    r = server.post("/api/v1/jobs", json={"kind": "train.torch", "params": body})
    assert 400 <= r.status_code < 500, r.text
    message = error_of(r)["message"]
    assert all(w in message for w in words), message


def test_labels_that_do_not_fit_the_loss_fail_the_job_at_once(server, small):
    body = {"model": "small", "dataset": "small", "version": small, "label": "z", "features": ["x"],
            "network": {"layers": [{"type": "linear", "out": 1}]}, "loss": "bce_with_logits", "epochs": 1}
    j = submit(server, "train.torch", body)
    done = wait_state(server, j["id"], {"succeeded", "failed"}, timeout_s=120)
    assert done["state"] == "failed" and done["attempts"] == 1
    assert "label column 'z'" in done["error"] and "0 and 1" in done["error"], done["error"]


def test_maas_train_torch_reads_a_yaml_spec_and_follows_the_epochs(server, tmp_path):
    from cli_driver import cli_for
    train_frame, _ = breast_cancer()
    train_frame["split"] = np.where(np.random.RandomState(3).rand(len(train_frame)) < 0.2, "validation", "train")
    upload(server, "bc-split", train_frame)
    spec = tmp_path / "mlp.yaml"
    spec.write_text("""
network:
  layers:
    - {type: linear, out: 16}
    - {type: batch_norm}
    - {type: relu}
    - {type: linear, out: 2}
loss: cross_entropy
optimizer: {type: adamw, lr: 0.01, weight_decay: 0.01}
schedule: {type: cosine, warmup_steps: 5}
clip_grad_norm: 1.0
early_stopping: {patience: 3, metric: accuracy}
epochs: 8
""")
    cli = cli_for(server)
    trained = cli.run("train", "torch", "--spec", spec, "--model", "bc-cli", "--dataset", "bc-split",
                      "--label", "y", "--split-column", "split", "--seed", "4", "--follow")
    assert trained.returncode == 0, trained.stderr
    assert "STATE:     succeeded" in trained.stdout
    assert "epoch " in trained.stdout and "validation_accuracy=" in trained.stdout, trained.stdout
    versions = server.get("/api/v1/models/bc-cli/versions").json()["versions"]
    assert len(versions) == 1 and versions[0]["metrics"]["accuracy"] > 0.9
    assert versions[0]["lineage"]["parameters"]["optimizer"]["type"] == "adamw"
    bad = cli.run("train", "torch", "--spec", spec, "--model", "bc-cli", "--dataset", "bc-split", "--label", "nope",
                  "--split-column", "split")
    assert bad.returncode != 0 and "label column 'nope'" in bad.stderr, bad.stderr
