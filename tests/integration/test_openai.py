"""The OpenAI-compatible API over the continuous-batching LLM engine, with a real maasd and a real maas-worker (the
gguf plugin) serving a tiny random-weight llama model: response shapes, SSE streaming, malformed requests in
OpenAI's error shape, greedy outputs unchanged by concurrent requests, and cancelled streams leaving nothing
behind."""
import concurrent.futures
import json
import socket
import time

import pytest

from llm_server import EMBEDDING_LENGTH, MODEL, metric, start_llm_server

CONTEXT = 256
SLOTS = 16


@pytest.fixture(scope="module")
def llm(tmp_path_factory):
    server = start_llm_server(tmp_path_factory.mktemp("llm") / "data",
                              {"max_sequences": SLOTS, "context": CONTEXT, "threads": 2})
    yield server
    assert server.stop() == 0, server.log()


def chat(llm, content, **kw):
    body = {"model": MODEL, "messages": [{"role": "user", "content": content}], "temperature": 0, "max_tokens": 16}
    body.update(kw)
    return llm.post("/v1/chat/completions", json=body)


def openai_error(response, status, param=None):
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"}, body
    assert set(body["error"]) == {"message", "type", "param", "code"}, body
    assert body["error"]["message"]
    if param is not None:
        assert body["error"]["param"] == param, body
    return body["error"]


def test_chat_completion_shape_and_usage(llm):
    r = chat(llm, "Hello there")
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["object"] == "chat.completion" and body["model"] == MODEL
    choice = body["choices"][0]
    assert choice["message"]["role"] == "assistant" and isinstance(choice["message"]["content"], str)
    assert choice["finish_reason"] in ("stop", "length")
    usage = body["usage"]
    assert usage["prompt_tokens"] > 3 and 0 < usage["completion_tokens"] <= 16
    assert usage["total_tokens"] == usage["prompt_tokens"] + usage["completion_tokens"]


def test_max_tokens_ends_with_length(llm):
    r = llm.post("/v1/completions", json={"model": MODEL, "prompt": "The", "max_tokens": 5, "temperature": 0})
    body = r.json()
    # A random model may emit end-of-text early; when it does not, exactly max_tokens come back.
    if body["choices"][0]["finish_reason"] == "length":
        assert body["usage"]["completion_tokens"] == 5


def test_sse_stream_matches_the_whole_answer(llm):
    whole = chat(llm, "Stream me", max_tokens=12).json()
    r = chat(llm, "Stream me", max_tokens=12, stream=True, stream_options={"include_usage": True})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/event-stream")
    events = [line[len("data: "):] for line in r.content.decode("utf-8").split("\n") if line.startswith("data: ")]
    assert events[-1] == "[DONE]"
    chunks = [json.loads(e) for e in events[:-1]]
    assert all(c["object"] == "chat.completion.chunk" for c in chunks)
    text = "".join(c["choices"][0]["delta"].get("content", "") for c in chunks if c["choices"])
    assert text == whole["choices"][0]["message"]["content"]
    assert chunks[-1]["usage"]["completion_tokens"] == whole["usage"]["completion_tokens"]


def test_embeddings_are_unit_vectors(llm):
    r = llm.post("/v1/embeddings", json={"model": MODEL, "input": ["a cat", "a dog"], "encoding_format": "float"})
    assert r.status_code == 200, r.text
    data = r.json()["data"]
    assert len(data) == 2 and len(data[0]["embedding"]) == EMBEDDING_LENGTH
    assert abs(sum(x * x for x in data[0]["embedding"]) - 1) < 1e-3
    assert data[0]["embedding"] != data[1]["embedding"]


def test_models_list_and_alias(llm):
    ids = [m["id"] for m in llm.get("/v1/models").json()["data"]]
    assert MODEL in ids
    assert llm.put(f"/api/v1/models/{MODEL}/aliases/prod", json={"version": 1}).status_code in (200, 201)
    assert chat(llm, "hi", model=f"{MODEL}@prod", max_tokens=2).status_code == 200


