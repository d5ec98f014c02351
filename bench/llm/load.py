#!/usr/bin/python3
"""Streams chat completions at a fixed concurrency against an OpenAI-compatible server and reports aggregate
generated tokens/s and time-to-first-token percentiles. Used by bench/llm/run.sh for maasd and llama-server alike.
Standard library only (it also runs on machines without `requests`); one connection per request, so neither
server's keep-alive policy enters the numbers.

Usage: load.py URL API_KEY MODEL CONCURRENCY REQUESTS_PER_STREAM MAX_TOKENS [SYSTEM_WORDS]
Every invocation's prompts carry a fresh run id, so no measurement can reuse a prompt of an earlier one from either
server's caches (llama-server also keeps finished prompts' KV in host memory, --cache-ram). SYSTEM_WORDS > 0 puts
one system prompt of that many words (about 1.2 tokens each), new for the invocation, before every request's
question: the shared-system-prompt workload that prefix caching serves.
Prints one JSON line: {"concurrency", "requests", "errors", "tokens", "seconds", "tokens_per_s", "ttft_p50_ms",
"ttft_p99_ms"}.
"""
import http.client
import json
import secrets
import statistics
import sys
import threading
import time
import urllib.parse


def one_request(url, key, model, max_tokens, prompt, system):
    messages = ([{"role": "system", "content": system}] if system else []) + [{"role": "user", "content": prompt}]
    body = {"model": model, "messages": messages, "max_tokens": max_tokens,
            "temperature": 0, "stream": True, "stream_options": {"include_usage": True}}
    target = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(target.hostname, target.port, timeout=600)
    started = time.perf_counter()
    ttft = None
    tokens = 0
    try:
        connection.request("POST", "/v1/chat/completions", body=json.dumps(body),
                           headers={"Authorization": "Bearer " + key, "Content-Type": "application/json"})
        response = connection.getresponse()
        if response.status != 200:
            raise RuntimeError(f"HTTP {response.status}: {response.read()[:200]!r}")
        while True:
            line = response.readline()
            if not line:
                break
            line = line.strip()
            if not line.startswith(b"data: ") or line == b"data: [DONE]":
                continue
            chunk = json.loads(line[6:])
            if ttft is None and any(c.get("delta", {}).get("content") for c in chunk.get("choices", [])):
                ttft = time.perf_counter() - started
            if chunk.get("usage"):
                tokens = chunk["usage"]["completion_tokens"]
    finally:
        connection.close()
    return ttft if ttft is not None else time.perf_counter() - started, tokens


def main():
    url, key, model = sys.argv[1:4]
    concurrency, per_stream, max_tokens = (int(a) for a in sys.argv[4:7])
    system_words = int(sys.argv[7]) if len(sys.argv) > 7 else 0
    ttfts, counts, errors, lock = [], [], [], threading.Lock()
    run = secrets.token_hex(4)
    words = "please answer every question about shipping parcels politely and briefly".split()
    system = f"Run {run}. " + " ".join(words[i % len(words)] for i in range(system_words)) if system_words else ""

    def stream(index):
        for i in range(per_stream):
            # Distinct prompts: no request can reuse another's prompt from the cache (only the template's prefix).
            prompt = f"Stream {index} request {i} of run {run}: write about the number {index * 1000 + i}."
            try:
                ttft, tokens = one_request(url, key, model, max_tokens, prompt, system)
            except Exception as e:  # counted and reported, never folded into the numbers
                with lock:
                    errors.append(str(e))
                continue
            with lock:
                ttfts.append(ttft)
                counts.append(tokens)

    threads = [threading.Thread(target=stream, args=(i,)) for i in range(concurrency)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    seconds = time.perf_counter() - started
    ttfts.sort()
    result = {"concurrency": concurrency, "requests": len(counts), "errors": len(errors), "tokens": sum(counts),
              "seconds": round(seconds, 2), "tokens_per_s": round(sum(counts) / seconds, 1)}
    if ttfts:
        result["ttft_p50_ms"] = round(statistics.median(ttfts) * 1000, 1)
        result["ttft_p99_ms"] = round(ttfts[min(len(ttfts) - 1, int(0.99 * len(ttfts)))] * 1000, 1)
    if errors:
        result["first_error"] = errors[0][:200]
    print(json.dumps(result))


if __name__ == "__main__":
    main()
