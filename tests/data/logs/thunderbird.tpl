# Thunderbird supercomputer syslog style: label, epoch, date, host, syslog date, host/host, program[pid]: message.
system Thunderbird
header - @{epoch} @{time:%Y.%m.%d} @{$host} @{time:%b %e %H:%M:%S} @{$host}/@{$host} @{$component}:
default host=@{pick:dn228|dn261|an715|bn251|cn142|tbird-admin1|en74|ln283|dn3|bn76} component=kernel
pool users root tbirdadm jdoe ops1
pool metrics cpu_num load_one mem_free bytes_in proc_run swap_free

T 40 component=crond(pam_unix)[@{int:1000..30000}] | session closed for user root
T 40 component=crond(pam_unix)[@{int:1000..30000}] | session opened for user root by (uid=0)
T 30 component=crond[@{int:1000..30000}] | (root) CMD (run-parts /etc/cron.hourly)
T 20 component=crond[@{int:1000..30000}] | (root) CMD (/projects/tbird/temps/get_temps a@{int:1..9})
T 25 component=ib_sm.x[@{int:20000..30000}] | [ib_sm_sweep.c:1455]: No topology change
T 20 component=ib_sm.x[@{int:20000..30000}] | [ib_sm_sweep.c:1482]: No configuration change required
T 10 component=ib_sm.x[@{int:20000..30000}] | [ib_sm_sweep.c:1831]: ********************** NEW SWEEP ********************
T 15 component=dhcpd | DHCPDISCOVER from @{mac} via eth1
T 15 component=dhcpd | DHCPOFFER on @{ip} to @{mac} via eth1
T 15 component=dhcpd | DHCPREQUEST for @{ip} (@{ip}) from @{mac} via eth1
T 15 component=dhcpd | DHCPACK on @{ip} to @{mac} via eth1
T 5 component=dhcpd | DHCPDISCOVER from @{mac} via eth1: network A_net: no free leases
T 10 component=ntpd[@{int:1000..9000}] | synchronized to @{ip}, stratum @{int:1..4}
T 5 component=ntpd[@{int:1000..9000}] | kernel time sync enabled @{int:1..9000}
T 5 component=ntpd[@{int:1000..9000}] | time reset +@{float:0..1:6} s
T 8 | Detected @{float:1000..4000:3} MHz processor.
T 8 | Using @{float:1000..4000:3} MHz HPET timer.
T 6 | eth@{int:0..1}: Link is up at @{pick:100|1000} Mbps, full duplex
T 5 | CPU@{int:0..3}: Intel(R) Xeon(TM) CPU @{float:2..4:2}GHz stepping @{int:1..9:pad2}
T 5 | md: Autodetecting RAID arrays.
T 5 | ACPI: PCI Interrupt Link [LNK@{pick:A|B|C|D|E}] (IRQs @{list:3..8: :int:3..15}) *@{int:0..15}
T 4 | PCI: Probing PCI hardware (bus @{int:0..9:pad2})
T 4 | scsi@{int:0..3} : LSI Logic MegaRAID driver
T 4 component=sshd[@{int:1000..30000}] | Accepted publickey for @{word:users} from @{ip} port @{port} ssh2
T 3 component=sshd[@{int:1000..30000}] | error: Bind to port 22 on @{ip} failed: Address already in use.
T 4 component=gmetad[@{int:1000..9000}] | data_thread() got not answer from any [Thunderbird_@{pick:A|B|C|D}@{int:1..9}] datasource
T 4 component=gmetad[@{int:1000..9000}] | RRD_update (/var/lib/ganglia/rrds/Thunderbird_@{pick:A|B|C}@{int:1..9}/@{$host}/@{word:metrics}.rrd): illegal attempt to update using time @{epoch} when last update time is @{epoch} (minimum one second step)
T 3 component=syslog-ng[@{int:1000..9000}] | syslog-ng version 1.6.@{int:0..9} starting
T 3 component=xinetd[@{int:1000..9000}] | START: tftp pid=@{int:1000..30000} from=@{ip}
T 3 component=sendmail[@{int:1000..30000}] | @{alnum:14}: from=root, size=@{int:200..9000}, class=0, nrcpts=1, msgid=<@{alnum:12}@@{$host}>, relay=root@localhost
T 2 component=sendmail[@{int:1000..30000}] | unable to qualify my own domain name (@{$host}) -- using short name
T 2 | Losing some ticks... checking if CPU frequency changed.
T 2 component=smartd[@{int:1000..9000}] | Device: /dev/sda, Temperature changed @{int:20..50} Celsius to @{int:20..50} Celsius since last report
T 2 | PS/2 mouse device common for all mice
T 2 | NET: Registered protocol family @{int:1..17}
T 1 component=portmap | portmap startup succeeded
T 1 component=xinetd | xinetd startup succeeded
T 1 component=rpc.statd | rpc.statd startup succeeded
T 1 component=mount | Mounting other filesystems: failed
T 1 component=netfs | Mounting NFS filesystems: succeeded
T 1 component=kernel | Initializing CPU#@{int:0..3}
T 1 component=kernel | Memory: @{int:100000..300000}k/@{int:100000..300000}k available (@{int:1000..3000}k kernel code, @{int:1000..9000}k reserved, @{int:500..1500}k data, @{int:100..200}k init)
T 1 component=logger | Cannot open file /dev/logsurfer for writing (No such file or directory)
