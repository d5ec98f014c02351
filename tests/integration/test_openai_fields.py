"""OpenAI's request fields beyond the basics, against a real maasd and maas-worker serving the tiny random-weight
GGUF model: logprobs (chat and legacy shapes, whole and streamed), logit_bias, n > 1, prompt arrays and token-id
prompts, echo, embeddings' token-id inputs and dimensions, and a 400 naming each field maas refuses (nothing is
accepted and ignored)."""
import json
import math

import pytest

from llm_server import EMBEDDING_LENGTH, MODEL, metric, start_llm_server

PROMPT = "The history of the city begins"


@pytest.fixture(scope="module")
def llm(tmp_path_factory):
    server = start_llm_server(tmp_path_factory.mktemp("llm") / "data",
                              {"max_sequences": 8, "context": 256, "threads": 2, "max_choices": 8})
    yield server
    assert server.stop() == 0, server.log()


def chat(llm, content="Tell me a story", **kw):
    body = {"model": MODEL, "messages": [{"role": "user", "content": content}], "temperature": 0, "max_tokens": 8}
    body.update(kw)
    r = llm.post("/v1/chat/completions", json=body)
    assert r.status_code == 200, r.text
    return r.json()


def complete(llm, prompt=PROMPT, **kw):
    body = {"model": MODEL, "prompt": prompt, "temperature": 0, "max_tokens": 8}
    body.update(kw)
    r = llm.post("/v1/completions", json=body)
    assert r.status_code == 200, r.text
    return r.json()


def sse(response):
    assert response.status_code == 200, response.text
    events = []
    # Split on newlines only: generated text may hold other line separators (which splitlines() also cuts at).
    for line in response.content.decode("utf-8").split("\n"):
        if line.startswith("data: ") and line != "data: [DONE]":
            events.append(json.loads(line[len("data: "):]))
    return events


def refused(response, param, code=None):
    assert response.status_code == 400, response.text
    error = response.json()["error"]
    assert error["param"] == param, error
    assert error["message"], error
    if code:
        assert error["code"] == code, error
    return error


# --- logprobs ---------------------------------------------------------------------------------------------------

def test_greedy_chat_logprobs_pick_the_top_token_and_form_a_distribution(llm):
    r = chat(llm, logprobs=True, top_logprobs=5)
    content = r["choices"][0]["logprobs"]["content"]
    assert len(content) == r["usage"]["completion_tokens"]
    text = b"".join(bytes(entry["bytes"]) for entry in content).decode("utf-8", "replace")
    assert text == r["choices"][0]["message"]["content"]
    for entry in content:
        top = entry["top_logprobs"]
        assert len(top) == 5
        assert [t["logprob"] for t in top] == sorted((t["logprob"] for t in top), reverse=True)
        # Greedy decoding: the chosen token is the most likely one, and its logprob is the maximum.
        assert top[0]["bytes"] == entry["bytes"] and top[0]["logprob"] == pytest.approx(entry["logprob"])
        assert all(t["logprob"] <= 0 for t in top)
        assert sum(math.exp(t["logprob"]) for t in top) <= 1 + 1e-6
    # The same request gives the same numbers; without logprobs the field is null.
    assert chat(llm, logprobs=True, top_logprobs=5)["choices"][0]["logprobs"] == r["choices"][0]["logprobs"]
    assert chat(llm)["choices"][0]["logprobs"] is None


def test_streamed_chat_logprobs_equal_the_whole_ones(llm):
    whole = chat(llm, logprobs=True, top_logprobs=2)["choices"][0]["logprobs"]["content"]
    events = sse(llm.post("/v1/chat/completions", json={
        "model": MODEL, "messages": [{"role": "user", "content": "Tell me a story"}], "temperature": 0,
        "max_tokens": 8, "logprobs": True, "top_logprobs": 2, "stream": True}))
    streamed = [e for ev in events for c in ev["choices"] if c.get("logprobs") for e in c["logprobs"]["content"]]
    assert streamed == whole


