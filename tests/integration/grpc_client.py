"""A gRPC Open Inference Protocol client for tests: Python stubs generated at test time from maas's proto with
Debian's grpc_tools (python3-grpc-tools) into a temporary directory, and helpers to call maasd's gRPC port."""
import importlib
import pathlib
import sys

import numpy as np

from v2_client import NP_TO_V2, V2_TO_NP

PROTO = pathlib.Path(__file__).resolve().parents[2] / "src" / "grpc" / "proto" / "grpc_predict_v2.proto"


def generate_stubs(out_dir):
    """Returns the (messages, services) modules compiled from the proto into out_dir."""
    from grpc_tools import protoc
    out_dir = pathlib.Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    rc = protoc.main(["grpc_tools.protoc", f"-I{PROTO.parent}", f"--python_out={out_dir}",
                      f"--grpc_python_out={out_dir}", str(PROTO)])
    assert rc == 0, "grpc_tools.protoc failed"
    sys.path.insert(0, str(out_dir))
    try:
        return importlib.import_module("grpc_predict_v2_pb2"), importlib.import_module("grpc_predict_v2_pb2_grpc")
    finally:
        sys.path.remove(str(out_dir))


def infer_request(pb, model, inputs, version="", outputs=None, parameters=None, raw=True):
    """A ModelInferRequest for {name: numpy array}: raw_input_contents, or typed contents when raw=False."""
    req = pb.ModelInferRequest(model_name=model, model_version=version)
    for name, a in inputs.items():
        t = req.inputs.add(name=name, datatype=NP_TO_V2[a.dtype], shape=list(a.shape))
        if raw:
            req.raw_input_contents.append(np.ascontiguousarray(a).tobytes())
        elif a.dtype == np.float32:
            t.contents.fp32_contents.extend(a.flatten().tolist())
        elif a.dtype == np.int64:
            t.contents.int64_contents.extend(a.flatten().tolist())
        else:
            raise ValueError(f"no typed contents here for {a.dtype}")
    for name in outputs or []:
        req.outputs.add(name=name)
    for k, v in (parameters or {}).items():
        p = req.parameters[k]
        if isinstance(v, bool):
            p.bool_param = v
        elif isinstance(v, int):
            p.int64_param = v
        else:
            p.string_param = str(v)
    return req


def outputs_of(response):
    """{output name: numpy array} from a ModelInferResponse's raw_output_contents."""
    return {o.name: np.frombuffer(raw, dtype=V2_TO_NP[o.datatype]).reshape(list(o.shape))
            for o, raw in zip(response.outputs, response.raw_output_contents)}