@pytest.mark.parametrize("body, status, param", [
    ({"model": MODEL}, 400, "messages"),
    ({"model": MODEL, "messages": []}, 400, "messages"),
    ({"model": MODEL, "messages": "hi"}, 400, "messages"),
    ({"model": MODEL, "messages": [{"role": "wizard", "content": "x"}]}, 400, "messages"),
    ({"model": MODEL, "messages": [{"role": "user", "content": 3}]}, 400, "messages"),
    ({"messages": [{"role": "user", "content": "x"}]}, 400, "model"),
    ({"model": MODEL, "messages": [{"role": "user", "content": "x"}], "temperature": "hot"}, 400, "temperature"),
    ({"model": MODEL, "messages": [{"role": "user", "content": "x"}], "max_tokens": 0}, 400, "max_tokens"),
    ({"model": MODEL, "messages": [{"role": "user", "content": "x"}], "n": 9}, 400, "n"),
    ({"model": MODEL, "messages": [{"role": "user", "content": "x"}], "stop": [1]}, 400, "stop"),
    ({"model": MODEL, "messages": [{"role": "user", "content": "x"}], "stream": "yes"}, 400, "stream"),
    ({"model": "no-such-model", "messages": [{"role": "user", "content": "x"}]}, 404, "model"),
])
def test_malformed_requests_get_openai_errors(llm, body, status, param):
    openai_error(llm.post("/v1/chat/completions", json=body), status, param)


def test_context_overflow_is_a_400_for_streams_too(llm):
    long_prompt = "hello " * (2 * CONTEXT)
    for stream in (False, True):
        error = openai_error(chat(llm, long_prompt, stream=stream), 400)
        assert "maximum context length" in error["message"]
    error = openai_error(chat(llm, "hi", max_tokens=CONTEXT), 400)
    assert "max_tokens" in error["message"]
    openai_error(llm.post("/v1/chat/completions", data=b"{not json", headers={"Content-Type": "application/json"}), 400)
    openai_error(llm.post("/v1/embeddings", json={"model": MODEL, "input": [1.5, 2]}), 400, "input")


def test_json_schema_response_format_gives_an_instance_of_the_schema(llm):
    # Enums and booleans only: a random model cannot run on forever inside a string or a number.
    schema = {"type": "object", "required": ["answer", "ok"],
              "properties": {"answer": {"enum": ["yes", "no"]}, "ok": {"type": "boolean"},
                             "detail": {"type": "object", "properties": {"level": {"enum": [1, 2, 3]}}}}}
    for temperature in (0, 1.0):
        r = chat(llm, "Answer in JSON", max_tokens=64, temperature=temperature, seed=7,
                 response_format={"type": "json_schema", "json_schema": {"name": "answer", "schema": schema}})
        assert r.status_code == 200, r.text
        choice = r.json()["choices"][0]
        assert choice["finish_reason"] == "stop"
        value = json.loads(choice["message"]["content"])
        # Required properties are always written; an optional one ("detail") may be left out.
        assert {"answer", "ok"} <= set(value) <= {"answer", "ok", "detail"} and value["answer"] in ("yes", "no")
        assert isinstance(value["ok"], bool)
        assert "detail" not in value or value["detail"].get("level", 1) in (1, 2, 3)
    bad = {"type": "json_schema", "json_schema": {"name": "x", "schema": {"type": "integer", "multipleOf": 2}}}
    error = openai_error(chat(llm, "x", response_format=bad), 400, "response_format")
    assert "multipleOf" in error["message"]


def test_greedy_output_is_the_same_alone_and_with_15_others(llm):
    prompts = [f"Request number {i}: tell me about topic {i * 7}" for i in range(16)]
    alone = chat(llm, prompts[0], max_tokens=24).json()["choices"][0]["message"]["content"]
    with concurrent.futures.ThreadPoolExecutor(16) as pool:
        together = list(pool.map(lambda p: chat(llm, p, max_tokens=24).json(), prompts))
    assert together[0]["choices"][0]["message"]["content"] == alone
    # The others ran at the same time as the first (continuous batching), visible in the counters.
    assert all(t["usage"]["completion_tokens"] > 0 for t in together)


def read_first_chunk_and_hang_up(llm, content):
    host, port = llm.host_port
    body = json.dumps({"model": MODEL, "messages": [{"role": "user", "content": content}], "max_tokens": 200,
                       "temperature": 0.8, "stream": True}).encode()
    with socket.create_connection((host, port), timeout=60) as s:
        s.sendall(b"POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                  b"Authorization: Bearer " + llm.admin_key.encode() + b"\r\n"
                  b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body)
        received = b""
        while b"data: " not in received:
            chunk = s.recv(4096)
            assert chunk, "connection closed before the first chunk"
            received += chunk
        assert received.startswith(b"HTTP/1.1 200")


