# Held out (fourth set): written before the changes of data/brain, never used to tune it.
# An API gateway's pipe-delimited access rows (no header): "ts|node|kind|fields...".
system gateway
frag ts @{time:%Y-%m-%dT%H:%M:%S}.@{int:0..999:pad3}Z
default node=gw-@{int:1..6}
pool routes /api/v1/orders /api/v1/users /api/v1/cart /health /api/v2/search
pool tenants acme globex initech umbrella
T 60 | @{frag:ts}|@{$node}|req|@{pick:GET|POST|PUT}|@{word:routes}|@{pick:200|201|204|400|404|500}|@{int:1..5000}ms|@{word:tenants}
T 30 | @{frag:ts}|@{$node}|ratelimit|@{word:tenants}|@{int:100..1000}/min|rejected
T 20 | @{frag:ts}|@{$node}|auth|token_expired|@{word:tenants}|sub=@{uuid}
T 15 | @{frag:ts}|@{$node}|auth|invalid_signature|@{word:tenants}|kid=@{hex:16}
T 12 | @{frag:ts}|@{$node}|upstream|@{ipport}|timeout|@{int:1000..30000}ms
T 10 | @{frag:ts}|@{$node}|upstream|@{ipport}|reset|attempt=@{int:1..3}
T 8 | @{frag:ts}|@{$node}|cache|@{word:routes}|hit_ratio=@{float:0..1:3}|size=@{int:0..99999}
T 5 | @{frag:ts}|@{$node}|config|reloaded|routes=@{int:10..99}|version=@{int:1..9999}
T 4 | @{frag:ts}|@{$node}|cert|renewed|expires=@{time:%Y-%m-%d}
