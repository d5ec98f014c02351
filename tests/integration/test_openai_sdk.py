"""The official openai npm SDK against maasd (tests/js/openai_sdk.test.mjs and openai_fields.test.mjs, run with
node's test runner)."""
import os
import shutil
import subprocess

import pytest

from conftest import ROOT
from llm_server import EMBEDDING_LENGTH, MODEL, start_llm_server

JS = ROOT / "tests" / "js"


def test_openai_sdk(tmp_path):
    if not (JS / "node_modules" / "openai").exists() or not shutil.which("node"):
        pytest.skip("the openai npm package is not installed (scripts/setup.sh runs npm ci in tests/js)")
    server = start_llm_server(tmp_path / "data", {"max_sequences": 4, "context": 512, "max_choices": 4})
    try:
        env = dict(os.environ, MAAS_URL=server.url, MAAS_API_KEY=server.admin_key, MAAS_MODEL=MODEL,
                   MAAS_EMBEDDING_LENGTH=str(EMBEDDING_LENGTH))
        files = [str(JS / "openai_sdk.test.mjs"), str(JS / "openai_fields.test.mjs")]
        run = subprocess.run(["node", "--test", "--test-reporter=spec", *files], env=env,
                             capture_output=True, text=True, timeout=300)
        assert run.returncode == 0, run.stdout + run.stderr + server.log()
    finally:
        assert server.stop() == 0, server.log()
