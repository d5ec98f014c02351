# Held out (third set): templates written before the algorithm changes of data/discovery2, never used to tune it.
include ../apache.tpl
T 3 level=error | child process @{int:1000..32000} still did not exit, sending a SIGKILL
T 10 level=error | [client @{ip}] Directory index forbidden by rule: /var/www/html/@{pick:icons|manual|images}/
