# Blue Gene/L RAS style: label (- or an alert class), epoch, date, node, timestamp, node, RAS, component, level.
system BGL
header @{$label} @{epoch} @{time:%Y.%m.%d} @{$node} @{time:%Y-%m-%d-%H.%M.%S}.@{int:100000..999999} @{$node} RAS @{$component} @{$level}
default label=- level=INFO component=KERNEL node=R@{int:0..7:pad2}-M@{int:0..1}-N@{int:0..15}-C:J@{int:2..17:pad2}-U@{pick:01|11}

T 100 | instruction cache parity error corrected
T 40 | @{int:1..300} double-hummer alignment exceptions
T 30 | CE sym @{int:0..31}, at 0x@{hex:8}, mask 0x@{hex:2}
T 30 | generating core.@{int:1..9999}
T 20 | @{int:1..100} ddr error(s) detected and corrected on rank @{int:0..1}, symbol @{int:0..31} over @{int:100..9999} seconds
T 15 | total of @{int:1..20} ddr error(s) detected and corrected
T 10 | total of @{int:1..20} ddr error(s) detected and corrected over @{int:100..9999} seconds
T 20 label=KERNDTLB level=FATAL | data TLB error interrupt
T 15 label=KERNSTOR level=FATAL | data storage interrupt
T 10 level=FATAL | instruction address: 0x@{hex:8}
T 10 level=FATAL | machine check enable..............@{int:0..1}
T 10 level=FATAL | floating point instr. enabled.....@{int:0..1}
T 10 level=FATAL | auxiliary processor.........................@{int:0..1}
T 10 level=FATAL | byte ordering exception.....................@{int:0..1}
T 8 level=FATAL | program interrupt: privileged instruction...@{int:0..1}
T 8 level=FATAL | program interrupt: illegal instruction......@{int:0..1}
T 8 level=FATAL | program interrupt: trap instruction.........@{int:0..1}
T 8 level=FATAL | r@{int:16..19}=0x@{hex:8} r@{int:20..23}=0x@{hex:8} r@{int:24..27}=0x@{hex:8} r@{int:28..31}=0x@{hex:8}
T 6 level=FATAL | lr:@{hex:8} cr:@{hex:8} xer:@{hex:8} ctr:@{hex:8}
T 6 level=FATAL | machine state register: 0x@{hex:8}
T 5 level=FATAL | core configuration register: 0x@{hex:8}
T 5 level=FATAL | exception syndrome register: 0x@{hex:8}
T 5 level=FATAL | data address: 0x@{hex:8}
T 5 | @{int:1..9} floating point alignment exceptions
T 5 label=APPREAD component=APP level=FATAL | ciod: failed to read message prefix on control stream (CioStream socket to @{ipport}
T 5 label=APPREAD component=APP level=FATAL | ciod: Error reading message prefix on CioStream socket to @{ipport}, Link has been severed
T 4 label=APPREAD component=APP level=FATAL | ciod: Error reading message prefix on CioStream socket to @{ipport}, Connection reset by peer
T 3 label=APPREAD component=APP level=FATAL | ciod: Error reading message prefix on CioStream socket to @{ipport}, Connection timed out
T 4 label=APPCHILD component=APP level=FATAL | ciod: LOGIN chdir(@{path}) failed: No such file or directory
T 3 label=APPCHILD component=APP level=FATAL | ciod: LOGIN chdir(@{path}) failed: Input/output error
T 4 label=APPTO component=APP level=FATAL | ciod: Error loading @{path}: invalid or missing program image, No such file or directory
T 2 label=APPTO component=APP level=FATAL | ciod: Error loading @{path}: invalid or missing program image, Permission denied
T 3 component=APP level=INFO | ciod: generated @{int:1..128} core files for program @{path}
T 3 component=MMCS level=ERROR | idoproxydb hit ASSERT condition: ASSERT expression=0 Source file=idotransportmgr.cpp Source line=@{int:1000..1100} Function=int IdoTransportMgr::SendPacket(IdoUdpMgr*, BglCtlPavTrace*)
T 3 component=DISCOVERY level=WARNING | Node card is not fully functional
T 3 component=DISCOVERY level=SEVERE | Can not get assembly information for node card
T 3 component=DISCOVERY level=WARNING | Ido chip status changed: @{$node} ip=@{ip} v=@{int:10..20} t=@{int:1..9} status=M @{time:%a %b %d %H:%M:%S} PST @{time:%Y}
T 2 component=MMCS level=INFO | PrepareForService shutting down Node card(mLctn(@{$node}), mCardSernum(@{alnum:16}), mLp(@{ip}), mIp(@{ip}), mType(@{int:1..4})) as part of Service Action @{int:100..999}
T 2 label=KERNMNTF level=FATAL | rts: kernel terminated for reason @{int:1000..1010}
T 2 level=FATAL | rts internal error
T 1 level=FATAL | rts panic! - stopping execution
T 2 component=HARDWARE level=WARNING | NFS Mount failed on bglio@{int:1..60}, slept @{int:5..60} seconds, retrying (@{int:1..9})
T 2 | @{int:1..50} torus receiver z+ input pipe error(s) (dcr 0x@{hex:4}) detected and corrected
T 2 | @{int:1..50} torus receiver x+ input pipe error(s) (dcr 0x@{hex:4}) detected and corrected
T 1 | @{int:1..50} L3 EDRAM error(s) (dcr 0x@{hex:4}) detected and corrected over @{int:100..9999} seconds
T 1 | shutdown complete
T 1 component=LINKCARD level=FATAL | MidplaneSwitchController::sendTrain() port disconnected: @{$node}
T 1 level=FATAL | Kernel detected @{int:1..99999} integer alignment exceptions (@{int:1..9}) iar 0x@{hex:8}, dear 0x@{hex:8}
