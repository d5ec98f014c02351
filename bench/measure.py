"""One HTTP measurement for bench/run.sh: a wrk warm-up, then the measured wrk run, during which the CPU time of the
server's processes (the PID and every process below it: maasd's workers, nginx's workers) and of wrk is taken.
Writes wrk's BENCH_RESULT line (bench/infer.lua), with the CPU times added, as JSON.

Usage: /usr/bin/python3 bench/measure.py URL BODY.json OUT.json --server-pid PID --connections N --threads N
       --duration SECONDS --warmup SECONDS --timeout 5s
"""
import argparse
import json
import os
import pathlib
import resource
import subprocess
import sys

LUA = pathlib.Path(__file__).resolve().parent / "infer.lua"


def tree_cpu_seconds(root):
    """User + system CPU seconds used so far by root and all its descendants."""
    ticks, children = {}, {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()  # state is fields[0]; utime, stime are fields[11], [12]
        ticks[int(entry)] = int(fields[11]) + int(fields[12])
        children.setdefault(int(fields[1]), []).append(int(entry))
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += ticks.get(pid, 0)
        todo += children.get(pid, [])
    return total / os.sysconf("SC_CLK_TCK")


def machine_busy_seconds():
    """CPU seconds all CPUs of the machine spent busy (not idle, not waiting for I/O) since boot."""
    with open("/proc/stat") as f:
        fields = [int(v) for v in f.readline().split()[1:]]
    idle = fields[3] + fields[4]
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")  # user..steal; guest time is inside user


def wrk(args, url, body, seconds, latency):
    argv = ["wrk", "-t", str(args.threads), "-c", str(args.connections), "-d", f"{seconds}s", "--timeout",
            args.timeout, "-s", str(LUA), url]
    if latency:
        argv.insert(1, "--latency")
    done = subprocess.run(argv, env=dict(os.environ, BENCH_BODY=body), capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"measure: {' '.join(argv)} failed ({done.returncode}):\n{done.stdout}{done.stderr}")
    return done.stdout


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("body")
    parser.add_argument("out", type=pathlib.Path)
    parser.add_argument("--server-pid", type=int, required=True)
    parser.add_argument("--connections", type=int, required=True)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--duration", type=int, required=True)
    parser.add_argument("--warmup", type=int, required=True)
    parser.add_argument("--timeout", default="5s")
    args = parser.parse_args()

    if args.warmup > 0:
        wrk(args, args.url, args.body, args.warmup, latency=False)
    wrk_cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    server_cpu_before = tree_cpu_seconds(args.server_pid)
    machine_before = machine_busy_seconds()
    output = wrk(args, args.url, args.body, args.duration, latency=True)
    machine_busy = machine_busy_seconds() - machine_before
    server_cpu = tree_cpu_seconds(args.server_pid) - server_cpu_before
    wrk_cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)

    line = next((l for l in output.splitlines() if l.startswith("BENCH_RESULT ")), None)
    if line is None:
        sys.exit(f"measure: wrk printed no result:\n{output}")
    result = json.loads(line[len("BENCH_RESULT "):])
    wrk_cpu = (wrk_cpu_after.ru_utime + wrk_cpu_after.ru_stime) - (wrk_cpu_before.ru_utime + wrk_cpu_before.ru_stime)
    # What else ran on the machine meanwhile (other users, this script's own Python): busy time nobody here used.
    other_cpu = max(0.0, machine_busy - server_cpu - wrk_cpu)
    result.update(connections=args.connections, url=args.url, server_cpu_s=round(server_cpu, 2),
                  wrk_cpu_s=round(wrk_cpu, 2), other_cpu_s=round(other_cpu, 2), wrk_output=output.split("BENCH_RESULT")[0].rstrip().splitlines())
    args.out.write_text(json.dumps(result))


if __name__ == "__main__":
    main()
