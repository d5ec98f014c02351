# Held out (third set): templates written before the algorithm changes of data/discovery2, never used to tune it.
include ../kv.tpl
T 12 | @{frag:ts} level=info msg="job finished" job=@{pick:export|import|reindex|cleanup} id=@{uuid} took=@{float:0..90:3}s
T 10 | @{frag:ts} level=error msg="upstream timeout" upstream=@{ipport} after=@{int:1..30}s
T 8 | @{frag:ts} level=info msg="user signed in" user=@{word:users} method=@{pick:password|sso|token}
T 6 | @{frag:ts} level=warn msg="retrying request" attempt=@{int:1..5} err="connection reset by peer"
T 4 | @{frag:ts} level=info msg="shutting down" signal=@{pick:SIGTERM|SIGINT} inflight=@{int:0..50}
