# Held out (second set): templates written after the algorithm was frozen, never used to tune it.
include ../kv.tpl
T 10 | @{frag:ts} level=info msg="cache hit" key=@{pick:user|session|cart}:@{int:1..99999} age=@{int:1..3600}s
T 8 | @{frag:ts} level=warn msg="request canceled" method=@{pick:GET|POST} path=@{pick:#path|/login} after=@{int:1..30000}ms
T 5 | @{frag:ts} level=info msg="tls handshake failed" client=@{ip} err="@{pick:remote error: tls: bad certificate|EOF|tls: first record does not look like a TLS handshake}"
T 4 | @{frag:ts} level=error msg="queue full, dropping message" queue=@{pick:events|audit} size=@{int:1000..10000}
T 3 | @{frag:ts} level=info msg="leader elected" node=@{pick:node-1|node-2|node-3} term=@{int:1..999}
T 2 | @{frag:ts} level=debug msg="gc finished" pause_ms=@{float:0..99:2} heap_mb=@{int:50..4000}
