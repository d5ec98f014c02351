"""maasd's HTTP layer under hostile clients (issue 10, findings 5, 6 and 10): floods of idle sockets, headers
trickled in, many connections from one address, request smuggling and the HTTP/1.1 rules of RFC 9112, and the
budget for buffered request bodies. Raw sockets throughout: a client library would not send these bytes."""
import gzip
import json
import os
import select
import socket
import threading
import time

import pytest

from conftest import Maasd
from peers import poll

SLOW = 3 if os.environ.get("MAAS_SANITIZED") else 1


class Conn:
    """A raw client connection that reads whole HTTP/1.1 responses (Content-Length, chunked or close-delimited)."""

    def __init__(self, maasd, source="127.0.0.1", timeout=30):
        self.sock = socket.create_connection(maasd.host_port, timeout=timeout, source_address=(source, 0))
        self.data = b""
        self.eof = False

    def send(self, data):
        self.sock.sendall(data)

    def _fill(self):
        try:
            chunk = self.sock.recv(65536)
        except (ConnectionResetError, BrokenPipeError):
            chunk = b""
        if not chunk:
            self.eof = True
        self.data += chunk
        return bool(chunk)

    def _until(self, marker):
        while marker not in self.data:
            if not self._fill():
                return None
        head, self.data = self.data.split(marker, 1)
        return head

    def _exactly(self, n):
        while len(self.data) < n:
            if not self._fill():
                return None
        out, self.data = self.data[:n], self.data[n:]
        return out

    def response(self, head_request=False):
        """(status, {lowercased name: value}, body), or None when the server closed before a whole response."""
        head = self._until(b"\r\n\r\n")
        if head is None:
            return None
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ")[1])
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        if head_request or status in (204, 304) or status < 200:
            return status, headers, b""
        if headers.get("transfer-encoding", "").lower() == "chunked":
            body = b""
            while True:
                size_line = self._until(b"\r\n")
                if size_line is None:
                    return None
                size = int(size_line.split(b";")[0], 16)
                chunk = self._exactly(size + 2)
                if chunk is None:
                    return None
                if size == 0:
                    return status, headers, body
                body += chunk[:-2]
        if "content-length" in headers:
            body = self._exactly(int(headers["content-length"]))
            return None if body is None else (status, headers, body)
        while self._fill():
            pass
        body, self.data = self.data, b""
        return status, headers, body

    def responses_until_closed(self):
        """Every whole response until the server closes the connection."""
        out = []
        while True:
            r = self.response()
            if r is None:
                return out
            out.append(r)

    def closed_by_server(self, timeout):
        """True once the server has closed (EOF or reset) within `timeout` seconds; bytes that arrive are kept."""
        self.sock.settimeout(timeout)
        try:
            while self._fill():
                pass
            return True
        except socket.timeout:
            return False

    def close(self):
        self.sock.close()


def request(method, target, key=None, headers=(), body=b"", host=b"Host: maas\r\n"):
    lines = [f"{method} {target} HTTP/1.1\r\n".encode(), host]
    if key:
        lines.append(f"Authorization: Bearer {key}\r\n".encode())
    lines += [h.encode() + b"\r\n" for h in headers]
    return b"".join(lines) + b"\r\n" + body


def metric_value(maasd, name, **labels):
    """A series of maasd's /metrics, read over a fresh raw connection from 127.0.0.3 (so that a test's own
    per-address state on 127.0.0.1 does not interfere)."""
    conn = Conn(maasd, source="127.0.0.3")
    conn.send(request("GET", "/metrics", maasd.admin_key))
    status, _, body = conn.response()
    conn.close()
    assert status == 200
    want = ",".join(f'{k}="{v}"' for k, v in labels.items())
    series = f"{name}{{{want}}}" if want else name
    for line in body.decode().splitlines():
        if line.startswith(series + " "):
            return float(line.split(" ")[1])
    return None


# --- Finding 5: connection floods -------------------------------------------------------------------------------

