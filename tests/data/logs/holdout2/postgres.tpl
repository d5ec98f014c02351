# Held out (third set): a new style, written before the algorithm changes of data/discovery2, never used to tune it.
system PostgreSQL
header @{time:%Y-%m-%d %H:%M:%S}.@{int:0..999:pad3} UTC [@{int:1000..99999}]@{$who} @{$level}:
default level=LOG who=
pool dbusers app reporting postgres replicator
pool dbs orders analytics postgres
pool tables orders customers payments line_items
T 40 | checkpoint starting: @{pick:time|wal|immediate}
T 35 | checkpoint complete: wrote @{int:0..9999} buffers (@{float:0..99:1}%); 0 WAL file(s) added, @{int:0..9} removed, @{int:0..9} recycled; write=@{float:0..300:3} s, sync=@{float:0..2:3} s, total=@{float:0..300:3} s; sync files=@{int:0..200}, longest=@{float:0..2:3} s, average=@{float:0..1:3} s; distance=@{int:0..99999} kB, estimate=@{int:0..99999} kB
T 30 who=~@{word:dbusers}@@{word:dbs} | duration: @{float:0..9999:3} ms  statement: SELECT * FROM @{word:tables} WHERE id = @{int:1..999999}
T 25 | automatic vacuum of table "@{word:dbs}.public.@{word:tables}": index scans: @{int:0..3}
T 20 who=~@{word:dbusers}@@{word:dbs} level=ERROR | duplicate key value violates unique constraint "@{word:tables}_pkey"
T 18 who=~@{word:dbusers}@@{word:dbs} level=DETAIL | Key (id)=(@{int:1..999999}) already exists.
T 15 who=~@{word:dbusers}@@{word:dbs} level=FATAL | password authentication failed for user "@{word:dbusers}"
T 12 | connection received: host=@{ip} port=@{port}
T 12 who=~@{word:dbusers}@@{word:dbs} | connection authorized: user=@{word:dbusers} database=@{word:dbs} application_name=@{pick:psql|pgAdmin|app}
T 10 who=~@{word:dbusers}@@{word:dbs} | disconnection: session time: @{int:0..23}:@{int:0..59:pad2}:@{float:0..59:3} user=@{word:dbusers} database=@{word:dbs} host=@{ip} port=@{port}
T 8 who=~@{word:dbusers}@@{word:dbs} level=ERROR | canceling statement due to statement timeout
T 6 who=~@{word:dbusers}@@{word:dbs} level=ERROR | deadlock detected
T 6 who=~@{word:dbusers}@@{word:dbs} level=DETAIL | Process @{int:1000..99999} waits for ShareLock on transaction @{int:100000..999999}; blocked by process @{int:1000..99999}.
T 4 | database system is ready to accept connections
T 3 level=WARNING | could not open statistics file "pg_stat_tmp/global.stat": Operation not permitted
T 3 who=~@{word:dbusers}@@{word:dbs} level=STATEMENT | UPDATE @{word:tables} SET status = '@{pick:paid|shipped}' WHERE id = @{int:1..999999}
