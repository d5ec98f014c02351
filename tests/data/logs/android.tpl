# Android logcat threadtime style: "MM-dd HH:mm:ss.SSS  pid  tid L Tag: message".
system Android
header @{time:%m-%d %H:%M:%S}.@{int:0..999:pad3}  @{int:600..30000}  @{int:600..30000} @{$level} @{$component}:
default level=D component=PowerManagerService
pool wltags *alarm* RILJ_ACK_WL NlpWakeLock WifiSuspend LocationManagerService *job*/com.tencent.mm/.plugin.sns SyncLoopWakeLock AudioMix
pool pkgs com.tencent.mm com.android.systemui com.huawei.android.launcher com.android.phone com.google.android.gms com.sina.weibo com.tencent.mobileqq com.android.settings com.huawei.systemmanager android
pool services TrafficStatsService PushService SyncService AlarmReceiver NotifyService
pool activities MainActivity LauncherUI SplashActivity SettingsActivity ChattingUI
pool threads main Binder:1520_3 RenderThread AsyncTask HeapTaskDaemon

T 40 level=V | acquire lock=@{int:10000000..250000000}, flags=0x1, tag="@{word:wltags}", name=@{word:pkgs}, ws=null, uid=@{int:1000..10300}, pid=@{int:600..30000}
T 40 level=V | release:lock=@{int:10000000..250000000}, flg=0x0, tag="@{word:wltags}", name=@{word:pkgs}, ws=null, uid=@{int:1000..10300}, pid=@{int:600..30000}
T 30 component=DisplayPowerController | Animating brightness: target=@{int:0..255}, rate=@{float:0..200:1}
T 30 component=PhoneStatusBar | setSystemUiVisibility vis=@{int:0..9}0 mask=@{int:0..9}0 oldVal=@{int:0..9}0 newVal=@{int:0..9}0 diff=@{int:0..9}0 fullscreenStackVis=0 dockedStackVis=0, fullscreenStackBounds=Rect(0, 0 - 0, 0), dockedStackBounds=Rect(0, 0 - 0, 0)
T 25 component=ActivityManager | cleanUpApplicationRecord -- @{int:600..30000}
T 20 level=I component=ActivityManager | Start proc @{int:600..30000}:@{word:pkgs}/u0a@{int:10..200} for service @{word:pkgs}/.@{word:services}
T 20 level=I component=ActivityManager | Killing @{int:600..30000}:@{word:pkgs}/u0a@{int:10..200} (adj @{int:0..906}): empty for @{int:1000..3000}s
T 15 component=WindowManager | printFreezingDisplayLogsopening app wtoken = AppWindowToken{@{hex:7} token=Token{@{hex:7} ActivityRecord{@{hex:7} u0 @{word:pkgs}/.@{word:activities} t@{int:100..999}}}}, allDrawn= false, startingDisplayed =  false, startingMoved =  false, isRelaunching =  false
T 15 level=V component=WindowManager | Skipping AppWindowToken{@{hex:7} token=Token{@{hex:7} ActivityRecord{@{hex:7} u0 @{word:pkgs}/.@{word:activities} t@{int:100..999}}}} -- going to hide
T 12 component=PhoneStatusBar | disable: < expand icons* alerts system_info* back home recent clock search quick_settings >
T 12 component=PhoneStatusBar | disable: < expand ICONS* alerts SYSTEM_INFO* back home recent clock search quick_settings >
T 10 level=I component=StackScrollAlgorithm | updateClipping isOverlap:false, getTopPadding=@{float:0..300:1}, Translation=@{float:0..300:1}
T 10 level=I component=StackScrollAlgorithm | updateClipping isOverlap:true, getTopPadding=@{float:0..300:1}, Translation=@{float:0..300:1}
T 8 component=KeyguardUpdateMonitor | handleBatteryUpdate
T 8 component=KeyguardUpdateMonitor | handleTimeUpdate
T 8 level=I component=HwBatteryService | ACTION_BATTERY_CHANGED AMP: @{int:-2000..2000}; Volt: @{int:3500..4400}
T 6 component=AudioService | getStreamVolume  treamType: @{int:0..10}
T 6 component=AudioService | getDevicesForStream  streamType: @{int:0..10}
T 6 level=I component=AudioManager | isMusicActive...
T 6 level=I component=AudioManager | getRingerMode...
T 5 level=I component=AudioManager | isWiredHeadsetOn...
T 5 level=I component=AudioManager | isBluetoothScoOn...
T 5 component=PhoneWindowManager | interceptKeyTq keycode=@{int:3..26} interactive=true keyguardActive=false policyFlags=0x@{hex:8} down true canceled false
T 5 component=PhoneWindowManager | interceptKeyTq keycode=@{int:3..26} interactive=true keyguardActive=false policyFlags=0x@{hex:8} down false canceled false
T 5 level=W component=ActivityManager | getRunningAppProcesses: caller @{int:10000..10300} does not hold REAL_GET_TASKS; limiting output
T 4 level=W component=ActivityManager | getTasks: caller @{int:10000..10300} does not hold REAL_GET_TASKS; limiting output
T 5 component=NotificationService | enqueueNotificationInternal: pkg=@{word:pkgs} id=@{int:1..9999} notification=Notification(pri=0 contentView=null vibrate=null sound=null defaults=0x0 flags=0x@{int:10..99} color=0x00000000 vis=PRIVATE)
T 4 component=NotificationService | cancelNotificationLocked:0|@{word:pkgs}|@{int:1..9999}|null|@{int:10000..10300}
T 4 level=I component=NotificationService | removeNotification:0|@{word:pkgs}|@{int:1..9999}|null|@{int:10000..10300}
T 3 level=E component=AndroidRuntime | FATAL EXCEPTION: main
T 3 level=E component=AndroidRuntime | Process: @{word:pkgs}, PID: @{int:600..30000}
T 3 level=E component=AndroidRuntime | java.lang.NullPointerException: Attempt to invoke virtual method 'int java.lang.String.length()' on a null object reference
T 3 level=I component=chatty | uid=@{int:1000..10300}(@{word:pkgs}) @{word:threads} identical @{int:1..40} lines
T 3 component=WifiStateMachine | ApStaDisabledState what=@{int:131000..131300}
T 3 component=WifiStateMachine | DefaultState what=@{int:131000..131300}
T 2 level=W component=System.err | at @{frame}
T 2 level=I component=Choreographer | Skipped @{int:30..300} frames!  The application may be doing too much work on its main thread.
T 2 component=ConnectivityService | notifyType CAP_CHANGED for NetworkAgentInfo [WIFI () - @{int:100..199}]
T 1 level=I component=ActivityManager | START u0 {act=android.intent.action.MAIN cat=[android.intent.category.HOME] flg=0x10200000 cmp=com.huawei.android.launcher/.unihome.UniHomeLauncher} from uid @{int:1000..10300} on display 0
T 1 component=SendBroadcastPermission | action:android.intent.action.BATTERY_CHANGED, mPermissionType:0
T 2 level=I component=PowerManagerService | Waking up from sleep (uid @{int:1000..10300})...
T 2 level=I component=PowerManagerService | Going to sleep due to screen timeout (uid @{int:1000..10300})...
T 2 level=I component=PowerManagerService | Going to sleep due to power button (uid @{int:1000..10300})...
T 1 component=TelephonyManager | getNeighboringCellInfo calling app is @{word:pkgs}
