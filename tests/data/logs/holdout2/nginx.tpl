# Held out (third set): a new style, written before the algorithm changes of data/discovery2, never used to tune it.
system nginx
header @{time:%Y/%m/%d %H:%M:%S} [@{$level}] @{int:100..9999}#@{int:0..9}:
default level=error
pool upstreams app_backend api_backend static_backend
pool hostsn example.com api.example.com shop.example.com
T 40 | *@{int:1..999999} connect() failed (111: Connection refused) while connecting to upstream, client: @{ip}, server: @{word:hostsn}, request: "@{pick:GET|POST} @{path} HTTP/1.1", upstream: "http://@{ipport}@{path}", host: "@{word:hostsn}"
T 30 | *@{int:1..999999} upstream timed out (110: Connection timed out) while reading response header from upstream, client: @{ip}, server: @{word:hostsn}, request: "@{pick:GET|POST} @{path} HTTP/1.1", upstream: "http://@{ipport}@{path}", host: "@{word:hostsn}"
T 25 | *@{int:1..999999} open() "/usr/share/nginx/html@{path}" failed (2: No such file or directory), client: @{ip}, server: @{word:hostsn}, request: "GET @{path} HTTP/1.1", host: "@{word:hostsn}"
T 20 level=warn | *@{int:1..999999} an upstream response is buffered to a temporary file /var/cache/nginx/proxy_temp/@{int:1..9}/@{int:10..99}/@{int:1000000000..9999999999:pad10} while reading upstream, client: @{ip}, server: @{word:hostsn}, request: "GET @{path} HTTP/1.1", upstream: "http://@{ipport}@{path}", host: "@{word:hostsn}"
T 15 level=info | *@{int:1..999999} client @{ip} closed keepalive connection
T 10 level=warn | *@{int:1..999999} a client request body is buffered to a temporary file /var/cache/nginx/client_temp/@{int:1000000000..9999999999:pad10}, client: @{ip}, server: @{word:hostsn}, request: "POST @{path} HTTP/1.1", host: "@{word:hostsn}"
T 8 level=crit | *@{int:1..999999} SSL_do_handshake() failed (SSL: error:0A00006C:SSL routines::bad key share) while SSL handshaking, client: @{ip}, server: 0.0.0.0:443
T 6 level=notice | signal process started
T 5 level=notice | using the "epoll" event method
T 4 level=notice | start worker process @{int:100..9999}
T 4 level=alert | @{int:1024..4096} worker_connections are not enough
T 3 level=emerg | bind() to 0.0.0.0:@{pick:80|443} failed (98: Address already in use)
T 3 level=error | *@{int:1..999999} limiting requests, excess: @{float:0..50:3} by zone "@{pick:api|login}", client: @{ip}, server: @{word:hostsn}, request: "POST @{path} HTTP/1.1", host: "@{word:hostsn}"
