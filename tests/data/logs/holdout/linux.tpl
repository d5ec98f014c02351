# Held out (second set): templates written after the algorithm was frozen, never used to tune it.
include ../linux.tpl
T 10 component=sshd(pam_unix)[@{int:1000..32000}] | session closed for user @{word:users}
T 8 component=gpm[@{int:1000..32000}] | imps2: Auto-detected intellimouse PS/2
T 6 component=ftpd[@{int:1000..32000}] | getpeername (ftpd): Transport endpoint is not connected
T 5 component=hcid[@{int:1000..32000}] | HCI daemon ver 2.4 started
T 4 | Intel machine check reporting enabled on CPU#@{int:0..3}.
T 3 component=logrotate | ALERT exited abnormally with [@{int:1..9}]
T 2 component=sdpd | sdpd startup succeeded
T 1 component=kernel | EXT3 FS on @{pick:sda1|sda2|hda1}, internal journal
