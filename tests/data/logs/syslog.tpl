# A Linux server's syslog (RFC 3164): systemd, cron, sudo, postfix, kernel firewall lines, dockerd's logfmt.
system syslog
header @{time:%b %e %H:%M:%S} @{$host} @{$component}:
default host=@{pick:web-1|web-2|db-1|cache-1} component=systemd[1]
pool users deploy alice bob root backup www-data ubuntu
pool units apt-daily.service logrotate.service man-db.service motd-news.service fstrim.service phpsessionclean.service certbot.service
pool cmds /usr/lib/php/sessionclean /usr/local/bin/backup.sh /usr/bin/certbot /opt/app/bin/rotate-keys /usr/sbin/ntpdate

T 40 | Started Session @{int:1..90000} of user @{word:users}.
T 30 | Starting Session @{int:1..90000} of user @{word:users}.
T 30 component=systemd-logind[@{int:400..900}] | New session @{int:1..90000} of user @{word:users}.
T 30 component=systemd-logind[@{int:400..900}] | Removed session @{int:1..90000}.
T 25 component=CRON[@{int:1000..99999}] | (@{word:users}) CMD (@{word:cmds})
T 20 component=sudo | @{word:users} : TTY=pts/@{int:0..9} ; PWD=/home/@{word:users} ; USER=root ; COMMAND=/usr/bin/@{pick:apt|systemctl|journalctl|docker|tail}
T 20 component=kernel | [@{float:0..99999:6}] IPv4: martian source @{ip} from @{ip}, on dev eth@{int:0..1}
T 15 component=kernel | [@{float:0..99999:6}] [UFW BLOCK] IN=eth0 OUT= MAC=@{mac}:@{mac}:08:00 SRC=@{ip} DST=@{ip} LEN=@{int:40..1500} TOS=0x00 PREC=0x00 TTL=@{int:30..250} ID=@{int:0..65535} PROTO=TCP SPT=@{port} DPT=@{port} WINDOW=@{int:1024..65535} RES=0x00 SYN URGP=0
T 15 component=postfix/smtpd[@{int:1000..99999}] | connect from @{host}[@{ip}]
T 15 component=postfix/smtpd[@{int:1000..99999}] | disconnect from @{host}[@{ip}] ehlo=1 mail=1 rcpt=@{int:0..1}/1 data=@{int:0..1} quit=1 commands=@{int:3..5}
T 10 component=postfix/smtpd[@{int:1000..99999}] | NOQUEUE: reject: RCPT from @{host}[@{ip}]: 554 5.7.1 <@{email}>: Relay access denied; from=<@{email}> to=<@{email}> proto=ESMTP helo=<@{host}>
T 10 component=postfix/qmgr[@{int:1000..99999}] | @{HEX:10}: from=<@{email}>, size=@{int:500..90000}, nrcpt=1 (queue active)
T 10 component=postfix/smtp[@{int:1000..99999}] | @{HEX:10}: to=<@{email}>, relay=@{host}[@{ip}]:25, delay=@{float:0..9:2}, delays=@{float:0..1:2}/@{float:0..1:2}/@{float:0..1:2}/@{float:0..1:2}, dsn=2.0.0, status=sent (250 2.0.0 OK @{epoch} @{alnum:12} - gsmtp)
T 10 component=dockerd[@{int:700..900}] | time="@{time:%Y-%m-%dT%H:%M:%S}.@{int:100000000..999999999}Z" level=info msg="ignoring event" module=libcontainerd namespace=moby topic=/tasks/delete type="*events.TaskDelete"
T 8 | @{word:units}: Succeeded.
T 8 | Reloading.
T 6 | Starting Daily apt upgrade and clean activities...
T 6 | Started Daily apt upgrade and clean activities.
T 5 component=sshd[@{int:1000..99999}] | Accepted publickey for @{word:users} from @{ip} port @{port} ssh2: RSA SHA256:@{alnum:43}
T 5 component=kernel | [@{float:0..99999:6}] Out of memory: Killed process @{int:1000..99999} (@{pick:java|python3|node|mysqld}) total-vm:@{int:100000..9000000}kB, anon-rss:@{int:100000..9000000}kB, file-rss:0kB, shmem-rss:0kB, UID:@{int:0..1000} pgtables:@{int:100..9000}kB oom_score_adj:0
T 4 component=rsyslogd | [origin software="rsyslogd" swVersion="8.2001.0" x-pid="@{int:500..900}" x-info="https://www.rsyslog.com"] rsyslogd was HUPed
T 4 component=ntpd[@{int:500..900}] | Soliciting pool server @{ip}
T 3 component=dhclient[@{int:500..900}] | DHCPREQUEST for @{ip} on eth0 to @{ip} port 67
T 3 component=dhclient[@{int:500..900}] | DHCPACK of @{ip} from @{ip}
T 3 component=dhclient[@{int:500..900}] | bound to @{ip} -- renewal in @{int:1000..43000} seconds.
T 2 component=kernel | [@{float:0..99999:6}] EXT4-fs (sda1): mounted filesystem with ordered data mode. Opts: (null)
T 2 component=smartd[@{int:500..900}] | Device: /dev/sda [SAT], SMART Usage Attribute: 194 Temperature_Celsius changed from @{int:30..45} to @{int:30..45}
T 2 component=systemd[1] | Stopping User Manager for UID @{int:1000..1010}...
