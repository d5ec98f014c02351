# A phone health app's log: "yyyyMMdd-HH:mm:ss:SSS|component|pid|message", numbers glued to words and '##'.
system HealthApp
header @{time:%Y%m%d-%H:%M:%S}:@{int:0..999}|@{$component}|30002312|
default component=Step_LSC

T 80 component=Step_LSC | onStandStepChanged @{int:1000..20000}
T 50 component=Step_SPUtils | setTodayTotalDetailSteps=@{int:1514000000000..1514999999999}##@{int:1000..20000}##@{int:100000..999999}##@{int:1000..9999}##@{int:10..99}##@{int:10000000..99999999}
T 40 component=Step_LSC | onExtend:@{int:1514000000000..1514999999999} @{int:0..20} @{int:0..9} @{int:0..2}
T 30 component=Step_StandReportReceiver | onReceive action: android.intent.action.SCREEN_ON
T 30 component=Step_StandReportReceiver | onReceive action: android.intent.action.SCREEN_OFF
T 25 component=Step_SPUtils | getTodayTotalDetailSteps = @{int:1514000000000..1514999999999}##@{int:1000..20000}##@{int:100000..999999}##@{int:1000..9999}##@{int:10..99}##@{int:10000000..99999999}
T 20 component=Step_ExtSDM | calculateCaloriesWithCache totalCalories=@{int:100000..200000}
T 20 component=Step_ExtSDM | calculateAltitudeWithCache totalAltitude=@{int:0..300}
T 15 component=Step_LSC | processHandleBroadcastAction action:android.intent.action.TIME_TICK
T 10 component=Step_LSC | processHandleBroadcastAction action:android.intent.action.SCREEN_ON
T 12 component=Step_StandStepCounter | flush sensor data
T 10 component=Step_SPUtils | getTodayBasicStandardSteps= @{int:1000..9999}##@{int:0..9}##@{int:1514000000000..1514999999999}
T 8 component=HiH_HiHealthDataInsertStore | saveRealTimeHealthDatasStat() size = @{int:1..9},totalTime = @{int:1..99}
T 8 component=HiH_HiHealthDataInsertStore | bulkSaveDetailHiHealthData() size = @{int:1..9},totalTime = @{int:1..99}
T 8 component=HiH_HiHealthDataInsertStore | insertHiHealthData() size = @{int:1..3},app = @{int:1..3},One Data Type = @{int:20002..20005},packageName = com.huawei.health,writeStatType = @{int:1..3}
T 6 component=HiH_HiSyncControl | startSync hiSyncOption = HiSyncOption{syncAction=@{int:1..2}, syncMethod=@{int:1..2}, syncScope=@{int:1..2}, syncDataType=@{int:10000..20000}, syncModel=@{int:1..2}, pushAction=@{int:0..1}},app = @{int:1..2} who = @{int:0..1}
T 6 component=Step_ExtSDM | REPORT : @{int:1000..9999} @{int:1000..9999} @{int:100000..999999} @{int:100..999}
T 5 component=HiH_HiSyncUtil | checkFirstSyncByType no such data in db ,type is @{int:10000..20000} deviceCode is @{int:0..9}
T 5 component=Step_SPUtils | setWriteDBLastDataMinute=@{int:25000000..25999999}
T 5 component=Step_SPUtils | setWriteDBLastDataMinute success
T 4 component=Step_ScreenUtil | isScreenOn true
T 4 component=Step_DataCache | getDiffTotalSteps= @{int:0..999}##@{int:1000..9999}
T 4 component=HiH_ | initUserPrivacy the userPrivacy is true
T 3 component=HiH_ | initUserPrivacy the userPrivacy switch is open, start push user data!
T 3 component=HiH_ | initDataPrivacy the dataPrivacy is true
T 3 component=HiH_ | initDataPrivacy the dataPrivacy switch is open, start push health data!
T 3 component=Step_LSC | tryToReloadTodayBasicSteps@{int:1000..9999}|@{int:1000..9999}|@{int:0..9}|@{int:1514000000000..1514999999999}
T 2 component=Step_FlushableStepDataCache | checkInsertStatus stepSum or calorieSum is enough
T 2 component=Step_FlushableStepDataCache | checkInsertStatus stepStatSum or calorieStatSum is enough
T 2 component=Step_NotificationUtil | closeNotification...
T 2 component=HiH_HealthKitDataPlatform | getAppContext() isAppValid health or wear, packageName = com.huawei.health
T 1 component=Step_LSC | theDayChanged @{int:20171223..20171231}
T 1 component=Step_StandReportReceiver | reStartStepCounter
T 1 component=Step_ExtSDM | totalAltitude=@{int:0..300}
