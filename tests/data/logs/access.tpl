# Web server access log, combined format: the request line, referer and user agent are quoted (agents have spaces).
system access
header @{ip} - @{pick:-|-|-|-|-|-|frank|alice} [@{time:%d/%b/%Y:%H:%M:%S} +0000]
frag product /products/@{int:1..999}
frag js /static/app.@{hex:8}.js
frag css /static/style.@{hex:8}.css
frag item /api/v1/items/@{int:1..99999}
frag image /images/@{alnum:8}.png
frag search /search?q=@{alnum:5}
frag apipath /api/v1/@{pick:orders|users|carts|sessions}
pool agents Mozilla/5.0~(Windows~NT~10.0;~Win64;~x64)~AppleWebKit/537.36~(KHTML,~like~Gecko)~Chrome/120.0.0.0~Safari/537.36 Mozilla/5.0~(Macintosh;~Intel~Mac~OS~X~10_15_7)~AppleWebKit/605.1.15~(KHTML,~like~Gecko)~Version/17.1~Safari/605.1.15 curl/8.4.0 Mozilla/5.0~(X11;~Linux~x86_64;~rv:121.0)~Gecko/20100101~Firefox/121.0 python-requests/2.31.0 Mozilla/5.0~(compatible;~Googlebot/2.1;~+http://www.google.com/bot.html) kube-probe/1.27 Mozilla/5.0~(iPhone;~CPU~iPhone~OS~17_1~like~Mac~OS~X)~AppleWebKit/605.1.15~(KHTML,~like~Gecko)~Version/17.1~Mobile/15E148~Safari/604.1 Go-http-client/1.1 Mozilla/5.0~(compatible;~bingbot/2.0;~+http://www.bing.com/bingbot.htm) Wget/1.21.3 Mozilla/5.0~(Windows~NT~10.0;~Win64;~x64;~rv:120.0)~Gecko/20100101~Firefox/120.0 Apache-HttpClient/4.5.14~(Java/17.0.9) okhttp/4.12.0 Mozilla/5.0~(Linux;~Android~14)~AppleWebKit/537.36~(KHTML,~like~Gecko)~Chrome/120.0.6099.144~Mobile~Safari/537.36 Slackbot-LinkExpanding~1.0~(+https://api.slack.com/robots) Mozilla/5.0~(compatible;~YandexBot/3.0;~+http://yandex.com/bots) PostmanRuntime/7.36.0 Twitterbot/1.0 facebookexternalhit/1.1

T 70 | "GET @{pick:/index.html|/about|#product|#js|#css|#item|#image|#search} HTTP/@{pick:1.1|1.1|2.0}" @{pick:200|200|200|304|404} @{int:0..50000} "@{pick:-|-|@url}" "@{word:agents}"
T 15 | "POST @{frag:apipath} HTTP/1.1" @{pick:200|201|400|422|500} @{int:0..5000} "@{pick:-|@url}" "@{word:agents}"
T 5 | "PUT @{frag:apipath}/@{int:1..99999} HTTP/1.1" @{pick:200|204|404} @{int:0..5000} "-" "@{word:agents}"
T 4 | "DELETE @{frag:apipath}/@{int:1..99999} HTTP/1.1" @{pick:204|404} 0 "-" "@{word:agents}"
T 3 | "HEAD @{pick:/index.html|/about|#product|#js|#css|#item|#image|#search} HTTP/1.1" @{pick:200|404} 0 "-" "@{word:agents}"
T 3 | "@{pick:-|-|\x16\x03\x01\x00\xca\x01\x00\x00\xc6\x03\x03}" @{pick:400|408} @{pick:0|157} "-" "-"
