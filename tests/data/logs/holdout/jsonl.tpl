# Held out (second set): templates written after the algorithm was frozen, never used to tune it.
include ../jsonl.tpl
T 10 | {@{frag:ts},"level":"info","logger":"cache","msg":"cache hit","key":"@{pick:user|session}:@{int:1..99999}","age_s":@{int:1..3600}}
T 8 | {@{frag:ts},"level":"warn","logger":"http","msg":"request canceled","method":"@{pick:GET|POST}","after_ms":@{int:1..30000}}
T 5 | {@{frag:ts},"level":"error","logger":"queue","msg":"queue full, dropping message","queue":"@{pick:events|audit}","size":@{int:1000..10000}}
T 4 | {@{frag:ts},"level":"info","logger":"raft","msg":"leader elected","node":"@{pick:node-1|node-2|node-3}","term":@{int:1..999}}
T 3 | {@{frag:ts},"level":"info","logger":"auth","msg":"password changed for user @{word:users}","ip":"@{ip}"}
T 2 | {@{frag:ts},"level":"debug","logger":"gc","msg":"gc finished","pause_ms":@{float:0..99:2},"heap_mb":@{int:50..4000}}
