# Held out (third set): templates written before the algorithm changes of data/discovery2, never used to tune it.
include ../bgl.tpl
T 12 component=APP level=FATAL | ciod: failed to read message prefix on control stream (CioStream socket to @{ip}:@{port}
T 5 component=MMCS level=ERROR | idoproxydb hit ASSERT condition: ASSERT expression=@{int:0..1} Source file=idotransportmgr.cpp Source line=@{int:1000..1100} Function=int IdoTransportMgr::SendPacket(IdoUdpMgr*, BglCtlPavTrace*)
T 3 component=HARDWARE level=SEVERE | NodeCard temperature sensor chip U@{int:1..9:pad2} is not accessible
