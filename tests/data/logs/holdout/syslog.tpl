# Held out (second set): templates written after the algorithm was frozen, never used to tune it.
include ../syslog.tpl
T 10 component=systemd[1] | @{word:units}: Consumed @{float:0..9:3}s CPU time.
T 8 component=kernel | [@{float:0..99999:6}] TCP: request_sock_TCP: Possible SYN flooding on port @{port}. Sending cookies.  Check SNMP counters.
T 6 component=postfix/anvil[@{int:1000..99999}] | statistics: max connection rate @{int:1..9}/60s for (smtp:@{ip}) at @{time:%b %e %H:%M:%S}
T 5 component=systemd-resolved[@{int:400..900}] | Using degraded feature set UDP instead of UDP+EDNS0 for DNS server @{ip}.
T 4 component=sshd[@{int:1000..99999}] | Invalid user @{word:users}x from @{ip} port @{port}
T 3 component=systemd[1] | Finished Daily apt upgrade and clean activities.
T 2 component=kernel | [@{float:0..99999:6}] docker0: port @{int:1..9}(veth@{hex:7}) entered @{pick:blocking|forwarding|disabled} state
T 1 component=cron[@{int:400..900}] | (CRON) INFO (pidfile fd = 3)
