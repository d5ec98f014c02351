# OpenSSH server log (syslog header, sshd[pid]): user names are parameters that look like words.
system OpenSSH
header @{time:%b %e %H:%M:%S} LabSZ sshd[@{int:20000..30000}]:
pool users root admin test oracle ubuntu git postgres pi
pool invalid admin test guest oracle user support ftpuser webmaster git pi mysql nagios ubnt backup 123456 administrator sales service demo info
pool rhosts 183.62.140.253 187.141.143.180 103.99.0.122 112.95.230.3 5.36.59.76.dynamic-dsl-ip.omantel.net.om ns.marryaldkfaczcz.com 173.234.31.186 106.5.5.195 218.65.30.43 unknown.telstraglobal.net

T 60 | Failed password for @{word:users} from @{ip} port @{port} ssh2
T 50 | pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=@{word:rhosts}
T 35 | pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=@{word:rhosts}  user=@{word:users}
T 40 | Received disconnect from @{ip}: 11: Bye Bye [preauth]
T 30 | Invalid user @{word:invalid} from @{ip}
T 30 | input_userauth_request: invalid user @{word:invalid} [preauth]
T 30 | Failed password for invalid user @{word:invalid} from @{ip} port @{port} ssh2
T 30 | pam_unix(sshd:auth): check pass; user unknown
T 25 | reverse mapping checking getaddrinfo for @{host} [@{ip}] failed - POSSIBLE BREAK-IN ATTEMPT!
T 20 | Connection closed by @{ip} [preauth]
T 15 | PAM @{int:2..5} more authentication failures; logname= uid=0 euid=0 tty=ssh ruser= rhost=@{word:rhosts}  user=root
T 10 | PAM @{int:2..5} more authentication failures; logname= uid=0 euid=0 tty=ssh ruser= rhost=@{word:rhosts}
T 8 | PAM 1 more authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=@{word:rhosts}
T 10 | Disconnecting: Too many authentication failures for root [preauth]
T 6 | Disconnecting: Too many authentication failures for admin [preauth]
T 8 | message repeated @{int:2..5} times: [ Failed password for root from @{ip} port @{port} ssh2]
T 8 | Accepted password for @{word:users} from @{ip} port @{port} ssh2
T 8 | pam_unix(sshd:session): session opened for user @{word:users} by (uid=0)
T 8 | pam_unix(sshd:session): session closed for user @{word:users}
T 5 | Did not receive identification string from @{ip}
T 4 | PAM service(sshd) ignoring max retries; @{int:6..9} > 5
T 3 | error: Received disconnect from @{ip}: 3: com.jcraft.jsch.JSchException: Auth fail [preauth]
T 3 | Received disconnect from @{ip}: 11: Closed due to user request. [preauth]
T 2 | Received disconnect from @{ip}: 11: disconnected by user
T 2 | fatal: Write failed: Connection reset by peer [preauth]
T 2 | Failed none for invalid user @{word:invalid} from @{ip} port @{port} ssh2
T 1 | Server listening on 0.0.0.0 port 22.
T 1 | Connection from @{ip} port @{port} on @{ip} port 22
