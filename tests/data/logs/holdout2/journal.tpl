# Held out (third set): a new style, written before the algorithm changes of data/discovery2, never used to tune it.
system journal
header @{time:%b %d %H:%M:%S} @{$host} @{$unit}:
default host=@{pick:app-01|app-02|db-01} unit=systemd[1]
pool services nginx.service postgresql@15-main.service docker.service containerd.service ssh.service cron.service
pool users deploy root postgres
T 25 | Started Daily apt download activities.
T 15 | Started Rotate log files.
T 30 | @{word:services}: Deactivated successfully.
T 25 | Starting Cleanup of Temporary Directories...
T 20 | @{word:services}: Main process exited, code=exited, status=@{int:1..2}/@{pick:FAILURE|INVALIDARGUMENT}
T 18 | @{word:services}: Failed with result 'exit-code'.
T 15 | @{word:services}: Scheduled restart job, restart counter is at @{int:1..20}.
T 12 unit=sshd[@{int:1000..60000}] | pam_unix(sshd:session): session opened for user @{word:users}(uid=@{int:0..1001}) by (uid=0)
T 10 unit=systemd-logind[@{int:400..900}] | Removed session @{int:1..9999}.
T 8 unit=kernel | audit: type=1400 audit(@{epoch}.@{int:100..999}:@{int:100..999}): apparmor="DENIED" operation="open" profile="@{pick:snap.lxd.daemon|/usr/sbin/ntpd|docker-default}" name="@{path}" pid=@{int:1000..60000} comm="@{pick:lxd|ntpd|runc}" requested_mask="r" denied_mask="r" fsuid=0 ouid=0
T 6 unit=dockerd[@{int:500..900}] | time="@{time:%Y-%m-%dT%H:%M:%S}.@{int:100000000..999999999}Z" level=info msg="ignoring event" container=@{hex:64} module=libcontainerd namespace=moby topic=/tasks/delete type="*events.TaskDelete"
T 5 unit=systemd-journald[@{int:200..400}] | Journal stopped
T 4 unit=systemd-timesyncd[@{int:400..700}] | Initial synchronization to time server @{ip}:123 (ntp.ubuntu.com).
T 3 | Reached target @{pick:timers.target|multi-user.target|graphical.target}.
