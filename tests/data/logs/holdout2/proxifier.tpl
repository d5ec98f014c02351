# Held out (third set): templates written before the algorithm changes of data/discovery2, never used to tune it.
include ../proxifier.tpl
T 12 | @{host}:@{pick:80|443} error : Could not connect through proxy proxy.cse.cuhk.edu.hk:5070 - Proxy server cannot establish a connection with the target, status code @{pick:502|503|504}
T 4 program=Proxifier.exe | Welcome to Proxifier v@{pick:3.21|3.29|3.42}
