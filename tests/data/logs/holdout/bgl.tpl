# Held out (second set): templates written after the algorithm was frozen, never used to tune it.
include ../bgl.tpl
T 10 | @{int:1..200} torus sender z- retransmission error(s) (dcr 0x@{hex:4}) detected and corrected over @{int:100..9999} seconds
T 8 level=FATAL | program interrupt: fp cr field .............@{int:0..1}
T 8 level=FATAL | program interrupt: imprecise exception......@{int:0..1}
T 6 level=FATAL | data store interrupt caused by dcbf.........@{int:0..1}
T 4 | critical input interrupt (unit=0x@{hex:2} bit=0x@{hex:2}): warning for torus y+ wire
T 4 | critical input interrupt (unit=0x@{hex:2} bit=0x@{hex:2}): warning for torus z- wire
T 3 component=MMCS level=ERROR | BglIdoChip table has @{int:1..9} IDOs with the same IP address (@{ip})
T 2 component=APP level=FATAL label=APPSEV | ciod: Received signal @{int:1..15}, code=@{int:0..9}, errno=@{int:0..9}, address=0x@{hex:8}
