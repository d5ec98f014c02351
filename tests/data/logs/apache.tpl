# Apache error log style: "[Sun Dec 04 04:47:44 2005] [level] message" ("[client ip]" starts some messages).
system Apache
header [@{time:%a %b %d %H:%M:%S %Y}] [@{$level}]
default level=notice
pool missing favicon.ico robots.txt sumthin scripts cgi-bin/formmail.pl MSADC _vti_bin

T 60 | jk2_init() Found child @{int:1000..9999} in scoreboard slot @{int:5..12}
T 60 | workerEnv.init() ok /etc/httpd/conf/workers2.properties
T 40 level=error | mod_jk child workerEnv in error state @{int:6..9}
T 20 level=error | [client @{ip}] Directory index forbidden by rule: /var/www/html/
T 10 level=error | jk2_init() Can't find child @{int:1000..9999} in scoreboard
T 5 level=error | mod_jk child init 1 -2
T 5 level=error | [client @{ip}] File does not exist: /var/www/html/@{word:missing}
T 4 | Apache/2.0.49 (Fedora) configured -- resuming normal operations
T 3 | Digest: generating secret for digest authentication ...
T 3 | Digest: done
T 3 | LDAP: Built with OpenLDAP LDAP SDK
T 3 | LDAP: SSL support unavailable
T 2 level=error | [client @{ip}] script not found or unable to stat: /var/www/cgi-bin/@{pick:awstats|awstats.pl|formmail.pl|test-cgi}
T 2 level=warn | child process @{int:1000..9999} still did not exit, sending a SIGTERM
T 2 | SIGHUP received.  Attempting to restart
T 1 level=error | [client @{ip}] request failed: error reading the headers
T 1 | suEXEC mechanism enabled (wrapper: /usr/sbin/suexec)
T 1 level=error | [client @{ip}] Invalid URI in request GET /@{alnum:8} HTTP/1.1
