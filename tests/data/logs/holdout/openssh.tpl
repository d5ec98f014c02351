# Held out (second set): templates written after the algorithm was frozen, never used to tune it.
include ../openssh.tpl
T 10 | Received disconnect from @{ip}: 11: Normal Shutdown, Thank you for playing [preauth]
T 8 | Failed publickey for @{word:users} from @{ip} port @{port} ssh2: RSA SHA256:@{alnum:43}
T 6 | Connection reset by @{ip} port @{port} [preauth]
T 5 | Unable to negotiate with @{ip} port @{port}: no matching key exchange method found. Their offer: diffie-hellman-group1-sha1 [preauth]
T 4 | Bad protocol version identification '@{pick:GET / HTTP/1.1|SSH-1.5-Nmap|\x16\x03\x01}' from @{ip} port @{port}
T 3 | Disconnected from user @{word:users} @{ip} port @{port}
T 2 | error: maximum authentication attempts exceeded for invalid user @{word:invalid} from @{ip} port @{port} ssh2 [preauth]
T 1 | Disconnecting: Too many authentication failures for oracle [preauth]
