# Held out (third set): templates written before the algorithm changes of data/discovery2, never used to tune it.
include ../syslog.tpl
pool ifaces eth0 ens3 wlan0 docker0
T 10 component=kernel | [@{float:1..99999:6}] IPv6: ADDRCONF(NETDEV_CHANGE): @{word:ifaces}: link becomes ready
T 4 component=kernel | [@{float:1..99999:6}] Out of memory: Killed process @{int:1000..60000} (@{pick:java|python3|node|postgres}) total-vm:@{int:100000..9999999}kB, anon-rss:@{int:10000..999999}kB
T 10 component=sudo | @{word:users} : TTY=pts/@{int:0..9} ; PWD=/home/@{word:users} ; USER=root ; COMMAND=@{word:cmds}
T 6 component=rsyslogd | [origin software="rsyslogd" swVersion="8.2112.0" x-pid="@{int:400..999}" x-info="https://www.rsyslog.com"] rsyslogd was HUPed
