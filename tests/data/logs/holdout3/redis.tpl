# Held out (fourth set): written before the changes of data/brain, never used to tune it.
# Redis server log: "pid:role dd Mon yyyy hh:mm:ss.ms mark message".
system Redis
header @{int:1..99999}:@{$role} @{time:%d %b %Y %H:%M:%S}.@{int:0..999:pad3} @{$mark}
default role=M mark=*
T 40 | @{int:1..10000} changes in @{int:1..3600} seconds. Saving...
T 38 | Background saving started by pid @{int:1000..99999}
T 36 role=C | DB saved on disk
T 34 role=C | Fork CoW for RDB: current @{int:0..99} MB, peak @{int:0..99} MB, average @{int:0..99} MB
T 33 | Background saving terminated with success
T 20 role=S | MASTER <-> REPLICA sync started
T 18 role=S | Connecting to MASTER @{ip}:6379
T 16 role=S | Partial resynchronization not possible (no cached master)
T 14 role=S | MASTER <-> REPLICA sync: receiving @{int:100..999999999} bytes from master to disk
T 12 | Replica @{ip}:6379 asks for synchronization
T 10 | Synchronization with replica @{ip}:6379 succeeded
T 8 mark=# | Client id=@{int:1..999999} addr=@{ip}:@{port} laddr=@{ip}:6379 fd=@{int:5..999} name= age=@{int:0..99999} idle=@{int:0..9999} flags=N db=0 sub=0 psub=0 cmd=@{pick:get|set|hgetall|client} scheduled to be closed ASAP for overcoming of output buffer limits.
T 6 mark=# | WARNING: The TCP backlog setting of 511 cannot be enforced because /proc/sys/net/core/somaxconn is set to the lower value of 128.
T 5 | Ready to accept connections tcp
T 4 mark=# | Server initialized
T 3 mark=# | Redis version=7.2.@{int:0..5}, bits=64, commit=00000000, modified=0, pid=@{int:1..99999}, just started
