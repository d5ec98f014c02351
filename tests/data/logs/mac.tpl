# macOS system.log style: "Mon d HH:mm:ss host process[pid]: message"; heterogeneous kernel and app messages.
system Mac
header @{time:%b %e %H:%M:%S} @{$host} @{$component}:
default host=@{pick:calvisitor-10-105-160-95|calvisitor-10-105-160-95|authorMacBook-Pro|calvisitor-10-105-162-32} component=kernel[0]
pool procs powerd kernel_task WindowServer coreaudiod bluetoothd mds hidd
pool wakes ARPT EC.LidOpen XHC1 RTC EC.SleepTimer

T 40 | ARPT: @{float:600000..700000:6}: wl0: setup_keepalive: interval @{int:200..900}, retry_interval 30, retry_count 10
T 30 | ARPT: @{float:600000..700000:6}: wl0: MDNS: IPV4 Addr: @{ip}
T 30 | ARPT: @{float:600000..700000:6}: wl0: MDNS: IPV6 Addr: @{pick:fe80:0:0:0:c6b3:1ff:fecd:467f|2607:f140:6000:8:c6b3:1ff:fecd:467f|2607:f140:400:a01b:c6b3:1ff:fecd:467f}
T 25 | ARPT: @{float:600000..700000:6}: AQM agg params @{int:0..100} maxlen hi/lo @{int:0..100} @{int:0..100} minlen hi/lo @{int:0..100} @{int:0..100} eaglePdHdr @{int:0..1}
T 20 | Wake reason: @{word:wakes}
T 20 | AppleCamIn::systemWakeCall - messageType = 0x@{pick:e0000340|e0000320|e0000280}
T 20 | IOThunderboltSwitch<0>(0x0)::listenerCallback - Thunderbolt HPD packet for route = 0x0 port = @{int:10..12} unplug = @{int:0..1}
T 20 | en0: BSSID changed to @{mac}
T 15 | en0: channel changed to @{int:1..161},@{pick:+1|-1}
T 15 | AirPort: Link Down on en0. Reason 8 (Disassociated because station leaving).
T 15 | AirPort: Link Up on en0
T 10 | AirPort: Link Up on awdl0
T 10 | AirPort: Link Down on awdl0. Reason 1 (Unspecified).
T 15 | Sandbox: com.apple.Addres(@{int:100..99999}) deny(1) network-outbound /private/var/run/mDNSResponder
T 10 | PM response took @{int:100..9999} ms (@{int:0..999}, @{word:procs})
T 12 component=com.apple.CDScheduler[@{int:40..60}] | Thermal pressure state: @{int:0..1} Memory pressure state: @{int:0..1}
T 10 component=QQ[@{int:10000..10100}] | FA||Url||taskID[@{int:2019352000..2019353999}] dealloc
T 10 component=QQ[@{int:10000..10100}] | DB Error: 1 "no such table: tb_c2cMsg_@{int:100000000..999999999}"
T 8 component=Google~Chrome[@{int:100..999}] | [@{int:100..999}:@{int:1000..99999}:@{time:%m%d}/@{time:%H%M%S}:WARNING:dns_config_service_posix.cc(@{int:100..400})] Failed to read DnsConfig.
T 8 component=mDNSResponder[@{int:90..99}] | mDNS_RegisterInterface: Frequent transitions for interface awdl0 (FE80:0000:0000:0000:@{HEX:4}:@{HEX:4}:@{HEX:4}:@{HEX:4})
T 8 component=sharingd[@{int:30..40}] | @{time:%H:%M:%S}.@{int:100..999} : BTLE scanning started
T 8 component=sharingd[@{int:30..40}] | @{time:%H:%M:%S}.@{int:100..999} : BTLE scanning stopped
T 6 component=sharingd[@{int:30..40}] | @{time:%H:%M:%S}.@{int:100..999} : Scanning mode Contacts Only
T 6 component=sharingd[@{int:30..40}] | @{time:%H:%M:%S}.@{int:100..999} : Purged contact hashes
T 6 component=symptomsd[@{int:200..220}] | __73-[NetworkAnalyticsEngine observeValueForKeyPath:ofObject:change:context:]_block_invoke unexpected switch value 2
T 6 | IO80211AWDLPeerManager::setAwdlOperatingMode Setting the AWDL operation mode from AUTO to SUSPENDED
T 6 | IO80211AWDLPeerManager::setAwdlOperatingMode Setting the AWDL operation mode from SUSPENDED to AUTO
T 5 | Previous sleep cause: @{int:1..5}
T 5 | hibernate image path: /var/vm/sleepimage
T 5 | hibernate_setup(@{int:0..9}) took @{int:0..20} ms
T 5 | Sleep failure code 0x@{hex:8} 0x@{hex:8}
T 5 component=com.apple.xpc.launchd[1]~(com.apple.xpc.launchd.domain.pid.WebContent.@{int:1000..99999}) | Path not allowed in target domain: type = pid, path = /System/Library/StagedFrameworks/Safari/SafariShared.framework/Versions/A/XPCServices/com.apple.Safari.SearchHelper.xpc/Contents/MacOS/com.apple.Safari.SearchHelper error = 147: The specified service did not ship in the requestor's bundle, origin = /System/Library/StagedFrameworks/Safari/WebKit.framework/Versions/A/XPCServices/com.apple.WebKit.WebContent.xpc
T 4 component=com.apple.WebKit.WebContent[@{int:1000..99999}] | [@{time:%H:%M:%S}.@{int:100..999}] <<<< CRABS >>>> crabsFlumeHostAvailable: [0x@{hex:12}] Byte flume reports host available again.
T 4 component=com.apple.WebKit.WebContent[@{int:1000..99999}] | [@{time:%H:%M:%S}.@{int:100..999}] <<<< CRABS >>>> crabsWaitForLoad: [0x@{hex:12}] Wait time out - -1001 (msRequestTimeout -1)
T 4 component=GoogleSoftwareUpdateAgent[@{int:1000..99999}] | @{time:%Y-%m-%d %H:%M:%S}.@{int:100..999} GoogleSoftwareUpdateAgent[@{int:1000..99999}/0x@{hex:12}] [lvl=2] -[KSAgentApp(KeystoneThread) runKeystonesInThreadWithArg:] About to run checks for any other apps.
T 3 component=GoogleSoftwareUpdateAgent[@{int:1000..99999}] | @{time:%Y-%m-%d %H:%M:%S}.@{int:100..999} GoogleSoftwareUpdateAgent[@{int:1000..99999}/0x@{hex:12}] [lvl=2] -[KSPrefetchAction performAction] KSPrefetchAction no updates to prefetch.
T 3 component=Microsoft~Word[@{int:1000..99999}] | .sdef warning for argument '' of command 'can continue previous list' in suite 'Microsoft Word Suite': '@{pick:4023|4024|4025}' is not a valid type name.
T 3 component=UserEventAgent[@{int:40..50}] | Captive: [CNInfoNetworkActive:1748] en0: SSID 'CalVisitor' making interface primary (protected network)
T 2 | USBMSC Identifier (non-unique): @{HEX:12} 0x5ac 0x8406 0x820, 3
T 2 | vm_compressor_flush - starting
T 2 | vm_compressor_flush completed - took @{int:10..800} msecs
T 2 | SMC::smcReadKeyAction ERROR: smcReadData8 failed for key LsNM (kSMCKeyNotFound)
T 2 | Thunderbolt @{int:0..2} PCI - LS=0x@{hex:8} LC=0x@{hex:8} SLOT=0x@{hex:8} LS_LC(wait)=0x@{hex:8}
