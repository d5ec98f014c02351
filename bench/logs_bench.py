"""The log center's benchmark (docs/BENCHMARKS.md, "Log center"): the same generated log lines are ingested through
Loki's push API and queried with the same LogQL, against maasd and, when one is given, a Grafana Loki; SQLite FTS5
(the alternative embedded engine docs/DEPENDENCIES.md weighs) is measured on the same lines in-process.

    /usr/bin/python3 bench/logs_bench.py [--lines 1000000] [--loki-url http://127.0.0.1:3100]

Measures ingest throughput (lines/s, pushes of --batch lines from --clients concurrent clients, each acknowledged
durably), and the median latency of a label + substring query and of a count_over_time query over all the data.
Writes bench/results/logs.json. Not part of `make test`.
"""
import argparse
import concurrent.futures
import http.client
import json
import os
import pathlib
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse

ROOT = pathlib.Path(__file__).resolve().parents[1]
APPS = ["shop", "cart", "auth", "search"]
LEVELS = ["info", "warn", "error"]
KEY = "maas_benchkey_" + "0" * 32


def generate(n, seed=7):
    """n lines over the last 50 minutes, in time order, spread over 12 streams; about 1 in 1000 mentions a timeout."""
    rng = random.Random(seed)
    end = time.time_ns() - 60 * 10**9
    start = end - 50 * 60 * 10**9
    step = (end - start) // n
    paths = [f"/api/v1/items/{i}" for i in range(200)]
    out = []
    for i in range(n):
        app, level = APPS[i % 4], LEVELS[(i // 4) % 3] if i % 7 else "error"
        ts = start + i * step
        status = 504 if rng.random() < 0.001 else rng.choice((200, 200, 200, 201, 404, 500))
        msg = "upstream timeout after 30s" if status == 504 else "request served"
        line = (f'level={level} app={app} method=GET path={rng.choice(paths)} status={status} '
                f'duration_ms={rng.randint(1, 900)} user=u{rng.randint(1, 50000)} msg="{msg}"')
        out.append((ts, app, level, line))
    return out


def push_bodies(lines, batch):
    bodies = []
    for i in range(0, len(lines), batch):
        streams = {}
        for ts, app, level, line in lines[i:i + batch]:
            streams.setdefault((app, level), []).append([str(ts), line])
        bodies.append(json.dumps({"streams": [{"stream": {"job": "bench", "app": a, "level": lv}, "values": v}
                                              for (a, lv), v in streams.items()]}).encode())
    return bodies


class Target:
    def __init__(self, name, url, headers=None):
        self.name, self.url, self.headers = name, url.rstrip("/"), headers or {}
        parsed = urllib.parse.urlparse(self.url)
        self.host, self.port = parsed.hostname, parsed.port

    def request(self, method, path, body=None, headers=None, conn=None):
        own = conn is None
        conn = conn or http.client.HTTPConnection(self.host, self.port, timeout=600)
        conn.request(method, path, body=body, headers={**self.headers, **(headers or {})})
        r = conn.getresponse()
        data = r.read()
        if own:
            conn.close()
        if r.status >= 300:
            raise RuntimeError(f"{self.name} {method} {path[:80]}: {r.status} {data[:300]!r}")
        return data

    def ingest(self, bodies, clients):
        def worker(chunk):
            conn = http.client.HTTPConnection(self.host, self.port, timeout=600)
            for body in chunk:
                self.request("POST", "/loki/api/v1/push", body, {"Content-Type": "application/json"}, conn)
            conn.close()
        chunks = [bodies[i::clients] for i in range(clients)]
        started = time.perf_counter()
        with concurrent.futures.ThreadPoolExecutor(clients) as pool:
            list(pool.map(worker, chunks))
        return time.perf_counter() - started

    def query(self, logql, start, end, **params):
        q = urllib.parse.urlencode({"query": logql, "start": str(start), "end": str(end), **params})
        started = time.perf_counter()
        body = json.loads(self.request("GET", "/loki/api/v1/query_range?" + q))
        return time.perf_counter() - started, body["data"]


def summarize(data):
    """What a query returned, to check that every engine answers the same."""
    if data["resultType"] == "streams":
        return sum(len(s["values"]) for s in data["result"])
    return {s["metric"].get("level", ""): sum(float(v[1]) for v in s["values"]) for s in data["result"]}


def measure_queries(target, queries, start, end, runs):
    out = {}
    for name, (logql, params) in queries.items():
        target.query(logql, start, end, **params)  # warm: file cache, first-use allocations
        times, answer = [], None
        for _ in range(runs):
            t, data = target.query(logql, start, end, **params)
            times.append(t)
            answer = summarize(data)
        out[name] = {"median_s": statistics.median(times), "min_s": min(times), "answer": answer}
    return out


def sqlite_fts5(lines, batch, dir_):
    """The alternative engine in-process: a table plus an FTS5 index on the line, WAL, synchronous=FULL."""
    db = sqlite3.connect(os.path.join(dir_, "logs.db"))
    db.executescript("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
                     "CREATE TABLE entries(id INTEGER PRIMARY KEY, ts INTEGER, app TEXT, level TEXT, line TEXT);"
                     "CREATE INDEX entries_app_ts ON entries(app, ts);"
                     "CREATE VIRTUAL TABLE entries_fts USING fts5(line, content='entries', content_rowid='id');")
    started = time.perf_counter()
    for i in range(0, len(lines), batch):
        with db:
            db.executemany("INSERT INTO entries(id, ts, app, level, line) VALUES (?, ?, ?, ?, ?)",
                           [(i + k + 1, *row) for k, row in enumerate(lines[i:i + batch])])
            db.execute("INSERT INTO entries_fts(rowid, line) SELECT id, line FROM entries WHERE id > ?", (i,))
    ingest = time.perf_counter() - started

    def timed(sql, args=()):
        times = []
        for _ in range(4):
            t = time.perf_counter()
            rows = db.execute(sql, args).fetchall()
            times.append(time.perf_counter() - t)
        return statistics.median(times[1:]), rows
    q1, rows = timed("SELECT e.ts FROM entries_fts f JOIN entries e ON e.id = f.rowid "
                     "WHERE entries_fts MATCH '\"timeout\"' AND e.app = 'shop' ORDER BY e.ts DESC LIMIT 1000")
    q2, _ = timed("SELECT level, ts / 60000000000, count(*) FROM entries GROUP BY 1, 2")
    db.close()
    return {"ingest_s": ingest, "label_substring": {"median_s": q1, "answer": len(rows)},
            "count_over_time": {"median_s": q2}}


def start_maasd(bin_dir, data_dir):
    port_file = pathlib.Path(data_dir) / "addr"
    env = dict(os.environ, MAAS_ADMIN_KEY=KEY)
    proc = subprocess.Popen([str(bin_dir / "maasd"), "--listen", "127.0.0.1:0", "--data-dir", str(data_dir / "d"),
                             "--port-file", str(port_file), "--log-access", "false", "--logs-requests", "false"],
                            stdout=open(data_dir / "maasd.log", "wb"), stderr=subprocess.STDOUT, env=env)
    deadline = time.monotonic() + 60
    while not (port_file.exists() and port_file.read_text().strip()):
        if proc.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError("maasd did not start: " + (data_dir / "maasd.log").read_text()[-2000:])
        time.sleep(0.05)
    return proc, "http://" + port_file.read_text().strip()


def rss_bytes(pid):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


def dir_bytes(path):
    return sum(f.stat().st_size for f in pathlib.Path(path).rglob("*") if f.is_file())


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--lines", type=int, default=1_000_000)
    ap.add_argument("--batch", type=int, default=10_000, help="lines per push request")
    ap.add_argument("--clients", type=int, default=4, help="concurrent pushing clients")
    ap.add_argument("--runs", type=int, default=5, help="timed runs per query (the median is reported)")
    ap.add_argument("--bin-dir", default=str(ROOT / "build" / "release" / "bin"))
    ap.add_argument("--loki-url", default=os.environ.get("BENCH_LOKI_URL", ""),
                    help="a Grafana Loki to measure the same way (not packaged for Debian 12: bring your own)")
    ap.add_argument("--output", default=str(ROOT / "bench" / "results" / "logs.json"))
    args = ap.parse_args()

    print(f"generating {args.lines} lines", file=sys.stderr)
    lines = generate(args.lines)
    bodies = push_bodies(lines, args.batch)
    start, end = lines[0][0], lines[-1][0]
    queries = {
        "label_substring": ('{app="shop"} |= "timeout"', {"limit": "1000"}),
        "count_over_time": ('sum by (level) (count_over_time({job="bench"}[1m]))', {"step": "60"}),
    }
    results = {"lines": args.lines, "batch": args.batch, "clients": args.clients,
               "raw_bytes": sum(len(l[3]) for l in lines), "queries": {k: v[0] for k, v in queries.items()},
               "cpus": os.cpu_count(), "load_before": os.getloadavg()[0], "targets": {}}
    with tempfile.TemporaryDirectory(prefix="maas-logs-bench-") as tmp:
        tmp = pathlib.Path(tmp)
        proc, url = start_maasd(pathlib.Path(args.bin_dir), tmp)
        try:
            maas = Target("maasd", url, {"Authorization": "Bearer " + KEY})
            print("ingesting into maasd", file=sys.stderr)
            seconds = maas.ingest(bodies, args.clients)
            results["targets"]["maasd"] = {
                "ingest_s": seconds, "ingest_lines_per_s": args.lines / seconds,
                **measure_queries(maas, queries, start, end, args.runs),
                "rss_bytes": rss_bytes(proc.pid), "disk_bytes": dir_bytes(tmp / "d" / "logs")}
        finally:
            proc.terminate()
            proc.wait(timeout=60)
        if args.loki_url:
            loki = Target("loki", args.loki_url)
            print("ingesting into Loki", file=sys.stderr)
            seconds = loki.ingest(bodies, args.clients)
            results["targets"]["loki"] = {"ingest_s": seconds, "ingest_lines_per_s": args.lines / seconds,
                                          **measure_queries(loki, queries, start, end, args.runs)}
        print("ingesting into SQLite FTS5", file=sys.stderr)
        fts = sqlite_fts5([(ts, app, level, line) for ts, app, level, line in lines], args.batch, str(tmp))
        fts["ingest_lines_per_s"] = args.lines / fts["ingest_s"]
        results["targets"]["sqlite_fts5_inprocess"] = fts
    pathlib.Path(args.output).write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
