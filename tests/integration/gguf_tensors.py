"""Reads the tensor table and the tensor data of a GGUF file (version 2 or 3), so that tests compare two files'
tensors byte for byte while their metadata may differ."""
import struct

_SCALARS = {0: "<B", 1: "<b", 2: "<H", 3: "<h", 4: "<I", 5: "<i", 6: "<f", 7: "<?", 10: "<Q", 11: "<q", 12: "<d"}
_STRING, _ARRAY = 8, 9


class _Reader:
    def __init__(self, data):
        self.data, self.pos = data, 0

    def take(self, fmt):
        value, = struct.unpack_from(fmt, self.data, self.pos)
        self.pos += struct.calcsize(fmt)
        return value

    def string(self):
        n = self.take("<Q")
        self.pos += n
        return self.data[self.pos - n:self.pos].decode()

    def value(self, kind):
        if kind == _STRING:
            return self.string()
        if kind == _ARRAY:
            item, n = self.take("<I"), self.take("<Q")
            return [self.value(item) for _ in range(n)]
        return self.take(_SCALARS[kind])


def read_gguf(path):
    """({key: value}, [(name, dims, ggml_type, offset)], data bytes after the aligned start of the data section)."""
    r = _Reader(open(path, "rb").read())
    assert r.data[:4] == b"GGUF", f"{path} is not a GGUF file"
    r.pos = 4
    r.take("<I")
    n_tensors, n_kv = r.take("<Q"), r.take("<Q")
    metadata = {}
    for _ in range(n_kv):
        key = r.string()
        metadata[key] = r.value(r.take("<I"))
    tensors = []
    for _ in range(n_tensors):
        name = r.string()
        dims = [r.take("<Q") for _ in range(r.take("<I"))]
        tensors.append((name, dims, r.take("<I"), r.take("<Q")))
    alignment = metadata.get("general.alignment", 32)
    start = r.pos + (-r.pos) % alignment
    return metadata, tensors, r.data[start:]
