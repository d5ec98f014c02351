"""A small Open Inference Protocol client for tests: JSON and binary-extension requests, decoded responses."""
import json
import struct

import numpy as np

NP_TO_V2 = {np.dtype("float32"): "FP32", np.dtype("float64"): "FP64", np.dtype("int64"): "INT64",
            np.dtype("int32"): "INT32", np.dtype("int16"): "INT16", np.dtype("int8"): "INT8",
            np.dtype("uint8"): "UINT8", np.dtype("uint16"): "UINT16", np.dtype("uint32"): "UINT32",
            np.dtype("uint64"): "UINT64", np.dtype("bool"): "BOOL", np.dtype("float16"): "FP16"}
V2_TO_NP = {v: k for k, v in NP_TO_V2.items()}


def json_request(inputs, outputs=None, parameters=None):
    body = {"inputs": [{"name": n, "shape": list(a.shape), "datatype": NP_TO_V2[a.dtype],
                        "data": a.flatten().tolist()} for n, a in inputs.items()]}
    if outputs:
        body["outputs"] = [{"name": o} for o in outputs]
    if parameters:
        body["parameters"] = parameters
    return json.dumps(body).encode(), {"Content-Type": "application/json"}


def binary_request(inputs, binary_outputs=True):
    header = {"inputs": [{"name": n, "shape": list(a.shape), "datatype": NP_TO_V2[a.dtype],
                          "parameters": {"binary_data_size": a.nbytes}} for n, a in inputs.items()],
              "parameters": {"binary_data_output": binary_outputs}}
    head = json.dumps(header).encode()
    body = head + b"".join(np.ascontiguousarray(a).tobytes() for a in inputs.values())
    return body, {"Content-Type": "application/octet-stream", "Inference-Header-Content-Length": str(len(head))}


def decode_response(response):
    """Returns {output name: numpy array} from a JSON or binary-extension response."""
    length = response.headers.get("Inference-Header-Content-Length")
    raw = response.content
    if length is None:
        body = json.loads(raw)
        binary = b""
    else:
        body = json.loads(raw[: int(length)])
        binary = raw[int(length):]
    out, offset = {}, 0
    for o in body["outputs"]:
        dtype = V2_TO_NP.get(o["datatype"])
        size = o.get("parameters", {}).get("binary_data_size")
        if size is not None:
            out[o["name"]] = np.frombuffer(binary[offset: offset + size], dtype=dtype).reshape(o["shape"])
            offset += size
        else:
            out[o["name"]] = np.array(o["data"], dtype=dtype).reshape(o["shape"])
    return body, out
