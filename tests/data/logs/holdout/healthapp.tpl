# Held out (second set): templates written after the algorithm was frozen, never used to tune it.
include ../healthapp.tpl
T 10 component=Step_LSC | onAccuracyChanged sensor=Step Counter accuracy=@{int:0..3}
T 8 component=Step_ExtSDM | getTodaySportData mStepsRecordManager=com.huawei.health.manager.util.StepsRecordManager@@{hex:7}
T 6 component=Step_SPUtils | setGoalNotifiShownRecord @{int:20171201..20171231} false
T 5 component=HiH_HiHealthDataInsertStore | insertHiHealthData() end totalTime = @{int:1..999}
T 4 component=Step_StandReportReceiver | onReceive action: android.intent.action.USER_PRESENT
T 3 component=HiH_HiSyncControl | ifCanSync not! no cloud version
T 2 component=Step_DataCache | writeDataToDB size @{int:1..9}
T 1 component=Step_LSC | reload : @{int:1000..9999} restar @{int:1000..9999}
