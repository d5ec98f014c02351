# Held out (second set): templates written after the algorithm was frozen, never used to tune it.
include ../android.tpl
T 10 level=I component=ActivityManager | Displayed @{word:pkgs}/.@{word:activities}: +@{int:100..999}ms
T 8 component=BatteryService | level:@{int:0..100}, scale:100, status:@{int:1..5}, health:2, present:true, voltage: @{int:3500..4400}, temperature: @{int:200..450}
T 6 level=W component=InputMethodManagerService | Window already focused, ignoring focus gain of: com.android.internal.view.IInputMethodClient$Stub$Proxy@@{hex:7} attribute=null, token = android.os.BinderProxy@@{hex:7}
T 5 level=I component=WindowManager | Screen frozen for +@{int:100..999}ms due to Window{@{hex:7} u0 @{word:pkgs}/.@{word:activities}}
T 4 level=E component=BufferQueueProducer | [@{word:pkgs}/.@{word:activities}] dequeueBuffer: BufferQueue has been abandoned
T 3 level=D component=WifiService | acquireWifiLockLocked: WifiLock{@{word:pkgs} type=@{int:1..3} uid=@{int:1000..10300}}
T 2 level=I component=am_proc_died | [0,@{int:600..30000},@{word:pkgs}]
T 1 level=W component=ActivityManager | Unable to start service Intent { act=@{word:pkgs}.ACTION cmp=@{word:pkgs}/.@{word:services} } U=0: not found
