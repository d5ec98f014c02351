# Held out (second set): templates written after the algorithm was frozen, never used to tune it.
include ../apache.tpl
T 10 | jk2_init() Found child @{int:1000..9999} in scoreboard slot @{int:5..12} (restart)
T 6 level=error | [client @{ip}] client denied by server configuration: /var/www/html/@{word:missing}
T 5 | Apache/2.0.49 (Fedora) configured -- resuming normal operations (pid @{int:1000..9999})
T 4 level=warn | pid file /var/run/httpd.pid overwritten -- Unclean shutdown of previous Apache run?
T 3 level=error | [client @{ip}] Premature end of script headers: @{pick:awstats.pl|formmail.pl}
T 2 | caught SIGTERM, shutting down
T 1 level=error | env.createBean2(): Factory error creating vm: ( vm, )
