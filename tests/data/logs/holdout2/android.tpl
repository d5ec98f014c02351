# Held out (third set): templates written before the algorithm changes of data/discovery2, never used to tune it.
include ../android.tpl
T 10 component=WindowManager | Relayout Window{@{hex:7} u0 @{word:pkgs}/@{word:pkgs}.@{word:activities}}: viewVisibility=@{pick:0|4|8} req=@{int:100..1440}x@{int:100..2560}
T 8 component=BatteryService level=I | level:@{int:1..100}, scale:100, voltage:@{int:3500..4400}, temp:@{int:200..450}
T 6 component=ConnectivityService level=I | NetworkAgentInfo [WIFI () - @{int:100..199}] validation passed
T 4 component=ConnectivityService level=I | NetworkAgentInfo [MOBILE (LTE) - @{int:100..199}] validation failed
T 3 component=AudioFlinger level=W | write blocked for @{int:100..900} msecs, @{int:1..50} delayed writes, thread @{0x:8}
T 10 component=PhoneStatusBar | disable<@{pick:e|E}@{pick:i|I}a s @{pick:n|N}@{pick:h|H}@{pick:r|R} c q> disable2<q i n>
