# Held out (third set): templates written before the algorithm changes of data/discovery2, never used to tune it.
include ../openssh.tpl
T 12 | Accepted publickey for @{word:users} from @{ip} port @{port} ssh2: RSA SHA256:@{alnum:43}
T 10 | Disconnected from authenticating user @{word:users} @{ip} port @{port} [preauth]
T 4 | Timeout, client not responding from @{ip} port @{port}
