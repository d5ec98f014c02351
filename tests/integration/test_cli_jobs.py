"""`maas jobs ...` against a real maasd with the test job kind (tests/jobs/steps_kind.cc)."""
import os
import select
import subprocess
import time

import pytest

from cli_driver import CONFLICT, INVALID_INPUT, NOT_FOUND, OK, USAGE, cli_for
from jobs_client import job, jobs_maasd, wait_for, wait_state


@pytest.fixture
def server(maasd_factory):
    s = jobs_maasd(maasd_factory).start()
    yield s
    assert s.stop() == 0, s.log()


def test_submit_list_show_logs_and_cancel(server, tmp_path):
    cli = cli_for(server)
    assert "test.steps" in cli.ok("jobs", "kinds").stdout
    submitted = cli.json("jobs", "submit", "test.steps", "--param", "steps=3", "--priority", "7")
    assert submitted["kind"] == "test.steps" and submitted["priority"] == 7 and submitted["params"]["steps"] == 3
    wait_state(server, submitted["id"], "succeeded")
    table = cli.ok("jobs", "list").stdout
    assert submitted["id"] in table and "succeeded" in table and "100%" in table
    shown = cli.ok("jobs", "show", submitted["id"]).stdout
    assert "STATE:" in shown and '"steps": 3' in shown
    logs = wait_for(lambda: (lambda out: out if "step 3 done" in out else None)(
        cli.ok("jobs", "logs", submitted["id"]).stdout), 10, "the job's log lines")
    assert "step 1 done" in logs and "job  info  step 1 done" in logs

    gate = tmp_path / "gate"
    held = cli.json("jobs", "submit", "test.steps", "--params", '{"steps": 2, "pause_at": 1, "gate": "%s"}' % gate)
    wait_for(lambda: job(server, held["id"])["progress"]["metrics"].get("step") == 1, 30, "step 1")
    cancelled = cli.json("jobs", "cancel", held["id"])
    assert cancelled["state"] in ("cancelling", "cancelled")
    wait_state(server, held["id"], "cancelled")
    cli.fails(CONFLICT, "jobs", "cancel", held["id"])
    cli.fails(NOT_FOUND, "jobs", "show", "j-nothere")
    cli.fails(INVALID_INPUT, "jobs", "submit", "no.such.kind")
    cli.fails(USAGE, "jobs", "submit", "test.steps", "--param", "steps=1", "--param", "steps=2")


def read_until(stream, phrase, deadline_s):
    """What `stream` prints up to the first `phrase` (the process still running). Read from its descriptor, so the
    text wrapper buffers nothing and its read() later returns the rest."""
    got, deadline = b"", time.monotonic() + deadline_s
    while phrase.encode() not in got:
        ready, _, _ = select.select([stream.fileno()], [], [], max(deadline - time.monotonic(), 0))
        assert ready, f"nothing holding {phrase!r} within {deadline_s} s; got {got!r}"
        chunk = os.read(stream.fileno(), 65536)
        assert chunk, f"the stream ended before {phrase!r}; got {got!r}"
        got += chunk
    return got.decode()


def finish(proc, first):
    """Waits for `proc`; its stdout, and its stderr after `first` (read before; the pipes are small)."""
    assert proc.wait(timeout=120) == OK, first + proc.stderr.read()
    return proc.stdout.read(), first + proc.stderr.read()


def test_watch_and_follow_end_with_the_job(server, tmp_path):
    cli = cli_for(server)
    gate = tmp_path / "gate"
    held = cli.json("jobs", "submit", "test.steps", "--params", '{"steps": 3, "pause_at": 2, "gate": "%s"}' % gate)
    wait_for(lambda: job(server, held["id"])["progress"]["metrics"].get("step") == 2, 30, "step 2")
    args = [str(cli.binary), "--server", server.url]
    watch = subprocess.Popen(args + ["jobs", "show", held["id"], "--watch"], env=cli.env, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
    follow = subprocess.Popen(args + ["jobs", "logs", held["id"], "--follow"], env=cli.env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
    # Both are attached while the job waits at step 2 (slow to start under a sanitizer): then it may go on.
    watched = read_until(watch.stderr, "66%  step 2", 60)
    followed = read_until(follow.stdout, "step 2 done", 60)
    gate.touch()
    out, err = finish(watch, watched)
    # Off a terminal the progress is one line per change on stderr; the job's details end on stdout.
    assert "[################........]  66%  step 2" in err and "STATE:" in out and "succeeded" in out
    rest, err = finish(follow, "")
    assert [l.split("  ")[-1] for l in (followed + rest).splitlines() if "step " in l and " done" in l] == \
        ["step 1 done", "step 2 done", "step 3 done"]
    assert f"job {held['id']} succeeded" in err

    failing = cli.json("jobs", "submit", "test.steps", "--param", "steps=1", "--param", "pause_at=0",
                       "--param", f"gate={tmp_path / 'never'}")
    wait_state(server, failing["id"], "running")
    cli.ok("jobs", "cancel", failing["id"])
    assert cli.run("jobs", "show", failing["id"], "--watch").returncode == 1, "a job that did not succeed"
