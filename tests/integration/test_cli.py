"""The `maas` command-line client against a real maasd: the round trip from create to delete, pagination, the
documented exit codes, and `--output json` that parses.

The CLI binary is MAAS_CLI when set, else `maas` beside maasd in the build's bin directory."""
import hashlib
import json
import os
import pathlib
import subprocess

import pytest

from cli_driver import CONFLICT, INVALID_INPUT, NOT_FOUND, OK, UNAVAILABLE, USAGE, cli_for


@pytest.fixture
def cli(maasd):
    return cli_for(maasd)


@pytest.fixture(scope="session")
def xgboost_model(models_dir):
    """A real xgboost JSON model (breast cancer) from the shared fixtures."""
    manifest = json.loads((models_dir / "manifest.json").read_text())
    for entry in manifest["fixtures"]:
        if entry["accept"] and entry.get("format") == "xgboost-json":
            return models_dir / entry["file"]
    pytest.fail("the fixtures have no xgboost-json model")


def table_rows(stdout):
    """The lines of a table, header first, each split into its cells."""
    return [line.split() for line in stdout.splitlines() if line.strip()]


def test_round_trip_create_upload_list_show_alias_download_delete(cli, xgboost_model, tmp_path):
    created = cli.json("models", "create", "cancer", "--description", "breast cancer", "--tag", "team=risk")
    assert created["name"] == "cancer" and created["tags"] == {"team": "risk"}
    assert created["description"] == "breast cancer"

    upload = cli.run("--output", "json", "upload", xgboost_model, "--model", "cancer", "--framework", "xgboost",
                     "--description", "first cut")
    assert upload.returncode == OK, upload.stderr
    version = json.loads(upload.stdout)
    content = xgboost_model.read_bytes()
    assert version["version"] == 1
    assert version["digest"] == "sha256:" + hashlib.sha256(content).hexdigest()
    assert version["size_bytes"] == len(content)
    assert version["framework"] == "xgboost" and version["format"] == "xgboost-json"
    assert version["description"] == "first cut"
    # Not a terminal, so no progress bar, but always the summary line.
    assert "uploaded" in upload.stderr and "\r" not in upload.stderr

    rows = table_rows(cli.ok("models", "list").stdout)
    assert rows[0] == ["NAME", "VERSIONS", "LATEST", "ALIASES", "UPDATED"]
    assert [row[:3] for row in rows[1:]] == [["cancer", "1", "1"]]
    assert [m["name"] for m in cli.json("models", "list")["models"]] == ["cancer"]

    shown = cli.json("models", "show", "cancer")
    assert shown["version_count"] == 1 and shown["latest_version"] == 1

    rows = table_rows(cli.ok("versions", "list", "cancer").stdout)
    assert rows[0] == ["VERSION", "FRAMEWORK", "FORMAT", "STATE", "SIZE", "DIGEST", "ALIASES", "CREATED"]
    assert rows[1][:4] == ["1", "xgboost", "xgboost-json", "registered"]
    assert version["digest"].split(":")[1][:12] in rows[1]
    assert [v["version"] for v in cli.json("versions", "list", "cancer")["versions"]] == [1]

    alias = cli.json("alias", "set", "cancer", "champion", "1")
    assert alias == {"model": "cancer", "alias": "champion", "version": 1}
    assert cli.json("alias", "show", "cancer", "champion")["version"] == 1

    resolved = cli.json("versions", "show", "cancer@champion")
    assert resolved["version"] == 1 and "champion" in resolved["aliases"]
    assert cli.json("versions", "show", "cancer", "latest")["version"] == 1
    details = cli.ok("versions", "show", "cancer@champion").stdout
    assert "DIGEST:" in details and version["digest"] in details

    updated = cli.json("versions", "update", "cancer", "1", "--state", "ready", "--reason", "validated",
                       "--metric", "auc=0.97", "--tag", "owner=ml")
    assert updated["state"] == "ready"
    assert updated["metrics"] == {"auc": 0.97} and updated["tags"] == {"owner": "ml"}
    assert updated["state_history"][-1]["reason"] == "validated"

    downloads = tmp_path / "downloads"
    downloads.mkdir()
    target = downloads / "model.json"
    download = cli.run("versions", "download", "cancer@champion", "-o", target)
    assert download.returncode == OK, download.stderr
    assert target.read_bytes() == content
    assert [p.name for p in downloads.iterdir()] == ["model.json"]  # no temporary file left behind
    cli.fails(NOT_FOUND, "versions", "download", "cancer", "9", "-o", downloads / "missing.json")
    assert [p.name for p in downloads.iterdir()] == ["model.json"]

    # The alias still points at version 1, so the server refuses to delete it.
    cli.fails(CONFLICT, "versions", "delete", "cancer", "1")
    cli.ok("alias", "rm", "cancer", "champion")
    cli.fails(NOT_FOUND, "alias", "show", "cancer", "champion")

    # No terminal to ask on and no --yes: refuse rather than guess.
    refused = cli.fails(USAGE, "models", "delete", "cancer")
    assert "--yes" in refused.stderr
    cli.ok("models", "show", "cancer")

    cli.ok("models", "delete", "cancer", "--yes")
    cli.fails(NOT_FOUND, "models", "show", "cancer")


