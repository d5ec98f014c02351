-- wrk script for the benchmark: POSTs one request body (the file named by $BENCH_BODY) on every request, and at the
-- end prints one JSON line with throughput, errors and latency percentiles for bench/run.sh to collect.
local path = os.getenv("BENCH_BODY")
if path then
  local f = assert(io.open(path, "rb"))
  wrk.body = f:read("*a")
  f:close()
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
end
-- maasd needs a key (nginx and FastAPI ignore the header).
local key = os.getenv("BENCH_KEY")
if key then wrk.headers["Authorization"] = "Bearer " .. key end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format(
    'BENCH_RESULT {"requests": %d, "seconds": %.3f, "rps": %.1f, "bytes": %d, ' ..
    '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, ' ..
    '"latency_us": {"mean": %.1f, "p50": %d, "p90": %d, "p99": %d, "p999": %d, "max": %d}}\n',
    summary.requests, seconds, summary.requests / seconds, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency.mean, latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency:percentile(99.9), latency.max))
end
