# Held out (third set): templates written before the algorithm changes of data/discovery2, never used to tune it.
include ../jsonl.tpl
T 12 | {@{frag:ts},"level":"info","logger":"worker","msg":"job finished","job_id":"@{uuid}","duration_ms":@{int:1..90000},"ok":@{pick:true|false}}
T 10 | {@{frag:ts},"level":"error","logger":"http","msg":"upstream timeout","upstream":"@{ip}:@{port}","after_ms":@{int:1000..30000}}
T 8 | {@{frag:ts},"level":"info","logger":"auth","msg":"token refreshed","user":"@{word:users}","expires_in":@{int:300..3600}}
T 6 | {@{frag:ts},"level":"warn","logger":"queue","msg":"backlog growing","queue":"@{pick:emails|webhooks|exports}","depth":@{int:100..50000}}
T 4 | {@{frag:ts},"level":"info","logger":"main","msg":"config reloaded","changed":["@{pick:timeout|workers|log_level|cache_ttl}"]}