def test_upload_creates_a_missing_model_unless_told_not_to(cli, xgboost_model):
    cli.fails(NOT_FOUND, "upload", xgboost_model, "--model", "fresh", "--no-create")
    upload = cli.run("--output", "json", "upload", xgboost_model, "--model", "fresh")
    assert upload.returncode == OK, upload.stderr
    assert "created model 'fresh'" in upload.stderr
    assert json.loads(upload.stdout)["version"] == 1
    # The framework is detected from the bytes when not given, and the model now exists.
    assert cli.json("upload", xgboost_model, "-m", "fresh")["version"] == 2


def test_list_pages_and_all(cli):
    for name in ["a1", "a2", "a3", "b1", "b2"]:
        cli.ok("models", "create", name, "--tag", f"group={name[0]}")
    first = cli.ok("models", "list", "--limit", "2")
    assert [row[0] for row in table_rows(first.stdout)[1:]] == ["a1", "a2"]
    assert "--all" in first.stderr
    assert cli.json("models", "list", "--limit", "2")["next_page_token"]

    everything = cli.ok("models", "list", "--limit", "2", "--all")
    assert [row[0] for row in table_rows(everything.stdout)[1:]] == ["a1", "a2", "a3", "b1", "b2"]
    assert [m["name"] for m in cli.json("models", "list", "--limit", "2", "--all")["models"]] == [
        "a1", "a2", "a3", "b1", "b2"]

    assert [m["name"] for m in cli.json("models", "list", "--prefix", "b")["models"]] == ["b1", "b2"]
    assert [m["name"] for m in cli.json("models", "list", "--tag", "group=a")["models"]] == ["a1", "a2", "a3"]
    assert len(cli.json("models", "list", "--tag", "group")["models"]) == 5


def test_exit_codes_for_server_answers(cli, tmp_path):
    missing = cli.fails(NOT_FOUND, "models", "show", "nope")
    assert missing.stderr.startswith("error: ") and "(NOT_FOUND)" in missing.stderr
    cli.fails(NOT_FOUND, "versions", "show", "nope@champion")

    cli.ok("models", "create", "dup")
    conflict = cli.fails(CONFLICT, "models", "create", "dup")
    assert "(ALREADY_EXISTS)" in conflict.stderr

    # The server, not the client, owns the naming rule.
    cli.fails(INVALID_INPUT, "models", "create", "Not A Valid Name")

    junk = tmp_path / "random.bin"
    junk.write_bytes(os.urandom(4096))
    rejected = cli.fails(INVALID_INPUT, "upload", junk, "--model", "dup")
    assert "(INVALID_ARGUMENT)" in rejected.stderr
    assert cli.json("models", "show", "dup")["version_count"] == 0


@pytest.mark.parametrize("args", [
    ["models", "list", "--bogus"],
    ["models", "list", "--limit", "0"],
    ["models", "create"],
    ["models", "create", "x", "--tag", "novalue"],
    ["models"],
    ["frobnicate"],
    ["--output", "yaml", "health"],
    ["--timeout", "-1", "health"],
    ["alias", "set", "m", "champion", "two"],
    ["versions", "show", "m"],
    ["versions", "show", "m@1", "2"],
    ["versions", "update", "m", "1"],
    ["versions", "update", "m", "1", "--metric", "auc=high"],
    ["upload", "/nonexistent/model.json", "--model", "m"],
    ["upload", "/dev/null"],
])
def test_bad_flags_and_arguments_exit_2(cli, args):
    cli.fails(USAGE, *args)


def test_https_and_unreachable_servers(cli):
    https = cli.fails(USAGE, "health", server="https://127.0.0.1:1")
    assert "https is not supported" in https.stderr
    # Port 1 on loopback: nothing listens there, so the connection is refused at once.
    down = cli.fails(UNAVAILABLE, "health", server="http://127.0.0.1:1")
    assert "(UNAVAILABLE)" in down.stderr


def test_health_version_and_help(cli):
    assert cli.json("health") == {"status": "ok"}
    assert cli.ok("health").stdout.strip() == "status: ok"
    versions = cli.json("version")
    assert versions["client"]["version"] == versions["server"]["version"]
    help_text = cli.ok("--help").stdout
    assert "Exit codes:" in help_text and "7  authentication" in help_text
    for command in [["models", "list"], ["upload"], ["versions", "download"], ["alias", "set"], ["health"]]:
        assert "Usage:" in cli.ok(*command, "--help").stdout