def test_legacy_completion_logprobs_shape(llm):
    r = complete(llm, logprobs=3)
    lp = r["choices"][0]["logprobs"]
    n = r["usage"]["completion_tokens"]
    assert len(lp["tokens"]) == len(lp["token_logprobs"]) == len(lp["top_logprobs"]) == len(lp["text_offset"]) == n
    assert lp["text_offset"][0] == 0 and lp["text_offset"] == sorted(lp["text_offset"])
    for token, logprob, top in zip(lp["tokens"], lp["token_logprobs"], lp["top_logprobs"]):
        assert 1 <= len(top) <= 3  # a dict: tokens with the same text collapse
        assert logprob == pytest.approx(max(top.values()))
        assert token in top


# --- logit_bias ----------------------------------------------------------------------------------------------------

VOCAB = 32000  # the tiny model's tokenizer (ggml-vocab-llama-spm)
MAX_BIAS = 1024


def first_text(llm, bias):
    return complete(llm, max_tokens=1, logit_bias={str(i): v for i, v in bias.items()})["choices"][0]["text"]


def test_logit_bias_bans_the_greedy_token_and_forces_another(llm):
    base = complete(llm, max_tokens=1, logprobs=2)["choices"][0]
    top = base["logprobs"]["top_logprobs"][0]
    greedy, runner_up = base["text"], min(top, key=top.get)
    # Find the greedy token's id by banning ranges of ids (at most 1,024 per request) and narrowing down.
    lo, hi = None, None
    for start in range(0, VOCAB, MAX_BIAS):
        ids = range(start, min(start + MAX_BIAS, VOCAB))
        if first_text(llm, {i: -100 for i in ids}) != greedy:
            lo, hi = ids.start, ids.stop
            break
    assert lo is not None, "banning no range of ids changed the greedy token"
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if first_text(llm, {i: -100 for i in range(lo, mid)}) != greedy:
            hi = mid
        else:
            lo = mid
    banned = first_text(llm, {lo: -100})
    assert banned != greedy
    assert banned == runner_up  # with the top token banned, greedy takes the second most likely
    # +100 forces a token: every one of three generated tokens is it.
    forced_id = (lo + 1000) % VOCAB
    piece = complete(llm, prompt=[forced_id], max_tokens=1, echo=True)["choices"][0]["text"]
    after = complete(llm, prompt=[forced_id], max_tokens=1)["choices"][0]["text"]
    piece = piece[:len(piece) - len(after)]  # the echoed token's text alone
    forced = complete(llm, max_tokens=3, logit_bias={str(forced_id): 100})["choices"][0]["text"]
    assert forced == piece * 3, (forced, piece)


def test_logit_bias_with_a_token_outside_the_vocabulary_is_a_400(llm):
    r = llm.post("/v1/completions", json={"model": MODEL, "prompt": "x", "logit_bias": {str(VOCAB + 5): 1}})
    refused(r, "logit_bias")
    assert "vocabulary" in r.json()["error"]["message"]


# --- n, prompt arrays, token-id prompts, echo -----------------------------------------------------------------------

def test_greedy_n_gives_n_copies_of_the_n_1_answer(llm):
    one = chat(llm, max_tokens=12)["choices"][0]["message"]["content"]
    r = chat(llm, max_tokens=12, n=3)
    assert [c["index"] for c in r["choices"]] == [0, 1, 2]
    assert [c["message"]["content"] for c in r["choices"]] == [one] * 3
    assert r["usage"]["prompt_tokens"] == chat(llm, max_tokens=12)["usage"]["prompt_tokens"]  # counted once


def test_n_choices_copy_the_prompts_kv_cells_instead_of_reading_it_n_times(llm):
    prompt = "A prompt no slot has read before: " + " ".join(f"word{i}" for i in range(40))
    before = metric(llm, "maas_llm_cached_prompt_tokens_total")
    r = complete(llm, prompt=prompt, n=3, max_tokens=6)
    prompt_tokens = r["usage"]["prompt_tokens"]
    assert prompt_tokens > 40
    # The first choice reads the prompt (an idle slot may hold its first tokens, BOS at least); the other two copy
    # its cells and read only the last token.
    assert metric(llm, "maas_llm_cached_prompt_tokens_total") - before >= 2 * (prompt_tokens - 1)
    assert len({c["text"] for c in r["choices"]}) == 1