def test_a_flood_of_idle_sockets_at_the_connection_limit_locks_out_neither_health_checks_nor_keys(maasd_factory):
    limit = 64
    # A header timeout far longer than the test: what lets the requests through is closing idle sockets, not
    # their timing out.
    maasd = maasd_factory(extra_args=["--max-connections", str(limit), "--header-timeout-ms", "120000"]).start()
    flood = [Conn(maasd) for _ in range(limit + 1)]
    try:
        for target, key in [("/api/v1/health", None), ("/v2/health/ready", None), ("/v2/health/live", None),
                            ("/api/v1/models", maasd.admin_key)]:
            conn = Conn(maasd)
            flood.append(conn)  # kept open: each new client needs room again
            conn.send(request("GET", target, key))
            status, _, body = conn.response()
            assert status == 200, (target, body)
        # The oldest idle sockets made room: the first one of the flood was closed by the server.
        assert flood[0].closed_by_server(10 * SLOW)
        assert flood[0].data == b""  # closed without an answer: it never asked anything
        # One for the flood's last socket, one for each request (the metrics scrape's included).
        assert metric_value(maasd, "maas_http_connections_closed_total", reason="idle_evicted") >= 6
        # A socket of the flood that is still open is served normally when it finally asks.
        survivor = flood[limit]
        survivor.send(request("GET", "/api/v1/health"))
        assert survivor.response()[0] == 200
    finally:
        for conn in flood:
            conn.close()
    assert maasd.stop() == 0


def test_the_first_request_s_headers_must_arrive_within_the_header_timeout(maasd_factory):
    maasd = maasd_factory(extra_args=["--header-timeout-ms", "1000", "--idle-timeout-ms", "60000"]).start()
    # A socket that sends nothing is closed after the header timeout, not the 60 s idle timeout.
    silent = Conn(maasd)
    started = time.monotonic()
    assert silent.closed_by_server(15 * SLOW)
    assert time.monotonic() - started < 15 * SLOW
    assert silent.data == b""
    # Headers trickled in, one line every 200 ms for 4 s: closed at the header timeout, never answered.
    trickle = Conn(maasd)
    trickle.send(b"GET /api/v1/health HTTP/1.1\r\nHost: maas\r\n")
    try:
        for i in range(20):
            trickle.send(f"X-Slow-{i}: a\r\n".encode())
            time.sleep(0.2)
        trickle.send(b"\r\n")
    except (BrokenPipeError, ConnectionResetError):
        pass
    assert trickle.closed_by_server(15 * SLOW)
    assert b"200 OK" not in trickle.data and trickle.data == b""
    assert metric_value(maasd, "maas_http_connections_closed_total", reason="header_timeout") >= 2
    silent.close()
    trickle.close()


def test_a_kept_alive_connection_waits_idle_then_gives_each_request_the_header_timeout(maasd_factory):
    maasd = maasd_factory(extra_args=["--header-timeout-ms", "1000", "--idle-timeout-ms", "60000"]).start()
    conn = Conn(maasd)
    conn.send(request("GET", "/api/v1/health"))
    assert conn.response()[0] == 200
    # Idle longer than the header timeout between requests: that is the idle timeout's business.
    time.sleep(1.5)
    conn.send(request("GET", "/api/v1/health"))
    assert conn.response()[0] == 200
    # But once a request has begun, its headers must be complete within the header timeout.
    conn.send(b"GET /api/v1/health HTTP/1.1\r\n")
    try:
        for i in range(20):
            conn.send(f"X-Slow-{i}: a\r\n".encode())
            time.sleep(0.2)
    except (BrokenPipeError, ConnectionResetError):
        pass
    assert conn.closed_by_server(15 * SLOW)
    assert conn.data == b""
    conn.close()


def test_connections_from_one_address_are_limited_and_others_still_get_in(maasd_factory):
    maasd = maasd_factory(extra_args=["--max-connections-per-address", "4"]).start()
    held = [Conn(maasd) for _ in range(4)]
    try:
        # The fifth from 127.0.0.1 is closed at once, without an answer.
        extra = Conn(maasd)
        try:
            extra.send(request("GET", "/api/v1/health"))
        except (BrokenPipeError, ConnectionResetError):
            pass
        assert extra.closed_by_server(10 * SLOW)
        assert extra.data == b""
        extra.close()
        # Another address is served, and a held connection too.
        other = Conn(maasd, source="127.0.0.2")
        other.send(request("GET", "/api/v1/health"))
        assert other.response()[0] == 200
        other.close()
        held[0].send(request("GET", "/api/v1/health"))
        assert held[0].response()[0] == 200
        assert metric_value(maasd, "maas_http_connections_refused_total", reason="per_address_limit") >= 1
    finally:
        for conn in held:
            conn.close()

    # Once the address's connections close, it gets in again.
    def served():
        conn = Conn(maasd)
        try:
            conn.send(request("GET", "/api/v1/health"))
            r = conn.response()
            return r is not None and r[0] == 200
        except (BrokenPipeError, ConnectionResetError):
            return False
        finally:
            conn.close()
    poll(served, timeout_s=10 * SLOW, what="a new connection from 127.0.0.1 served")
    assert maasd.stop() == 0