def wait_for(condition, what, timeout_s=30):
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


def test_100_cancelled_streams_leave_nothing_behind(llm):
    for i in range(100):
        read_first_chunk_and_hang_up(llm, f"cancel me {i}")
    wait_for(lambda: metric(llm, "maas_llm_streams_open") == 0, "streams to close")
    wait_for(lambda: metric(llm, "maas_llm_requests_running") == 0, "sequences to end")
    assert metric(llm, "maas_llm_kv_cache_usage_ratio") == 0
    cancelled = [l for l in llm.get("/metrics").text.splitlines()
                 if l.startswith("maas_llm_requests_total") and 'result="cancelled"' in l]
    assert cancelled and float(cancelled[0].rsplit(" ", 1)[1]) >= 100
    # Every slot is free again: 16 generations at once all finish.
    with concurrent.futures.ThreadPoolExecutor(16) as pool:
        results = list(pool.map(lambda i: chat(llm, f"after {i}", max_tokens=4).status_code, range(16)))
    assert results == [200] * 16


def test_a_service_over_a_language_model_is_called_by_its_name(llm):
    version = llm.get(f"/api/v1/models/{MODEL}").json()["latest_version"]
    r = llm.post("/api/v1/services", json={"name": "assistant", "routes": [{"model": MODEL, "version": version}]})
    assert r.status_code == 201, r.text
    body = {"model": "assistant", "messages": [{"role": "user", "content": "hi"}], "temperature": 0, "max_tokens": 4}
    r = llm.post("/v1/chat/completions", json=body)
    assert r.status_code == 200, r.text
    assert r.headers["x-maas-model-version"] == str(version)
    r = llm.post("/v1/chat/completions", json=body, headers={"x-maas-version": "99"})
    assert r.status_code == 404 and r.json()["error"]["param"] == "model"
    assert llm.delete("/api/v1/services/assistant").status_code == 204


def test_a_tokens_per_minute_limit_admits_until_the_generations_used_it_up(llm):
    # 60 tokens a minute (one a second): requests are admitted while the bucket is not empty and each generation's
    # prompt + completion tokens are charged when it ends, so the bucket runs into debt and the next is a 429.
    version = llm.get(f"/api/v1/models/{MODEL}").json()["latest_version"]
    r = llm.post("/api/v1/services", json={"name": "metered", "routes": [{"model": MODEL, "version": version}],
                                           "rate_limit": {"tpm": 60}})
    assert r.status_code == 201, r.text
    body = {"model": "metered", "messages": [{"role": "user", "content": "count to ten"}], "temperature": 0,
            "max_tokens": 8}
    used, remaining = [], []
    started = time.monotonic()
    for _ in range(30):
        r = llm.post("/v1/chat/completions", json=body)
        if r.status_code != 200:
            break
        used.append(r.json()["usage"]["total_tokens"])
        remaining.append(int(r.headers["x-ratelimit-remaining-tokens"]))
        assert r.headers["x-ratelimit-limit-tokens"] == "60"
    elapsed = time.monotonic() - started
    error = openai_error(r, 429)
    assert error["type"] == "rate_limit_error", error
    assert "tokens/min" in error["message"]
    assert int(r.headers["Retry-After"]) >= 1 and r.headers["x-ratelimit-remaining-tokens"] == "0"
    # Refused only once what was used reached the limit (plus what refilled meanwhile), and not later than that.
    refilled = elapsed * 60 / 60
    assert sum(used) >= 60 - 1, used
    assert sum(used[:-1]) < 60 + refilled + 1, (used, elapsed)
    assert remaining == sorted(remaining, reverse=True) or refilled > 1, remaining
    rejections = [line for line in llm.get("/metrics").text.splitlines()
                  if line.startswith("maas_gateway_rejections_total{") and 'service="metered"' in line]
    assert len(rejections) == 1 and 'reason="token_limit_service"' in rejections[0] and rejections[0].endswith(" 1"), \
        rejections
    assert llm.delete("/api/v1/services/metered").status_code == 204