def test_sampled_n_with_a_seed_is_reproducible_and_the_choices_differ(llm):
    kw = {"temperature": 1.0, "seed": 11, "n": 3, "max_tokens": 16}
    a = [c["message"]["content"] for c in chat(llm, **kw)["choices"]]
    b = [c["message"]["content"] for c in chat(llm, **kw)["choices"]]
    assert a == b
    assert len(set(a)) > 1  # choice j samples with seed + j
    # Choice j equals a single request with seed + j.
    assert chat(llm, **{**kw, "n": 1, "seed": 12})["choices"][0]["message"]["content"] == a[1]


def test_streamed_n_chunks_carry_their_index(llm):
    body = {"model": MODEL, "messages": [{"role": "user", "content": "hi"}], "temperature": 0, "max_tokens": 6,
            "n": 2, "stream": True}
    texts, finishes = {}, {}
    for event in sse(llm.post("/v1/chat/completions", json=body)):
        for c in event["choices"]:
            texts[c["index"]] = texts.get(c["index"], "") + (c["delta"].get("content") or "")
            if c["finish_reason"]:
                finishes[c["index"]] = c["finish_reason"]
    assert set(texts) == {0, 1} and texts[0] == texts[1] and set(finishes) == {0, 1}


def test_n_times_prompts_beyond_max_choices_is_a_400(llm):
    refused(llm.post("/v1/completions", json={"model": MODEL, "prompt": ["a", "b", "c"], "n": 3}), "n")


def test_prompt_arrays_give_choices_in_prompt_times_n_order(llm):
    prompts = ["Once upon a time", "In the beginning"]
    singles = [complete(llm, prompt=p)["choices"][0]["text"] for p in prompts]
    r = complete(llm, prompt=prompts, n=2)
    assert [c["index"] for c in r["choices"]] == [0, 1, 2, 3]
    assert [c["text"] for c in r["choices"]] == [singles[0], singles[0], singles[1], singles[1]]


def test_token_id_prompts_and_echo(llm):
    ids = [1, 450, 3186, 310, 278, 4272]  # BOS and five tokens
    r = complete(llm, prompt=ids, echo=True)
    assert r["usage"]["prompt_tokens"] == len(ids)
    echoed = r["choices"][0]["text"]
    plain = complete(llm, prompt=ids)["choices"][0]["text"]
    assert echoed.endswith(plain) and len(echoed) > len(plain)
    assert complete(llm, prompt="Hello", echo=True)["choices"][0]["text"].startswith("Hello")
    arrays = complete(llm, prompt=[ids, ids[:3]])
    assert arrays["choices"][0]["text"] == plain and len(arrays["choices"]) == 2
    refused(llm.post("/v1/completions", json={"model": MODEL, "prompt": [VOCAB + 1]}), "prompt")
    refused(llm.post("/v1/completions", json={"model": MODEL, "prompt": [[]]}), "prompt")


# --- embeddings -------------------------------------------------------------------------------------------------------

def embed(llm, **kw):
    r = llm.post("/v1/embeddings", json={"model": MODEL, **kw})
    assert r.status_code == 200, r.text
    return [d["embedding"] for d in r.json()["data"]]


def test_embedding_dimensions_truncate_and_renormalise(llm):
    (full,) = embed(llm, input="a sentence")
    (short,) = embed(llm, input="a sentence", dimensions=16)
    assert len(full) == EMBEDDING_LENGTH and len(short) == 16
    norm = math.sqrt(sum(x * x for x in full[:16]))
    assert short == pytest.approx([x / norm for x in full[:16]], abs=1e-6)
    assert math.sqrt(sum(x * x for x in short)) == pytest.approx(1, abs=1e-5)
    refused(llm.post("/v1/embeddings", json={"model": MODEL, "input": "x", "dimensions": EMBEDDING_LENGTH + 1}),
            "dimensions")


def test_embedding_token_id_inputs(llm):
    ids = [1, 450, 3186]
    one = embed(llm, input=ids)
    two = embed(llm, input=[ids, ids[:2]])
    assert len(one) == 1 and len(two) == 2 and two[0] == pytest.approx(one[0])
    assert two[1] != pytest.approx(one[0])
    refused(llm.post("/v1/embeddings", json={"model": MODEL, "input": ["x", [1]]}), "input")
    refused(llm.post("/v1/embeddings", json={"model": MODEL, "input": [VOCAB]}), "input")


