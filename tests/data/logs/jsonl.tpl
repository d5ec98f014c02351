# JSON lines from a service: "msg" is the template (its words are mined), other fields are parameters.
system jsonl
frag ts "ts":"@{time:%Y-%m-%dT%H:%M:%S}.@{int:0..999:pad3}Z"
frag path /api/v1/@{pick:users|orders|carts}/@{int:1..99999}
pool users alice bob carol dave erin frank grace heidi ivan judy mallory

T 60 | {@{frag:ts},"level":"info","logger":"http","msg":"request completed","method":"@{pick:GET|GET|GET|POST|PUT|DELETE}","path":"@{pick:#path|/healthz|/login}","status":@{pick:200|200|201|204|404|500},"duration_ms":@{float:0..900:1},"request_id":"@{uuid}"}
T 30 | {@{frag:ts},"level":"debug","logger":"cache","msg":"cache miss","key":"@{pick:user|session|cart}:@{int:1..99999}","ttl_s":@{int:60..3600}}
T 20 | {@{frag:ts},"level":"warn","logger":"db","msg":"slow query","query_ms":@{int:500..9000},"table":"@{pick:orders|users|payments|sessions}","rows":@{int:0..100000}}
T 15 | {@{frag:ts},"level":"error","logger":"http","msg":"upstream request failed","upstream":"@{host}:@{port}","error":"@{pick:connection refused|i/o timeout|EOF}","attempt":@{int:1..3}}
T 10 | {@{frag:ts},"level":"info","logger":"auth","msg":"user @{word:users} logged in","ip":"@{ip}","mfa":@{pick:true|false}}
T 10 | {@{frag:ts},"level":"info","logger":"auth","msg":"user @{word:users} logged out","session_s":@{int:1..86400}}
T 8 | {@{frag:ts},"level":"debug","logger":"jobs","msg":"job finished","job":"@{pick:cleanup|reindex|report|sync}","duration_s":@{float:0..99:2},"items":@{int:0..5000}}
T 5 | {@{frag:ts},"level":"info","logger":"jobs","msg":"job @{pick:cleanup|reindex|report} scheduled","next_run":"@{time:%Y-%m-%dT%H:%M:%S}Z"}
T 5 | {@{frag:ts},"level":"error","logger":"worker","msg":"task failed","task_id":"@{uuid}","error":"@{pick:timeout|out of memory|exit status 1}","retries":@{int:0..5}}
T 5 | {@{frag:ts},"level":"info","logger":"http","msg":"server listening","addr":":@{pick:8080|9090}","tls":@{pick:true|false}}
T 3 | {@{frag:ts},"level":"warn","logger":"config","msg":"deprecated option used","option":"@{pick:timeout_ms|max_conns|legacy_auth}","replacement":"@{pick:timeout|pool.max|auth.mode}"}
T 3 | {@{frag:ts},"level":"info","logger":"metrics","msg":"flushed metrics","series":@{int:100..9000},"bytes":@{int:1000..900000}}
T 3 | {@{frag:ts},"level":"info","logger":"http","msg":"request","http":{"method":"@{pick:GET|POST}","status":@{pick:200|404},"bytes":@{int:0..90000}},"peer":{"ip":"@{ip}","port":@{port}}}
T 2 | {@{frag:ts},"level":"error","logger":"db","msg":"connection lost","db":"@{pick:orders|users}","reconnect_in_ms":@{int:100..5000},"tags":["@{pick:primary|replica}","@{pick:eu|us}"]}
