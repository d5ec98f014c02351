# Held out (second set): templates written after the algorithm was frozen, never used to tune it.
include ../proxifier.tpl
T 10 | @{host}:@{pick:80|443} open directly
T 6 | @{host}:@{pick:80|443} close, @{int:0..99999} bytes sent, @{int:0..99999} bytes received, lifetime @{pick:<1 sec|@time:%M:%S} (direct)
T 4 | @{host}:@{pick:80|443} error : Could not connect through proxy proxy.cse.cuhk.edu.hk:5070 - Proxy server cannot establish a connection with the target, status code 503
T 3 | Proxy server proxy.cse.cuhk.edu.hk:5070 is not responding, retrying in @{int:1..60} sec
T 2 | Rule "@{pick:Default|Localhost}" disabled by user
T 1 | Profile loaded from @{path}
