# Linux syslog style on one host (month day time host program[pid]: message).
system Linux
header @{time:%b %e %H:%M:%S} combo @{$component}:
default component=kernel
pool users root cyrus news test guest webalizer
pool rhosts 218.188.2.4 220.117.241.87 61.53.154.93 ip-216-69-169-168.ip.secureserver.net 82.68.222.194 n219076184117.netvigator.com 211.72.151.162 adsl-70-242-75-179.dsl.ksc2mo.swbell.net 195.129.24.210 massive.merukuru.org 60.30.224.116 202.82.200.188
pool devices sda sdb hda tty1 null random console ttyS0 mem

T 40 component=sshd(pam_unix)[@{int:1000..32000}] | authentication failure; logname= uid=0 euid=0 tty=NODEVssh ruser= rhost=@{word:rhosts}
T 15 component=sshd(pam_unix)[@{int:1000..32000}] | authentication failure; logname= uid=0 euid=0 tty=NODEVssh ruser= rhost=@{word:rhosts}  user=root
T 30 component=sshd(pam_unix)[@{int:1000..32000}] | check pass; user unknown
T 20 component=su(pam_unix)[@{int:1000..32000}] | session opened for user @{word:users} by (uid=0)
T 20 component=su(pam_unix)[@{int:1000..32000}] | session closed for user @{word:users}
T 10 component=login(pam_unix)[@{int:1000..32000}] | session opened for user @{word:users} by LOGIN(uid=0)
T 15 component=ftpd[@{int:1000..32000}] | connection from @{ip} (@{opt:60:host}) at @{time:%a %b %e %H:%M:%S %Y}
T 10 component=ftpd[@{int:1000..32000}] | ANONYMOUS FTP LOGIN FROM @{ip}, (anonymous)
T 8 component=xinetd[@{int:1000..32000}] | START: ftp pid=@{int:1000..32000} from=@{ip}
T 5 component=gdm(pam_unix)[@{int:1000..32000}] | authentication failure; logname= uid=0 euid=0 tty=:0 ruser= rhost=
T 5 component=sshd[@{int:1000..32000}] | Authentication failed from @{ip} (@{ip}): Permission denied in replay cache code
T 3 component=sshd[@{int:1000..32000}] | Authentication failed from @{ip} (@{ip}): Software caused connection abort
T 5 | audit(@{epoch}.@{int:100..999}:@{int:0..9}): initialized
T 4 | Memory: @{int:100000..300000}k/@{int:100000..300000}k available (@{int:1000..3000}k kernel code, @{int:1000..9000}k reserved, @{int:500..1500}k data, @{int:100..200}k init, @{int:0..9}k highmem)
T 4 | Detected @{float:500..2000:3} MHz processor.
T 3 | Calibrating delay loop... @{float:1000..4000:2} BogoMIPS
T 3 | CPU: L1 I cache: @{int:8..64}K, L1 D cache: @{int:8..64}K
T 3 | CPU: L2 cache: @{int:128..1024}K
T 3 | Inode-cache hash table entries: @{int:4096..65536} (order: @{int:1..6}, @{int:16384..262144} bytes)
T 3 | Dentry cache hash table entries: @{int:4096..131072} (order: @{int:1..7}, @{int:16384..524288} bytes)
T 3 | Mount-cache hash table entries: @{int:256..512} (order: @{int:0..1}, @{int:4096..8192} bytes)
T 3 | BIOS-e820: @{hex:16} - @{hex:16} (usable)
T 3 | BIOS-e820: @{hex:16} - @{hex:16} (reserved)
T 3 | klogd 1.4.1, log source = /proc/kmsg started.
T 2 | Linux version 2.6.@{int:5..9}-@{int:1..1600}smp (bhcompile@bugs.build.redhat.com) (gcc version 3.3.@{int:2..4} 20040412 (Red Hat Linux 3.3.@{int:2..4}-@{int:1..9})) #1 SMP @{time:%a %b %e %H:%M:%S} EDT 2004
T 3 component=syslogd | syslogd startup succeeded
T 3 component=klogd | klogd startup succeeded
T 2 component=irqbalance | irqbalance startup succeeded
T 2 component=portmap | portmap startup succeeded
T 2 component=cups | cupsd startup succeeded
T 2 component=cups | cupsd shutdown succeeded
T 2 component=rc | Starting pcmcia:  succeeded
T 2 component=network | Bringing up loopback interface:  succeeded
T 2 component=network | Setting network parameters:  succeeded
T 2 | You can enable it with acpi=force
T 2 | SELinux:  Initializing.
T 2 | SELinux:  Starting in permissive mode
T 2 | Real Time Clock Driver v1.12
T 1 component=logrotate | ALERT exited abnormally with [1]
T 1 component=snmpd[@{int:1000..32000}] | Received SNMP packet(s) from @{ip}
T 1 component=sshd[@{int:1000..32000}] | Did not receive identification string from @{ip}
T 1 component=named[@{int:1000..32000}] | notify question section contains no SOA
T 1 component=udev[@{int:1000..32000}] | creating device node '/udev/@{word:devices}'
T 1 component=udev[@{int:1000..32000}] | removing device node '/udev/@{word:devices}'
