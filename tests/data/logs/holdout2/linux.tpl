# Held out (third set): templates written before the algorithm changes of data/discovery2, never used to tune it.
include ../linux.tpl
T 8 component=kernel | usb @{int:1..4}-@{int:1..4}: new full speed USB device using uhci_hcd and address @{int:2..9}
T 6 component=gpm[@{int:1000..3000}] | *** info [startup.c(95)]: 
T 4 component=named[@{int:1000..3000}] | lame server resolving '@{host}' (in '@{host}'?): @{ip}#53
T 3 component=kernel | EXT3-fs: mounted filesystem with ordered data mode.
T 10 component=xinetd[@{int:1000..3000}] | START: @{pick:ftp|telnet} pid=@{int:1000..32000} from=@{ip}