# --- refused fields -----------------------------------------------------------------------------------------------

CHAT = {"model": MODEL, "messages": [{"role": "user", "content": "x"}], "max_tokens": 1}
REFUSED = [
    ("/v1/chat/completions", {"tools": [{"type": "function", "function": {"name": "bad name"}}]}, "tools", None),
    ("/v1/chat/completions", {"tools": [{"type": "function", "function": {"name": "f", "parameters": []}}]}, "tools", None),
    ("/v1/chat/completions", {"tool_choice": "required"}, "tool_choice", None),
    ("/v1/chat/completions", {"tools": [{"type": "function", "function": {"name": "f"}}],
                              "tool_choice": {"type": "function", "function": {"name": "g"}}}, "tool_choice", None),
    ("/v1/chat/completions", {"parallel_tool_calls": "yes"}, "parallel_tool_calls", None),
    ("/v1/chat/completions", {"tools": [{"type": "function", "function": {"name": "f"}}],
                              "response_format": {"type": "json_object"}}, "response_format", None),
    ("/v1/chat/completions", {"functions": [{"name": "f"}]}, "functions", "unsupported_parameter"),
    ("/v1/chat/completions", {"function_call": "auto"}, "function_call", "unsupported_parameter"),
    ("/v1/chat/completions", {"audio": {"voice": "alloy", "format": "mp3"}}, "audio", "unsupported_parameter"),
    ("/v1/chat/completions", {"modalities": ["text", "audio"]}, "modalities", "unsupported_parameter"),
    ("/v1/chat/completions", {"prediction": {"type": "content", "content": "x"}}, "prediction", "unsupported_parameter"),
    ("/v1/chat/completions", {"reasoning_effort": "low"}, "reasoning_effort", "unsupported_parameter"),
    ("/v1/chat/completions", {"verbosity": "low"}, "verbosity", "unsupported_parameter"),
    ("/v1/chat/completions", {"web_search_options": {}}, "web_search_options", "unsupported_parameter"),
    ("/v1/chat/completions", {"prompt_cache_retention": "24h"}, "prompt_cache_retention", "unsupported_parameter"),
    ("/v1/chat/completions", {"store": True}, "store", "unsupported_parameter"),
    ("/v1/chat/completions", {"service_tier": "flex"}, "service_tier", "unsupported_parameter"),
    ("/v1/chat/completions", {"no_such_field": 1}, "no_such_field", "unknown_parameter"),
    ("/v1/chat/completions", {"top_logprobs": 3}, "top_logprobs", None),
    ("/v1/chat/completions", {"logprobs": True, "top_logprobs": 21}, "top_logprobs", None),
    ("/v1/chat/completions", {"logit_bias": {"x": 1}}, "logit_bias", None),
    ("/v1/chat/completions", {"logit_bias": {"5": 101}}, "logit_bias", None),
    ("/v1/completions", {"prompt": "x", "suffix": "y"}, "suffix", None),
    ("/v1/completions", {"prompt": "x", "best_of": 2}, "best_of", None),
    ("/v1/completions", {"prompt": "x", "echo": True, "logprobs": 1}, "echo", None),
    ("/v1/completions", {"prompt": "x", "tools": []}, "tools", "unknown_parameter"),
    ("/v1/embeddings", {"input": "x", "dimensions": 0}, "dimensions", None),
    ("/v1/embeddings", {"input": "x", "truncate": True}, "truncate", "unknown_parameter"),
]


@pytest.mark.parametrize("path, fields, param, code", REFUSED, ids=[f"{p}:{param}" for p, _, param, _ in REFUSED])
def test_a_field_maas_does_not_support_is_a_400_naming_it(llm, path, fields, param, code):
    base = CHAT if path == "/v1/chat/completions" else {"model": MODEL}
    refused(llm.post(path, json={**base, **fields}), param, code)


def test_fields_that_cannot_change_an_answer_and_nulls_are_accepted(llm):
    r = llm.post("/v1/chat/completions", json={**CHAT, "user": "u1", "safety_identifier": "s", "metadata": {"k": "v"},
                                               "prompt_cache_key": "k", "store": False, "service_tier": "auto",
                                               "modalities": ["text"], "tools": None, "tool_choice": None})
    assert r.status_code == 200, r.text
