"""The engine's prefix cache and chunked prefill, with a real maasd and maas-worker serving the tiny random-weight
model four times: prefix caching on (the default), off (`prefix_cache: false`), chunked prefill (`prefill_tokens: 16` in
steps of up to 2,048 tokens) and a shared KV cache too small for its sequences (`kv_cells`). Greedy outputs are the
same in all; a prompt sharing a busy slot's prefix copies its cells; a running stream keeps producing tokens while a
long prompt is read; a full KV cache preempts a sequence, which recomputes and ends as it would have."""
import concurrent.futures
import json
import time

import pytest

from llm_server import MODEL, metric, start_llm_server, tiny_model_path

OFF = "tiny-nocache"
CHUNKED = "tiny-chunked"
POOL = "tiny-pool"
CONFIG = {"max_sequences": 16, "context": 2048, "threads": 2}
SYSTEM = "You are a helpful assistant for a shipping company. " + " ".join(
    f"Rule {i}: answer politely about parcel {i * 3}." for i in range(30))
END_OF_TEXT = "2"  # </s> in llama's SentencePiece vocabulary: banned where a stream must run on


def load(server, name, config):
    assert server.post("/api/v1/models", json={"name": name}).status_code == 201
    assert server.upload(name, tiny_model_path()).status_code == 201
    r = server.post(f"/v2/repository/models/{name}/load", json={"parameters": {"config": config}})
    assert r.status_code == 200, r.text


@pytest.fixture(scope="module")
def llm(tmp_path_factory):
    server = start_llm_server(tmp_path_factory.mktemp("llm") / "data", CONFIG)
    load(server, OFF, dict(CONFIG, prefix_cache=False))
    load(server, CHUNKED, dict(CONFIG, max_sequences=2, batch_tokens=2048, prefill_tokens=16))
    # One KV cache of 256 cells for 4 sequences of up to 128 tokens: four at once do not fit.
    load(server, POOL, {"max_sequences": 4, "context": 128, "kv_cells": 256, "threads": 2})
    yield server
    assert server.stop() == 0, server.log()


def chat(llm, model, question, max_tokens=16, **kw):
    body = {"model": model, "temperature": 0, "max_tokens": max_tokens,
            "messages": [{"role": "system", "content": SYSTEM}, {"role": "user", "content": question}], **kw}
    r = llm.post("/v1/chat/completions", json=body)
    assert r.status_code == 200, r.text
    return r.json()


def text(body):
    return body["choices"][0]["message"]["content"]


def cached(body):
    return body["usage"]["prompt_tokens_details"]["cached_tokens"]


