"""Receivers that tests run for maasd's notifications: a webhook endpoint and just enough of an SMTP server."""
import json
import socketserver
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Webhooks:
    """An HTTP receiver that keeps every JSON body POSTed to it. The first `fail_first` POSTs are answered 500
    (and not kept), to exercise retries; `attempts` counts every POST."""

    def __init__(self, fail_first=0):
        received = self.received = []
        state = self.state = {"attempts": 0, "fail_first": fail_first}

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                state["attempts"] += 1
                if state["attempts"] <= state["fail_first"]:
                    self.send_response(500)
                    self.end_headers()
                    return
                received.append(json.loads(body))
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args):
                pass
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"

    @property
    def attempts(self):
        return self.state["attempts"]


class Smtp:
    """Just enough of an SMTP server to take messages."""

    def __init__(self):
        messages = self.messages = []

        class Handler(socketserver.StreamRequestHandler):
            def handle(self):
                self.wfile.write(b"220 test ready\r\n")
                data = None
                for raw in self.rfile:
                    line = raw.decode()
                    if data is not None:
                        if line == ".\r\n":
                            messages.append("".join(data))
                            data = None
                            self.wfile.write(b"250 queued\r\n")
                        else:
                            data.append(line)
                    elif line.upper().startswith("DATA"):
                        data = []
                        self.wfile.write(b"354 go ahead\r\n")
                    elif line.upper().startswith("QUIT"):
                        self.wfile.write(b"221 bye\r\n")
                        return
                    else:
                        self.wfile.write(b"250 ok\r\n")
        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.smarthost = f"127.0.0.1:{self.server.server_address[1]}"


def fail_requests(server, until, deadline_s=20):
    """Sends failing inference requests (404: the model is not loaded) until `until()` is truthy. The model is
    registered, so its requests are counted under its name (unknown names share model="__unknown__")."""
    assert server.post("/api/v1/models", json={"name": "ghost"}).status_code in (201, 409)
    deadline = time.monotonic() + deadline_s
    while not until():
        assert time.monotonic() < deadline, "timed out sending errors"
        assert server.post("/v2/models/ghost/infer", json={"inputs": []}).status_code == 404
        time.sleep(0.05)
