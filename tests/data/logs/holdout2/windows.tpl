# Held out (third set): templates written before the algorithm changes of data/discovery2, never used to tune it.
include ../windows.tpl
T 10 | Session: @{int:30000000..31000000}_@{int:1000000000..4000000000} finalized. Reboot required: false [HRESULT = 0x00000000 - S_OK]
T 6 | Exec: Processing complete.  Session: @{int:30000000..31000000}_@{int:1000000000..4000000000}, Package: Package_for_KB@{int:2500000..3200000}~31bf3856ad364e35~amd64~~6.1.1.@{int:0..9} [HRESULT = 0x00000000 - S_OK]
