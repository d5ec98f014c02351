"""`maas services` and `maas keys` against a real maasd."""
from cli_driver import NOT_FOUND, USAGE, cli_for
from fixture_names import GOOD
from serving import register


def test_services_and_keys_from_the_cli(maasd, models_dir):
    cli = cli_for(maasd)
    register(maasd, "bc", models_dir / GOOD["xgboost-json"])
    assert maasd.upload("bc", models_dir / GOOD["xgboost-json"]).status_code == 201
    created = cli.json("services", "create", "ab", "--route", "bc:1=80", "--route", "bc:2=20", "--rps", "100")
    assert [(r["version"], r["weight"]) for r in created["status"]["routes"]] == [(1, 80), (2, 20)]
    assert created["rate_limit"] == {"rps": 100, "burst": 100}
    table = cli.ok("services", "list").stdout
    assert "ab" in table and "bc:1=80%" in table and "bc:2=20%" in table
    updated = cli.json("services", "update", "ab", "--route", "bc:2")
    assert [(r["version"], r["weight"]) for r in updated["status"]["routes"]] == [(2, 100)]
    assert "updated" in cli.ok("services", "events", "ab").stdout
    scaled = cli.json("services", "update", "ab", "--min-replicas", "0", "--max-replicas", "2",
                      "--target-concurrency", "4")
    assert scaled["autoscaling"]["min_replicas"] == 0 and scaled["autoscaling"]["max_replicas"] == 2
    assert scaled["autoscaling"]["target"] == {"metric": "concurrency", "value": 4}
    cli.fails(USAGE, "services", "create", "bad", "--route", "bc:1=heavy")
    cli.ok("services", "delete", "ab")
    cli.fails(NOT_FOUND, "services", "show", "ab")

    made = cli.json("keys", "create", "ci", "--role", "invoker", "--service", "ab")
    assert made["key"].startswith("maas_") and made["services"] == ["ab"]
    assert "shown only now" in cli.ok("keys", "create", "ops", "--role", "viewer").stdout
    listed = cli.json("keys", "list")["keys"]
    assert {k["name"] for k in listed} >= {"ci", "ops"} and all("key" not in k for k in listed)
    cli.ok("keys", "revoke", made["id"])
    assert [k["active"] for k in cli.json("keys", "list")["keys"] if k["id"] == made["id"]] == [False]
