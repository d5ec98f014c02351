# Held out (third set): templates written before the algorithm changes of data/discovery2, never used to tune it.
include ../healthapp.tpl
T 10 component=HiH_HiSyncControl | sendSyncFailedBroadcast
T 6 component=HiH_DataStatManager | flushTempCacheToDB by @{pick:time|size}
T 4 component=Step_NotificationUtil | new version,current step:@{int:0..20000},goal:@{int:5000..20000}
T 3 component=HiH_HiHealthDataInsertStore | saveHealthDetailData() deviceID = @{int:1..9} size = @{int:1..50}
