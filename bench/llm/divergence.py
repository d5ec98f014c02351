#!/usr/bin/python3
"""How often greedy output changes with what runs beside it: each of N prompts is completed alone (one at a time),
then the same prompts in groups of CONCURRENCY sent at once; a prompt diverges when the two texts differ.
Used by bench/llm/divergence.sh for the default and the deterministic mode.

Usage: divergence.py URL API_KEY MODEL PROMPTS CONCURRENCY MAX_TOKENS
Prints one JSON line: {"model", "prompts", "diverged", "rate", "first_difference_at" (character offsets)}.
"""
import http.client
import json
import sys
import threading
import urllib.parse


def complete(url, key, model, prompt, max_tokens):
    target = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(target.hostname, target.port, timeout=600)
    body = {"model": model, "messages": [{"role": "user", "content": prompt}], "max_tokens": max_tokens,
            "temperature": 0}
    try:
        connection.request("POST", "/v1/chat/completions", body=json.dumps(body),
                           headers={"Authorization": "Bearer " + key, "Content-Type": "application/json"})
        response = connection.getresponse()
        data = response.read()
        if response.status != 200:
            raise RuntimeError(f"HTTP {response.status}: {data[:200]!r}")
        return json.loads(data)["choices"][0]["message"]["content"]
    finally:
        connection.close()


def main():
    url, key, model = sys.argv[1:4]
    n, concurrency, max_tokens = (int(a) for a in sys.argv[4:7])
    # Prompts of varied length and shared openings, as real traffic has (the chat template is shared by all).
    prompts = [f"Prompt {i}: " + " ".join(["tell me about topic", str(i * 7)] * (1 + i % 5)) for i in range(n)]
    alone = [complete(url, key, model, p, max_tokens) for p in prompts]
    together = [None] * n
    for start in range(0, n, concurrency):
        group = range(start, min(n, start + concurrency))
        barrier = threading.Barrier(len(group))

        def one(i, barrier=barrier):
            barrier.wait()
            together[i] = complete(url, key, model, prompts[i], max_tokens)

        threads = [threading.Thread(target=one, args=(i,)) for i in group]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    diverged = [i for i in range(n) if alone[i] != together[i]]
    first = [next((k for k, (a, b) in enumerate(zip(alone[i], together[i])) if a != b),
                  min(len(alone[i]), len(together[i]))) for i in diverged]
    print(json.dumps({"model": model, "prompts": n, "diverged": len(diverged), "rate": round(len(diverged) / n, 4),
                      "first_difference_at": first}))


if __name__ == "__main__":
    main()
