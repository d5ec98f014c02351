#!/usr/bin/python3
"""Streams chat completions at a fixed concurrency against an OpenAI-compatible server and reports aggregate
generated tokens/s and time-to-first-token percentiles. Used by bench/llm/run.sh for maasd and llama-server alike.

Usage: load.py URL API_KEY MODEL CONCURRENCY REQUESTS_PER_STREAM MAX_TOKENS
Prints one JSON line: {"concurrency", "requests", "tokens", "seconds", "tokens_per_s", "ttft_p50_ms", "ttft_p99_ms"}.
"""
import json
import statistics
import sys
import threading
import time

import requests


def one_request(session, url, key, model, max_tokens, prompt):
    body = {"model": model, "messages": [{"role": "user", "content": prompt}], "max_tokens": max_tokens,
            "temperature": 0, "stream": True, "stream_options": {"include_usage": True}}
    started = time.perf_counter()
    ttft = None
    tokens = 0
    with session.post(url + "/v1/chat/completions", json=body, stream=True, timeout=600,
                      headers={"Authorization": "Bearer " + key}) as r:
        r.raise_for_status()
        for line in r.iter_lines():
            if not line.startswith(b"data: ") or line == b"data: [DONE]":
                continue
            chunk = json.loads(line[6:])
            if ttft is None and any(c.get("delta", {}).get("content") for c in chunk.get("choices", [])):
                ttft = time.perf_counter() - started
            if chunk.get("usage"):
                tokens = chunk["usage"]["completion_tokens"]
    return ttft if ttft is not None else time.perf_counter() - started, tokens


def main():
    url, key, model = sys.argv[1:4]
    concurrency, per_stream, max_tokens = (int(a) for a in sys.argv[4:7])
    ttfts, counts, lock = [], [], threading.Lock()

    def stream(index):
        session = requests.Session()
        for i in range(per_stream):
            # Distinct prompts: no request can reuse another's prompt from the cache.
            ttft, tokens = one_request(session, url, key, model, max_tokens,
                                       f"Stream {index} request {i}: write about the number {index * 1000 + i}.")
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
    print(json.dumps({"concurrency": concurrency, "requests": len(counts), "tokens": sum(counts),
                      "seconds": round(seconds, 2), "tokens_per_s": round(sum(counts) / seconds, 1),
                      "ttft_p50_ms": round(statistics.median(ttfts) * 1000, 1),
                      "ttft_p99_ms": round(ttfts[min(len(ttfts) - 1, int(0.99 * len(ttfts)))] * 1000, 1)}))


if __name__ == "__main__":
    main()
