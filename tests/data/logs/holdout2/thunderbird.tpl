# Held out (third set): templates written before the algorithm changes of data/discovery2, never used to tune it.
include ../thunderbird.tpl
T 10 component=kernel | ib_sm_sweep.c:@{int:1000..2000}: No topology change
T 8 component=gmond[@{int:1000..9000}] | slurpfile() open() error on file /proc/@{pick:stat|meminfo|loadavg}: Too many open files
T 4 component=kernel | e1000: eth@{int:0..1}: e1000_watchdog: NIC Link is Up 1000 Mbps Full Duplex
T 3 component=kernel | e1000: eth@{int:0..1}: e1000_watchdog: NIC Link is Down
T 10 component=kernel | ACPI: PCI Interrupt 0000:0@{int:0..9}:0@{int:0..9}.0[A] -> GSI @{int:16..48} (level, low) -> IRQ @{int:16..255}
