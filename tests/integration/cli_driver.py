"""Drives the `maas` binary in integration tests, with the exit-code contract of src/cli/README.md."""
import json
import os
import pathlib
import subprocess

CLI_TIMEOUT_S = 300

OK, USAGE, NOT_FOUND, CONFLICT, INVALID_INPUT, UNAVAILABLE = 0, 2, 3, 4, 5, 6


class Cli:
    """Runs the maas binary against one server, with no MAAS_* settings leaking in from the environment."""

    def __init__(self, binary, server_url, api_key=None):
        self.binary = pathlib.Path(binary)
        self.server_url = server_url
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("MAAS_")}
        if api_key:
            self.env["MAAS_API_KEY"] = api_key

    def run(self, *args, server=None):
        return subprocess.run([str(self.binary), "--server", server or self.server_url, *map(str, args)],
                              stdin=subprocess.DEVNULL, capture_output=True, text=True, env=self.env,
                              timeout=CLI_TIMEOUT_S)

    def ok(self, *args):
        result = self.run(*args)
        assert result.returncode == OK, f"maas {' '.join(map(str, args))}: rc={result.returncode}\n{result.stderr}"
        return result

    def json(self, *args):
        return json.loads(self.ok("--output", "json", *args).stdout)

    def fails(self, expected_rc, *args, server=None):
        result = self.run(*args, server=server)
        assert result.returncode == expected_rc, (
            f"maas {' '.join(map(str, args))}: rc={result.returncode}, wanted {expected_rc}\n"
            f"stdout: {result.stdout}\nstderr: {result.stderr}")
        if expected_rc != USAGE:
            assert "error: " in result.stderr, result.stderr
        return result


def cli_for(maasd):
    binary = pathlib.Path(os.environ.get("MAAS_CLI", maasd.bin_dir / "maas"))
    assert binary.exists(), f"no maas binary at {binary}: build the maas target or set MAAS_CLI"
    return Cli(binary, maasd.url, maasd.admin_key)