# --- Finding 6: request smuggling and HTTP/1.1 strictness ----------------------------------------------------------

SMUGGLED = b"GET /api/v1/version HTTP/1.1\r\nHost: maas\r\n\r\n"


@pytest.mark.parametrize("framing", [
    ["Transfer-Encoding: gzip"],
    ["Transfer-Encoding: xchunked"],
    ["Transfer-Encoding: chunked, identity"],
    ["Transfer-Encoding: chunked, chunked"],
    ["Transfer-Encoding: chunked", "Transfer-Encoding: chunked"],
    ["Transfer-Encoding: gzip, chunked"],
    ["Transfer-Encoding: gzip", f"Content-Length: {len(SMUGGLED)}"],
    ["Content-Length: 5", "Transfer-Encoding: chunked"],
    ["Transfer-Encoding: chunked", "Content-Length: 5"],
])
def test_an_ambiguous_body_framing_gets_400_and_the_bytes_after_it_are_never_served(maasd, framing):
    conn = Conn(maasd)
    conn.send(request("POST", "/api/v1/models", maasd.admin_key, ["Content-Type: application/json", *framing],
                      body=SMUGGLED))
    responses = conn.responses_until_closed()
    conn.close()
    assert [r[0] for r in responses] == [400], responses
    status, headers, body = responses[0]
    assert headers.get("connection", "").lower() == "close"
    assert json.loads(body)["error"]["code"] == "INVALID_ARGUMENT"
    assert maasd.get("/api/v1/health").status_code == 200


def test_connection_close_from_the_client_is_honoured_on_every_answer(maasd):
    close = ["Connection: close"]
    key = maasd.admin_key
    cases = [
        request("GET", "/api/v1/health", headers=close),
        request("GET", "/api/v1/nope", key, close),                         # an error
        request("GET", "/api/v1/models", None, close),                      # 401
        request("POST", "/api/v1/models", key, close + ["Content-Type: application/json", "Content-Length: 2"],
                body=b"{}"),                                                 # a buffered body, refused by the handler
        request("POST", "/api/v1/models", None, close + ["Content-Length: 2"], body=b"{}"),  # 401 with a body
        request("POST", "/api/v1/models/m/versions?framework=xgboost", key,
                close + ["Content-Type: application/octet-stream", "Content-Length: 3"], body=b"abc"),  # streamed body
    ]
    for payload in cases:
        conn = Conn(maasd)
        conn.send(payload + request("GET", "/api/v1/version"))  # pipelined after it: must not be answered
        responses = conn.responses_until_closed()
        conn.close()
        assert len(responses) == 1, (payload[:60], [r[0] for r in responses])
        assert responses[0][1].get("connection", "").lower() == "close", (payload[:60], responses[0][1])
    # A streamed answer says it too (its stream is then read until the server ends it or we leave).
    conn = Conn(maasd)
    conn.send(request("GET", '/api/v1/logs/tail?query=%7Bjob%3D%22maasd%22%7D', key, close))
    head = conn._until(b"\r\n\r\n")
    conn.close()
    assert b"200" in head.split(b"\r\n")[0] and b"connection: close" in head.lower()


def test_head_is_answered_wherever_get_is_with_the_same_headers_and_no_body(maasd, models_dir):
    from fixture_names import GOOD
    assert maasd.post("/api/v1/models", json={"name": "bc"}).status_code == 201
    assert maasd.upload("bc", models_dir / GOOD["xgboost-json"], framework="xgboost").status_code == 201
    key = maasd.admin_key
    for target, auth in [("/api/v1/health", None), ("/v2/health/ready", None), ("/api/v1/models", key),
                         ("/api/v1/models/bc/versions/1/artifact", key)]:
        conn = Conn(maasd)
        # HEAD then GET on one connection: the HEAD answer has no body, so the next bytes are the GET's answer.
        conn.send(request("HEAD", target, auth) + request("GET", target, auth))
        h_status, h_headers, _ = conn.response(head_request=True)
        g_status, g_headers, g_body = conn.response()
        conn.close()
        assert h_status == 200 and g_status == 200, (target, h_status, g_status)
        assert h_headers["content-length"] == g_headers["content-length"] == str(len(g_body)), target
        assert h_headers["content-type"] == g_headers["content-type"]
    # HEAD needs the same key as GET.
    conn = Conn(maasd)
    conn.send(request("HEAD", "/api/v1/models"))
    assert conn.response(head_request=True)[0] == 401
    conn.close()
    # And a 405 lists HEAD where GET is allowed.
    r = maasd.delete("/api/v1/models")
    assert r.status_code == 405 and "HEAD" in r.headers["Allow"]


