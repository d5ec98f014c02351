# Windows CBS/CSI servicing log style: "date time, Level  Component  message".
system Windows
header @{time:%Y-%m-%d %H:%M:%S}, @{$level}                  @{$component}   
default level=Info component=CBS
pool hives SOFTWARE SYSTEM SECURITY SAM COMPONENTS DEFAULT

T 60 component=CSI | @{int:1..999:pad8}@@{time:%Y/%m/%d:%H:%M:%S}.@{int:100..999} CSI Transaction @0x@{hex:8} destroyed
T 40 | Loaded Servicing Stack v6.1.7601.@{int:17000..24000} with Core: C:\Windows\winsxs\amd64_microsoft-windows-servicingstack_31bf3856ad364e35_6.1.7601.@{int:17000..24000}_none_@{hex:16}\cbscore.dll
T 40 | Read out cached package applicability for package: Package_for_KB@{int:2500000..3200000}~31bf3856ad364e35~amd64~~6.1.@{int:1..3}.@{int:0..9}, ApplicableState: @{pick:112|80|0}, CurrentState:@{pick:112|0|32}
T 30 | Session: @{int:30000000..30999999}_@{int:1000000000..4000000000} initialized by client WindowsUpdateAgent.
T 10 | Session: @{int:30000000..30999999}_@{int:1000000000..4000000000} initialized by client SPP.
T 20 | SQM: Initializing online with Windows opt-in: False
T 20 | SQM: Cleaning up report files older than 10 days.
T 20 | SQM: Requesting upload of all unsent reports.
T 15 | SQM: Failed to start upload with file pattern: C:\Windows\servicing\sqm\*_std.sqm, flags: 0x2 [HRESULT = 0x80004005 - E_FAIL]
T 15 | SQM: Failed to start standard sample upload. [HRESULT = 0x80004005 - E_FAIL]
T 15 | SQM: Queued @{int:0..3} file(s) for upload with pattern: C:\Windows\servicing\sqm\*_allsqm.sqm, flags: 0x6
T 15 | SQM: Warning: Failed to upload all unsent reports. [HRESULT = 0x80004005 - E_FAIL]
T 10 | Warning: Unrecognized packageExtended attribute.
T 10 | Expecting attribute name [HRESULT = 0x800f080d - CBS_E_MANIFEST_INVALID_ITEM]
T 10 | Failed to get next element [HRESULT = 0x800f080d - CBS_E_MANIFEST_INVALID_ITEM]
T 6 | Starting TrustedInstaller initialization.
T 6 | Ending TrustedInstaller initialization.
T 6 | Starting TrustedInstaller finalization.
T 6 | Ending TrustedInstaller finalization.
T 6 | Starting the TrustedInstaller main loop.
T 6 | Ending the TrustedInstaller main loop.
T 6 | TrustedInstaller service starts successfully.
T 5 | NonStart: Checking to ensure startup processing was not required.
T 5 | NonStart: Success, startup processing not required as expected.
T 5 | Startup processing thread terminated normally
T 5 | Idle processing thread terminated normally
T 4 | Scavenge: Starts
T 4 component=CSI | Scavenge: Begin CSI Store
T 4 | Scavenge: Completed, disposition: 0x@{int:0..9}
T 5 component=CSI | @{int:1..999:pad8} CSI Store @{int:1000000..9999999} (0x@{hex:16}) initialized
T 5 component=CSI | @{int:1..999:pad8}@@{time:%Y/%m/%d:%H:%M:%S}.@{int:100..999} PopulateComponentFamiliesKey - Begin
T 5 component=CSI | @{int:1..999:pad8}@@{time:%Y/%m/%d:%H:%M:%S}.@{int:100..999} PopulateComponentFamiliesKey - End
T 4 component=CSI | @{int:1..999:pad8} Creating NT transaction (seq @{int:1..9}), objectname [@{int:1..9}]"(null)"
T 4 component=CSI | @{int:1..999:pad8} Created NT transaction (seq @{int:1..9}) result 0x00000000, handle @0x@{hex:3}
T 3 | Reboot mark refs incremented to: @{int:0..3}
T 3 | Reboot mark refs: @{int:0..3}
T 3 | Loading offline registry hive: @{word:hives}, into registry key '{bf1a281b-ad7b-4476-ac95-f47682990ce7}GLOBALROOT/Device/HarddiskVolumeShadowCopy@{int:1..9}/Windows/System32/config/@{word:hives}' from path '\\?\GLOBALROOT\Device\HarddiskVolumeShadowCopy@{int:1..9}\Windows\System32\config\@{word:hives}'.
T 3 | Unloading offline registry hive: @{word:hives}
T 2 | Offline image is: read-only
T 2 | Disabling manifest caching, because the image is not writeable.
T 2 | Failed to internally open package. [HRESULT = 0x800f0805 - CBS_E_INVALID_PACKAGE]
T 1 | No startup processing required, TrustedInstaller service was not set as autostart, or else a reboot is still pending.
T 1 component=CSI | @{int:1..999:pad8} CSI perf trace:
