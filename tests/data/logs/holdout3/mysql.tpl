# Held out (fourth set): written before the changes of data/brain, never used to tune it.
# MySQL 8 error log: "timestamp thread [Level] [MY-code] [Subsystem] message".
system MySQL
header @{time:%Y-%m-%dT%H:%M:%S}.@{int:0..999999:pad6}Z @{int:0..999} [@{$level}] [MY-@{$code}] [@{$sub}]
default level=Note code=010914 sub=Server
pool users app reporting root backup
pool hosts 10.0.0.5 10.0.0.6 localhost 172.17.0.1
pool dbs shop analytics mysql
T 40 level=Warning code=013360 | Plugin mysql_native_password reported: ''mysql_native_password' is deprecated and will be removed in a future release. Please use caching_sha2_password instead'
T 35 code=010914 sub=Server | Aborted connection @{int:1..999999} to db: '@{word:dbs}' user: '@{word:users}' host: '@{word:hosts}' (Got an error reading communication packets).
T 30 level=Warning code=010055 sub=Server | IP address '@{ip}' could not be resolved: Name or service not known
T 25 level=Note code=010926 sub=Server | Access denied for user '@{word:users}'@'@{word:hosts}' (using password: @{pick:YES|NO})
T 20 level=Warning code=011825 sub=InnoDB | Cannot add field `@{letters:4..10}` in table `@{word:dbs}`.`@{letters:4..10}` because after adding it, the row size is @{int:8127..9999} which is greater than maximum allowed size (8126) for a record on index leaf page.
T 15 level=System code=010116 sub=Server | /usr/sbin/mysqld (mysqld 8.0.@{int:30..36}) starting as process @{int:1..99999}
T 12 level=System code=010931 sub=Server | /usr/sbin/mysqld: ready for connections. Version: '8.0.@{int:30..36}'  socket: '/var/run/mysqld/mysqld.sock'  port: 3306  MySQL Community Server - GPL.
T 10 level=Note code=012487 sub=InnoDB | DDL log recovery : begin
T 8 level=Note code=012488 sub=InnoDB | DDL log recovery : end
T 6 level=Warning code=010068 sub=Server | CA certificate ca.pem is self signed.
T 5 level=ERROR code=012592 sub=InnoDB | Operating system error number @{pick:2|13|28} in a file operation.
T 4 level=Note code=011323 sub=Server | X Plugin ready for connections. Bind-address: '::' port: 33060, socket: /var/run/mysqld/mysqlx.sock