def test_an_absolute_form_target_is_served_as_its_path(maasd):
    conn = Conn(maasd)
    conn.send(request("GET", "http://maas.example:8080/api/v1/health") +
              request("GET", "http://maas.example/api/v1/models?prefix=zz", maasd.admin_key))
    status, _, body = conn.response()
    assert status == 200 and json.loads(body) == {"status": "ok"}
    status, _, body = conn.response()
    assert status == 200 and json.loads(body)["models"] == []
    conn.close()
    conn = Conn(maasd)
    conn.send(request("GET", "ftp://maas.example/api/v1/health"))
    assert conn.response()[0] == 400
    conn.close()


def test_an_http11_request_needs_exactly_one_host(maasd):
    for host in [b"", b"Host: a\r\nHost: b\r\n", b"Host: a b\r\n"]:
        conn = Conn(maasd)
        conn.send(request("GET", "/api/v1/health", host=host) + request("GET", "/api/v1/version"))
        responses = conn.responses_until_closed()
        conn.close()
        assert [r[0] for r in responses] == [400], (host, responses)
        assert "Host" in json.loads(responses[0][2])["error"]["message"]
    # HTTP/1.0 may leave it out.
    conn = Conn(maasd)
    conn.send(b"GET /api/v1/health HTTP/1.0\r\n\r\n")
    assert conn.response()[0] == 200
    conn.close()


@pytest.mark.parametrize("route", ["/api/v1/models", "/v2/models/m/infer"])
def test_a_malformed_chunk_gets_400_and_closes(maasd, route):
    conn = Conn(maasd)
    conn.send(request("POST", route, maasd.admin_key, ["Content-Type: application/json", "Transfer-Encoding: chunked"],
                      body=b"2\r\n{}\r\nzz\r\nnot a chunk\r\n0\r\n\r\n") + SMUGGLED)
    responses = conn.responses_until_closed()
    conn.close()
    assert [r[0] for r in responses] == [400], responses
    error = json.loads(responses[0][2])["error"]  # the management shape under /api, the OIP's under /v2
    assert "chunk" in (error if isinstance(error, str) else error["message"])
    assert maasd.get("/api/v1/health").status_code == 200


def test_content_encoding_is_matched_whatever_its_case(maasd):
    line = f"GZIP spelled loudly {time.time_ns()}"
    body = gzip.compress(json.dumps({"streams": [{"stream": {"job": "loud"},
                                                  "values": [[str(time.time_ns()), line]]}]}).encode())
    r = maasd.post("/loki/api/v1/push", data=body, headers={"Content-Type": "application/json",
                                                             "Content-Encoding": "GZIP"})
    assert r.status_code == 204, r.text
    r = maasd.get("/loki/api/v1/query_range", params={"query": '{job="loud"}'})
    assert line in r.text


# --- Finding 10: the budget for buffered request bodies ------------------------------------------------------------

BUDGET = 128 << 20
BODY = 60_000_000  # each under limits.max_infer_body_bytes (64 MiB); two fit in the budget, three do not


