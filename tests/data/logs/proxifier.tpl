# Proxifier style: "[MM.dd HH:mm:ss] program - host:port message"; sizes are sometimes followed by "(1.16 KB)".
system Proxifier
header [@{time:%m.%d %H:%M:%S}] @{$program} -
default program=@{word:programs}
pool programs chrome.exe firefox.exe Dropbox.exe putty.exe thunderbird.exe QQ.exe WeChat.exe svchost.exe

T 150 | @{host}:@{pick:80|443|443|8080} close, @{int:0..99999} bytes @{opt:50:pqty:1..99:KB} sent, @{int:0..99999} bytes @{opt:50:pqty:1..99:KB} received, lifetime @{pick:<1 sec|@time:%M:%S|@time:%H:%M:%S}
T 40 | @{host}:@{pick:80|443} open through proxy proxy.cse.cuhk.edu.hk:5070 HTTPS
T 30 | @{host}:@{pick:80|443} open through proxy proxy.cse.cuhk.edu.hk:5070 SOCKS5
T 15 | @{host}:@{pick:80|443} error : Could not connect to proxy proxy.cse.cuhk.edu.hk:5070 - connection attempt failed with error 10061
T 8 | @{host}:@{pick:80|443} error : Could not connect through proxy proxy.cse.cuhk.edu.hk:5070 - Proxy server cannot establish a connection with the target, status code 403
T 8 | @{host}:@{pick:80|443} error : Could not connect through proxy proxy.cse.cuhk.edu.hk:5070 - Proxy closed the connection unexpectedly.
T 5 | @{host}:@{pick:80|443} error : A connection request was canceled before the completion.
T 3 | @{host}:@{pick:80|443} error : Could not connect to proxy proxy.cse.cuhk.edu.hk:5070 - Could not resolve proxy.cse.cuhk.edu.hk error 11001
T 3 | @{host}:@{pick:80|443} matching rule @{pick:Default|Localhost|Chrome} : direct connection
T 2 | Connection to @{host}:@{pick:80|443} via proxy proxy.cse.cuhk.edu.hk:5070 timed out
T 2 | Error: DNS name resolution failed for @{host}
T 1 | Traffic statistics: @{int:1..9999} connections, @{fqty:1..999:MB} sent, @{fqty:1..999:MB} received
