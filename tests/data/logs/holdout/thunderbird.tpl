# Held out (second set): templates written after the algorithm was frozen, never used to tune it.
include ../thunderbird.tpl
T 10 component=kernel | ib_mthca: Mellanox InfiniBand HCA driver v0.08 (February 14, 2006)
T 8 component=pbs_mom | Connection refused (111) in open_demux, open_demux: connect @{ip}:@{port}
T 6 component=pbs_mom | task_check, cannot tm_reply to @{int:100000..999999}.tbird-admin1 task 1
T 5 component=sshd(pam_unix)[@{int:1000..30000}] | session opened for user @{word:users} by (uid=0)
T 4 component=kernel | EXT3-fs: mounted filesystem with ordered data mode.
T 3 component=kernel | Out of Memory: Killed process @{int:1000..30000} (@{pick:xpbs|java|mpirun|sshd}).
T 2 component=ntpd[@{int:1000..9000}] | frequency initialized @{float:-99..99:3} PPM from /var/lib/ntp/drift
T 1 component=kernel | usb @{int:1..4}-@{int:1..4}: new full speed USB device using uhci_hcd and address @{int:2..9}