def peak_rss_bytes(maasd):
    for line in open(f"/proc/{maasd.proc.pid}/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError("no VmHWM")


def infer_head(maasd, length=None, chunked=False):
    framing = ["Transfer-Encoding: chunked"] if chunked else [f"Content-Length: {length}"]
    return request("POST", "/v2/models/absent/infer", maasd.admin_key, ["Content-Type: application/json", *framing])


def test_buffered_bodies_stay_within_the_budget_and_the_rest_get_503_before_their_body_is_read(maasd_factory):
    maasd = maasd_factory(extra_args=["--max-buffered-body-bytes", str(BUDGET)]).start()
    baseline = maasd.rss_bytes()
    conns = [Conn(maasd, timeout=120) for _ in range(8)]
    for conn in conns:
        conn.send(infer_head(maasd, BODY))
    # Six are refused from their headers alone, at once; two wait for their bodies.
    poll(lambda: metric_value(maasd, "maas_http_body_budget_refusals_total") == 6, timeout_s=30 * SLOW,
         what="six refusals")
    poll(lambda: len(select.select([c.sock for c in conns], [], [], 0)[0]) == 6, timeout_s=30 * SLOW,
         what="six answers")
    readable = select.select([c.sock for c in conns], [], [], 0)[0]
    refused = [(c, c.response()) for c in conns if c.sock in readable]
    assert len(refused) == 6
    for _, (status, headers, body) in refused:
        assert status == 503 and headers["retry-after"] == "1"
        assert "limits.max_buffered_body_bytes" in json.loads(body)["error"]
        assert headers["connection"].lower() == "close"
    # Every connection now sends all but the last byte of its body (the refused ones into the server's discard).
    payload = b"x" * (BODY - 1)

    def send(conn):
        try:
            conn.send(payload)
        except OSError:
            pass
    senders = [threading.Thread(target=send, args=(conn,)) for conn in conns]
    for t in senders:
        t.start()
    for t in senders:
        t.join()
    assert metric_value(maasd, "maas_http_body_budget_refusals_total") == 6
    assert metric_value(maasd, "maas_http_buffered_body_bytes") == 2 * BODY
    # The last byte completes the admitted bodies: their answers (the model does not exist) prove that maasd read
    # and held them whole. Its peak RSS over all of this stays within the budget; the refused bodies were discarded.
    admitted = [c for c in conns if c.sock not in readable]
    for conn in admitted:
        conn.send(b"x")
        assert 400 <= conn.response()[0] < 500
    grown = peak_rss_bytes(maasd) - baseline
    assert grown < BUDGET + (48 << 20), f"peak RSS grew by {grown >> 20} MiB with a {BUDGET >> 20} MiB budget"
    assert grown > 100_000_000  # the two bodies were in memory: the measure measures something
    for conn in conns:
        conn.close()
    # The budget is given back when the requests end, and service is normal.
    poll(lambda: metric_value(maasd, "maas_http_buffered_body_bytes") == 0, timeout_s=30 * SLOW,
         what="the budget given back")
    r = maasd.post("/v2/models/absent/infer", data=b"{" + b" " * 1000 + b"}",
                   headers={"Content-Type": "application/json"})
    assert r.status_code == 404
    assert maasd.post("/api/v1/models", json={"name": "after"}).status_code == 201
    assert maasd.stop() == 0


def test_a_chunked_body_is_charged_as_it_grows(maasd_factory):
    budget = 96 << 20
    maasd = maasd_factory(extra_args=["--max-buffered-body-bytes", str(budget)]).start()
    # One declared body holds 60 MB of the budget ...
    holder = Conn(maasd)
    holder.send(infer_head(maasd, BODY))
    poll(lambda: metric_value(maasd, "maas_http_buffered_body_bytes") == BODY, timeout_s=30 * SLOW,
         what="the first body's reservation")
    # ... so a chunked one is refused once it passes the 36 MiB left, long before the 64 MiB limit of the route.
    conn = Conn(maasd, timeout=60)
    conn.send(infer_head(maasd, chunked=True))
    chunk = b"%x\r\n" % (1 << 20) + b"x" * (1 << 20) + b"\r\n"
    sent = 0
    # Sends 1 MiB chunks until the answer is there (the server discards what follows it, then closes).
    while not select.select([conn.sock], [], [], 0)[0] and sent < (200 << 20):
        try:
            conn.send(chunk)
        except (BrokenPipeError, ConnectionResetError):
            break
        sent += 1 << 20
    assert sent < 60 << 20, f"{sent >> 20} MiB sent before the refusal"
    status, headers, body = conn.response()
    assert status == 503 and headers["retry-after"] == "1", body
    assert "limits.max_buffered_body_bytes" in json.loads(body)["error"]
    conn.close()
    holder.close()
    assert metric_value(maasd, "maas_http_body_budget_refusals_total") == 1
    assert maasd.stop() == 0


def test_a_budget_smaller_than_the_largest_buffered_body_is_refused_at_start(tmp_path):
    server = Maasd(tmp_path / "data", ["--max-buffered-body-bytes", "1MiB"])
    with pytest.raises(RuntimeError, match="limits.max_buffered_body_bytes"):
        server.start()
