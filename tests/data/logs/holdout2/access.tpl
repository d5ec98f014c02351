# Held out (third set): templates written before the algorithm changes of data/discovery2, never used to tune it.
include ../access.tpl
pool bots Googlebot/2.1~(+http://www.google.com/bot.html) bingbot/2.0 curl/7.88.1 python-requests/2.31.0
T 10 | "DELETE /api/v1/sessions/@{uuid} HTTP/1.1" @{pick:204|404} 0 "-" "@{word:agents}"
T 6 | "HEAD /healthz HTTP/1.1" 200 0 "-" "@{word:bots}"
T 5 | "PATCH /api/v1/users/@{int:1..99999}/settings HTTP/1.1" @{pick:200|400} @{int:10..900} "@{url}" "@{word:agents}"
T 4 | "OPTIONS * HTTP/1.0" 200 - "-" "Apache (internal dummy connection)"
T 3 | "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" 400 @{int:150..400} "-" "-"
