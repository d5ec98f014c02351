# logfmt (key=value) lines from a Go service: the msg is the template, other values are parameters.
system kv
frag ts time=@{time:%Y-%m-%dT%H:%M:%S}.@{int:0..999:pad3}Z
pool users alice bob carol dave erin frank grace heidi ivan judy
frag path /api/v1/@{pick:users|orders|carts|items}/@{int:1..99999}

T 60 | @{frag:ts} level=info msg="request completed" method=@{pick:GET|GET|GET|POST|PUT|DELETE} path=@{pick:#path|/healthz|/login|/metrics} status=@{pick:200|200|201|204|400|404|500} duration=@{int:1..900}ms request_id=@{uuid}
T 30 | @{frag:ts} level=debug msg="cache miss" key=@{pick:user|session|cart}:@{int:1..99999} ttl=@{int:60..3600}s
T 20 | @{frag:ts} level=warn msg="slow query" query_ms=@{int:500..9000} table=@{pick:orders|users|payments|sessions} rows=@{int:0..100000}
T 15 | @{frag:ts} level=error msg="upstream request failed" upstream=@{host}:@{port} error="@{pick:connection refused|i/o timeout|EOF|context deadline exceeded}" attempt=@{int:1..3}
T 10 | @{frag:ts} level=info msg="user logged in" user=@{word:users} ip=@{ip} method=@{pick:password|sso|token}
T 10 | @{frag:ts} level=debug msg="job finished" job=@{pick:cleanup|reindex|report|sync|backup} duration=@{float:0..99:2}s items=@{int:0..5000}
T 5 | @{frag:ts} level=info msg="config reloaded" version=@{int:1..400} changed_keys=@{int:0..12}
T 5 | @{frag:ts} level=error msg="panic recovered" error="runtime error: index out of range [@{int:0..9}] with length @{int:0..9}" stack_id=@{hex:8}
T 5 | @{frag:ts} level=info msg="health check" status=ok checks=@{int:3..5} latency=@{int:1..50}ms
T 5 | @{frag:ts} level=warn msg="rate limit exceeded" client=@{ip} limit=@{int:100..1000} window=60s
T 3 | @{frag:ts} level=info msg="shutting down" signal=SIGTERM
T 3 | @{frag:ts} level=info msg="server started" addr=:@{pick:8080|9090|8443} version=v@{int:1..2}.@{int:0..20}.@{int:0..9}
T 3 | @{frag:ts} level=info msg="connected to database" host=@{host} db=@{pick:orders|users} pool_size=@{int:5..50}
T 2 | @{frag:ts} level=warn msg="retrying publish" topic=@{pick:orders.created|orders.paid|users.deleted} attempt=@{int:1..5} backoff=@{int:100..5000}ms
T 2 | @{frag:ts} level=info msg="migration applied" name=@{int:1..60:pad4}_@{pick:add_index|create_table|drop_column} duration=@{int:1..900}ms
