# Held out (second set): templates written after the algorithm was frozen, never used to tune it.
include ../access.tpl
T 5 | "OPTIONS @{pick:/api/v1/orders|/api/v1/users} HTTP/1.1" 204 0 "-" "@{word:agents}"
T 3 | "PATCH /api/v1/@{pick:orders|users}/@{int:1..99999} HTTP/1.1" @{pick:200|409} @{int:0..5000} "-" "@{word:agents}"
T 2 | "GET /@{pick:wp-login.php|.env|admin/config.php|phpmyadmin/} HTTP/1.0" 404 @{int:100..500} "-" "@{pick:Mozilla/5.0 zgrab/0.x|python-requests/2.31.0|-}"
