# Held out (second set): templates written after the algorithm was frozen, never used to tune it.
include ../mac.tpl
T 10 | IOPPF: Sent gpu-internal-plimit-notification last value @{int:0..9} (rounded time weighted average @{int:0..9})
T 8 component=locationd[@{int:80..90}] | Location icon should now be in state 'Inactive'
T 6 component=locationd[@{int:80..90}] | Location icon should now be in state 'Active'
T 5 | Bluetooth -- LE is supported - Disable LE meta event
T 4 component=WindowServer[@{int:200..300}] | CGXDisplayDidWakeNotification [@{int:100000000000..999999999999}]: posting kCGSDisplayDidWake
T 3 | did not find a valid en0 socket
T 2 component=com.apple.cts[@{int:250..270}] | com.apple.Safari.SafeBrowsing.Update: scheduler_evaluate_activity told me to run this job; however, but the start time isn't for @{int:1..999} seconds.  Ignoring.
T 1 component=symptomsd[@{int:200..220}] | __73-[NetworkAnalyticsEngine observeValueForKeyPath:ofObject:change:context:]_block_invoke unexpected switch value 3
