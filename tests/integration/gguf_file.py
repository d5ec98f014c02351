"""Writes a valid GGUF (version 3) of a chosen size: llama metadata and one F32 tensor whose data fills the rest.
The data is a hole in a sparse file, so a multi-GB artifact costs no time to make."""
import struct

ALIGNMENT = 32
GGUF_TYPE_UINT32 = 4
GGUF_TYPE_STRING = 8
GGML_TYPE_F32 = 0


def _string(s):
    b = s.encode()
    return struct.pack("<Q", len(b)) + b


def write_gguf(path, total_bytes):
    kvs = [("general.architecture", GGUF_TYPE_STRING, _string("llama")),
           ("general.name", GGUF_TYPE_STRING, _string("big-test")),
           ("general.alignment", GGUF_TYPE_UINT32, struct.pack("<I", ALIGNMENT))]
    header_guess = 512
    elements = max(1, (total_bytes - header_guess) // 4)
    head = b"GGUF" + struct.pack("<IQQ", 3, 1, len(kvs))
    for key, kind, value in kvs:
        head += _string(key) + struct.pack("<I", kind) + value
    head += _string("weights") + struct.pack("<I", 1) + struct.pack("<Q", elements)
    head += struct.pack("<IQ", GGML_TYPE_F32, 0)
    head += b"\x00" * ((-len(head)) % ALIGNMENT)
    with open(path, "wb") as f:
        f.write(head)
        f.truncate(len(head) + elements * 4)
    return path
