"""`maas rules ...` against a real maasd: save a rule from a file (and a new version), list, show, test it on a sample
of lines, and run it over a pushed source with --watch into a dataset."""
import json

from cli_driver import INVALID_INPUT, cli_for


def test_rules_from_the_command_line(maasd_factory, tmp_path):
    server = maasd_factory().start()
    cli = cli_for(server)
    rule = tmp_path / "rule.json"
    rule.write_text(json.dumps({"type": "grok", "pattern": "^%{WORD:user} took %{INT:ms:int}ms$"}))
    assert cli.json("rules", "save", "timing", "--rule-file", rule)["version"] == 1
    assert cli.json("rules", "save", "timing", "--rule-file", rule, "--description", "v2")["version"] == 2
    assert [r["name"] for r in cli.json("rules", "list")["rules"]] == ["timing"]
    assert cli.json("rules", "show", "timing", "--version", "1")["version"] == 1
    assert "grok" in cli.ok("rules", "list").stdout

    lines = tmp_path / "lines.txt"
    lines.write_text("ann took 12ms\nbob took many ms\n")
    answer = cli.json("rules", "test", "--name", "timing", "--lines", lines)
    assert answer["rows"] == [["ann", 12]] and answer["rows_rejected"] == 1
    shown = cli.ok("rules", "test", "--rule-file", rule, "--lines", lines).stdout
    assert "1 rows produced, 1 rejected" in shown and "NO_MATCH" in shown

    cli.ok("sources", "create", "timings", "--kind", "push")
    rows = tmp_path / "rows.jsonl"
    rows.write_text('{"line": "cy took 3ms"}\n{"line": "dee took 4ms"}\n')
    cli.ok("sources", "push", "timings", rows)
    result = cli.ok("rules", "run", "timing", "--source", "timings", "--into", "parsed", "--watch")
    assert "succeeded" in result.stdout
    assert cli.json("datasets", "show", "parsed")["versions"][0]["row_count"] == 2

    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"type": "regex", "pattern": "(?P<a>[x-"}))
    cli.fails(INVALID_INPUT, "rules", "save", "broken", "--rule-file", bad)
