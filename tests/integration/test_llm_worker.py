"""maas-worker with the gguf backend plugin on its own, driven over its channel (fd 3) as maasd drives it: generations of every kind at once,
a cancellation, embeddings and a bad request, then the channel closes and the worker must exit 0. maasd kills its
workers, so this is where the sanitizer build checks the worker's own shutdown (LeakSanitizer fails the exit)."""
import json
import os
import socket
import struct
import subprocess

from conftest import BIN_DIR
from llm_server import gguf_plugin_path, tiny_model_path

MAGIC = 0x5341414D
GENERATE, CANCEL, EMBED = 10, 11, 12
READY, DONE, EMBEDDINGS, STREAM_ERROR = 1, 22, 23, 25


class Channel:
    def __init__(self, sock):
        self.sock = sock

    def send(self, kind, request_id, header):
        body = json.dumps(header).encode()
        self.sock.sendall(struct.pack("<IIQQQ", MAGIC, kind, request_id, len(body), 0) + body)

    def read_exactly(self, n):
        data = b""
        while len(data) < n:
            chunk = self.sock.recv(n - len(data))
            assert chunk, "the worker closed its channel"
            data += chunk
        return data

    def receive(self):
        magic, kind, request_id, header_bytes, payload_bytes = struct.unpack("<IIQQQ", self.read_exactly(32))
        assert magic == MAGIC
        body = self.read_exactly(header_bytes + payload_bytes)
        return kind, request_id, json.loads(body[:header_bytes])


def test_worker_serves_every_request_kind_and_exits_cleanly_when_the_channel_closes(tmp_path):
    ours, theirs = socket.socketpair()
    worker = subprocess.Popen(
        [str(BIN_DIR / "maas-worker"), "--backend", str(gguf_plugin_path()), "--framework", "gguf",
         "--artifact", str(tiny_model_path()), "--threads", "2", "--max-sequences", "4", "--context", "256"],
        pass_fds=(3, theirs.fileno()), preexec_fn=lambda: os.dup2(theirs.fileno(), 3),
        stderr=open(tmp_path / "worker.log", "w"))
    theirs.close()
    channel = Channel(ours)
    try:
        assert channel.receive()[0] == READY
        for i in range(6):  # more than the 4 slots: two wait for a slot
            channel.send(GENERATE, i + 1, {
                "prompt": f"hello {i}", "max_tokens": 200 if i == 2 else 12, "stop": ["x"],
                "sampling": {"temperature": 0.8 if i % 2 else 0, "seed": i},
                "grammar": 'root ::= ("yes" | "no")' if i == 4 else ""})
        channel.send(CANCEL, 3, {})
        channel.send(EMBED, 7, {"inputs": ["embed me", "and me"]})
        channel.send(GENERATE, 8, {"prompt": "word " * 400, "max_tokens": 2})  # longer than the context
        ends = {}
        while len(ends) < 7:
            kind, request_id, header = channel.receive()
            if kind in (DONE, EMBEDDINGS, STREAM_ERROR):
                ends[request_id] = (kind, header)
        assert set(ends) == {1, 2, 4, 5, 6, 7, 8}  # 3 was cancelled: it ends without a message
        assert ends[7][0] == EMBEDDINGS and len(ends[7][1]["data"]) == 2
        assert ends[8][0] == STREAM_ERROR and ends[8][1]["code"] == "INVALID_ARGUMENT"
        assert all(ends[i][0] == DONE for i in (1, 2, 4, 5, 6))
    finally:
        ours.close()
    assert worker.wait(timeout=120) == 0, (tmp_path / "worker.log").read_text()[-4000:]
