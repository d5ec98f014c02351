# Held out (third set): a new style, written before the algorithm changes of data/discovery2, never used to tune it.
system telemetry
frag ts @{time:%Y-%m-%dT%H:%M:%S}Z
default dev=sensor-@{int:1..200:pad4}
pool sites plant-a plant-b warehouse-3
T 60 | @{frag:ts},@{$dev},temperature,@{float:-20..90:2},C,@{word:sites}
T 50 | @{frag:ts},@{$dev},humidity,@{float:0..100:1},%,@{word:sites}
T 40 | @{frag:ts},@{$dev},pressure,@{float:900..1100:1},hPa,@{word:sites}
T 30 | @{frag:ts},@{$dev},battery,@{int:0..100},%,@{word:sites}
T 20 dev=gw-@{int:1..9:pad2} | @{frag:ts},@{$dev},uplink,rssi=@{int:-120..-30},snr=@{float:-20..15:1},sf=@{int:7..12}
T 15 dev=gw-@{int:1..9:pad2} | @{frag:ts},@{$dev},status,online,uptime=@{int:1..9999999}
T 10 dev=gw-@{int:1..9:pad2} | @{frag:ts},@{$dev},status,offline,last_seen=@{epoch}
T 8 | @{frag:ts},@{$dev},alarm,threshold_exceeded,@{pick:temperature|humidity},@{float:0..100:2}
T 5 | @{frag:ts},@{$dev},firmware,update_started,v@{int:1..3}.@{int:0..9}.@{int:0..20}
T 4 | @{frag:ts},@{$dev},firmware,update_failed,v@{int:1..3}.@{int:0..9}.@{int:0..20},checksum mismatch
T 3 | @{frag:ts},@{$dev},error,sensor_fault,code=@{HEX:4}
