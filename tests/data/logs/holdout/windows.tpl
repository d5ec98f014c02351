# Held out (second set): templates written after the algorithm was frozen, never used to tune it.
include ../windows.tpl
T 10 component=CSI | @{int:1..999:pad8} Performing @{int:1..9} operations; @{int:1..9} are not lock/unlock and follow:
T 8 | Exec: Processing complete.  Session: @{int:30000000..30999999}_@{int:1000000000..4000000000}, Package: Package_for_KB@{int:2500000..3200000}~31bf3856ad364e35~amd64~~6.1.@{int:1..3}.@{int:0..9} [HRESULT = 0x00000000 - S_OK]
T 6 | Appl: detect Parent, Package: Package_for_KB@{int:2500000..3200000}~31bf3856ad364e35~amd64~~6.1.@{int:1..3}.@{int:0..9}, Parent: Microsoft-Windows-@{pick:Client|Server}LanguagePack-Package~31bf3856ad364e35~amd64~en-US~6.1.7601.17514, Disposition = Detect, VersionComp: EQ, ServiceComp: GE, BuildComp: GE, DistributionComp: GE, RevisionComp: GE, Exist: present
T 5 | Ending TrustedInstaller cleanup.
T 5 | Starting TrustedInstaller cleanup.
T 3 | Warning: Unrecognized packageExtended attribute value: @{pick:true|false}
T 2 | Failed to get session package state [HRESULT = 0x80070002 - ERROR_FILE_NOT_FOUND]
T 1 component=CSI | @{int:1..999:pad8} CSI Store @{int:1000000..9999999} (0x@{hex:16}) released
