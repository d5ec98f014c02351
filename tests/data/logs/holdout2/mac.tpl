# Held out (third set): templates written before the algorithm changes of data/discovery2, never used to tune it.
include ../mac.tpl
T 10 component=sharingd[@{int:300..400}] | @{time:%H:%M:%S}.@{int:0..999:pad3} : BTLE scanner Powered @{pick:On|Off}
T 4 component=kernel[0] | IO80211AWDLPeerManager::setAwdlSuspendedMode() Suspending AWDL, enterQuietMode(true)
T 5 component=mDNSResponder[@{int:60..99}] | mDNS_DeregisterInterface: Frequent transitions for interface en0 (@{ip})
