"""`maas generate` and `maas chat` against a real maasd serving a tiny GGUF model: the streamed text equals what
the API answers, and chat keeps the conversation."""
import subprocess

from conftest import BIN_DIR
from llm_server import MODEL, start_llm_server


def maas(server, *args, stdin=None):
    return subprocess.run([str(BIN_DIR / "maas"), "--server", server.url, "--api-key", server.admin_key, *args],
                          input=stdin, capture_output=True, text=True, timeout=120)


def test_generate_and_chat_stream_what_the_api_answers(tmp_path):
    server = start_llm_server(tmp_path / "data", {"max_sequences": 2, "context": 512})
    try:
        expected = server.post("/v1/chat/completions", json={
            "model": MODEL, "messages": [{"role": "user", "content": "Tell me a story"}], "max_tokens": 10,
            "temperature": 0}).json()["choices"][0]["message"]["content"]
        run = maas(server, "generate", MODEL, "Tell me a story", "--max-tokens", "10", "--temperature", "0")
        assert run.returncode == 0, run.stderr
        assert run.stdout == expected + "\n"

        chat = maas(server, "chat", MODEL, "--max-tokens", "5", "--temperature", "0", stdin="hello\nand again\n")
        assert chat.returncode == 0, chat.stderr
        assert chat.stdout.count("\n") == 2 and chat.stderr.count("> ") == 3

        missing = maas(server, "generate", "no-such-model", "hi")
        assert missing.returncode == 3, missing.stderr
    finally:
        assert server.stop() == 0, server.log()
