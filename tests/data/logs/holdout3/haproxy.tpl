# Held out (fourth set): written before the changes of data/brain, never used to tune it.
# HAProxy through syslog: http and tcp log formats, health checks, proxy events.
system HAProxy
header @{time:%b %e %H:%M:%S} @{$host} haproxy[@{int:1000..9999}]:
default host=@{pick:lb-1|lb-2}
pool frontends http-in https-in api-in
pool backends app_servers api_servers static_servers
pool servers web1 web2 web3 api1 api2 cdn1
T 50 | @{ip}:@{port} [@{time:%d/%b/%Y:%H:%M:%S}.@{int:0..999:pad3}] @{word:frontends} @{word:backends}/@{word:servers} @{int:0..50}/@{int:0..5}/@{int:0..50}/@{int:0..999}/@{int:0..999} @{pick:200|301|304|404|500} @{int:100..99999} - - ---- @{int:1..999}/@{int:1..999}/@{int:0..99}/@{int:0..99}/0 0/0 "@{pick:GET|POST|PUT|DELETE} @{path} HTTP/1.1"
T 25 | @{ip}:@{port} [@{time:%d/%b/%Y:%H:%M:%S}.@{int:0..999:pad3}] @{word:frontends} @{word:backends}/<NOSRV> -1/-1/-1/-1/@{int:0..99} 503 @{int:100..999} - - SC-- @{int:1..999}/@{int:1..999}/0/0/0 0/0 "@{pick:GET|POST} @{path} HTTP/1.1"
T 20 | Connect from @{ip}:@{port} to @{ip}:@{pick:80|443} (@{word:frontends}/HTTP)
T 15 | @{ip}:@{port} [@{time:%d/%b/%Y:%H:%M:%S}.@{int:0..999:pad3}] mysql-in mysql_servers/db@{int:1..3} 1/@{int:0..9}/@{int:100..99999} @{int:100..999999} -- @{int:1..99}/@{int:1..99}/@{int:0..9}/@{int:0..9}/0 0/0
T 10 | Server @{word:backends}/@{word:servers} is DOWN, reason: Layer4 connection problem, info: "Connection refused", check duration: @{int:0..999}ms. @{int:0..3} active and 0 backup servers left. @{int:0..9} sessions active, @{int:0..9} requeued, 0 remaining in queue.
T 8 | Server @{word:backends}/@{word:servers} is UP, reason: Layer7 check passed, code: 200, check duration: @{int:0..999}ms. @{int:1..4} active and 0 backup servers online. 0 sessions requeued, 0 total in queue.
T 5 | backend @{word:backends} has no server available!
T 4 | Proxy @{word:frontends} started.
T 3 | Stopping frontend @{word:frontends} in 0 ms.
T 3 | @{ip}:@{port} [@{time:%d/%b/%Y:%H:%M:%S}.@{int:0..999:pad3}] https-in/1: SSL handshake failure