def test_greedy_outputs_are_the_same_with_prefix_caching_on_and_off_alone_and_16_at_once(llm):
    questions = [f"Where is parcel number {i * 11}?" for i in range(16)]
    alone_on = [chat(llm, MODEL, q) for q in questions[:6]]
    alone_off = [chat(llm, OFF, q) for q in questions]
    with concurrent.futures.ThreadPoolExecutor(16) as pool:
        together_on = list(pool.map(lambda q: chat(llm, MODEL, q), questions))
        together_off = list(pool.map(lambda q: chat(llm, OFF, q), questions))
    expected = [text(b) for b in alone_off]
    assert [text(b) for b in alone_on] == expected[:6]
    assert [text(b) for b in together_on] == expected
    assert [text(b) for b in together_off] == expected
    # On, the shared system prompt was read once: every later request found it cached; off, nothing was.
    prompt_tokens = alone_on[0]["usage"]["prompt_tokens"]
    assert all(cached(b) >= prompt_tokens // 2 for b in alone_on[1:] + together_on), [cached(b) for b in together_on]
    assert all(cached(b) == 0 for b in alone_off + together_off)


def open_stream(llm, model, messages, **kw):
    """A streamed greedy completion that runs on (end of text banned); returns the response, at its first chunk."""
    body = {"model": model, "messages": messages, "temperature": 0, "stream": True,
            "logit_bias": {END_OF_TEXT: -100}, **kw}
    r = llm.post("/v1/chat/completions", json=body, stream=True)
    assert r.status_code == 200, r.text
    return r


def chunks(response):
    """The stream's chunks after the role chunk (sent before any token): each carries a step's token."""
    for line in response.iter_lines():
        if line.startswith(b"data: ") and line != b"data: [DONE]":
            chunk = json.loads(line[6:])
            if chunk["choices"] and "role" not in chunk["choices"][0]["delta"]:
                yield chunk


def test_a_prompt_sharing_a_busy_slots_prefix_copies_its_cells(llm):
    system = "A system prompt no other test uses. " + " ".join(f"Fact {i}: bin {i * 5} is blue." for i in range(25))
    running = open_stream(llm, MODEL, [{"role": "system", "content": system}, {"role": "user", "content": "Go on"}],
                          max_tokens=400)
    stream = chunks(running)
    next(stream)  # the first token: the running sequence has read its prompt, and its slot holds it
    body = {"model": MODEL, "temperature": 0, "max_tokens": 4,
            "messages": [{"role": "system", "content": system}, {"role": "user", "content": "Another question"}]}
    r = llm.post("/v1/chat/completions", json=body)
    running.close()
    assert r.status_code == 200, r.text
    # No idle slot holds this system prompt; the busy one's cells were copied rather than computed again.
    assert cached(r.json()) >= r.json()["usage"]["prompt_tokens"] * 3 // 4, r.json()["usage"]


def test_a_running_stream_keeps_producing_tokens_while_a_long_prompt_is_read_in_chunks(llm):
    running = open_stream(llm, CHUNKED, [{"role": "user", "content": "Tell me a long story"}], max_tokens=1800)
    arrivals = []
    done = []

    def read_running():
        for _ in chunks(running):
            arrivals.append(time.monotonic())
            if done:
                break
        running.close()

    long_prompt = " ".join(f"item{i} costs {i % 10} dollars;" for i in range(120))
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        reader = pool.submit(read_running)
        deadline = time.monotonic() + 60
        while not arrivals:
            assert time.monotonic() < deadline, "the running stream produced nothing"
            time.sleep(0.01)
        sent = time.monotonic()
        long_stream = chunks(open_stream(llm, CHUNKED, [{"role": "user", "content": long_prompt}], max_tokens=8))
        first = next(long_stream)
        first_at = time.monotonic()
        output = "".join(c["choices"][0]["delta"].get("content") or "" for c in [first, *long_stream])
        done.append(True)
        reader.result(timeout=60)
    # Its ~1,200 prompt tokens take ~75 steps of 16, each of which also gave the running stream a token. Read in
    # one step (prefill_tokens as large as the batch), the running stream would have got one or two meanwhile.
    during = sum(1 for t in arrivals if sent <= t <= first_at)
    assert during >= 30, f"{during} tokens of the running stream while the long prompt was read"
    # Read in chunks of 16, the prompt gives the same greedy tokens as on a version that reads it in chunks of 512.
    assert output == chat_plain(llm, OFF, long_prompt)


def chat_plain(llm, model, content):
    body = {"model": model, "temperature": 0, "max_tokens": 8, "logit_bias": {END_OF_TEXT: -100},
            "messages": [{"role": "user", "content": content}]}
    r = llm.post("/v1/chat/completions", json=body)
    assert r.status_code == 200, r.text
    return text(r.json())


def test_a_full_shared_kv_cache_preempts_and_every_output_is_the_one_it_has_alone(llm):
    def complete(i):
        body = {"model": POOL, "prompt": f"Story {i} begins with a parcel", "max_tokens": 100, "temperature": 0,
                "logit_bias": {END_OF_TEXT: -100}}
        r = llm.post("/v1/completions", json=body)
        assert r.status_code == 200, r.text
        return r.json()

    alone = [complete(i) for i in range(4)]
    assert metric(llm, "maas_llm_preemptions_total", POOL) == 0  # one at a time fits
    # 4 x (~10 prompt + 100 generated) cells do not fit in 256: the youngest sequences are preempted, wait, and read
    # their prompt and output again, instead of the step failing.
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        together = list(pool.map(complete, range(4)))
    assert [t["choices"][0]["text"] for t in together] == [a["choices"][0]["text"] for a in alone]
    assert all(t["usage"]["completion_tokens"] == 100 for t in together)
    assert [t["usage"]["prompt_tokens"] for t in together] == [a["usage"]["prompt_tokens"] for a in alone]
    assert metric(llm, "maas_llm_preemptions_total", POOL) > 0


@pytest.mark.parametrize("config, message", [
    ({"batch_tokens": 64, "prefill_tokens": 128}, "prefill_tokens (128) must be at most batch_tokens (64)"),
    ({"context": 512, "kv_cells": 256}, "kv_cells (256) must hold one sequence's context (512)"),
    ({"kv_cells": 1024, "deterministic": True}, "kv_cells must be 0"),
    ({"max_sequences": 32, "batch_tokens": 16}, "batch_tokens (16) must be at least max_sequences (32)"),
    ({"prefix_cache": "yes"}, "config.prefix_cache must be true or false"),
])
def test_a_load_config_the_engine_cannot_honour_is_a_400_naming_the_field(llm, config, message):
    name = "tiny-bad"
    if llm.get(f"/api/v1/models/{name}").status_code == 404:
        assert llm.post("/api/v1/models", json={"name": name}).status_code == 201
        assert llm.upload(name, tiny_model_path()).status_code == 201
    r = llm.post(f"/v2/repository/models/{name}/load", json={"parameters": {"config": config}})
    assert r.status_code == 400, r.text
    assert message in r.text, r.text
