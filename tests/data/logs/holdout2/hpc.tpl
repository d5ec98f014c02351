# Held out (third set): templates written before the algorithm changes of data/discovery2, never used to tune it.
include ../hpc.tpl
T 12 component=node state=temperature | (@{int:0..9}) Temperature (@{int:40..99}) exceeds warning threshold
T 10 component=node state=temperature | (@{int:0..9}) Temperature (@{int:40..99}) exceeds critical threshold
T 8 component=gige state=link | Link error on broadcast tree Interconnect-@{int:0..9}T@{int:0..9:pad2}:@{int:0..9:pad2}:@{int:0..9}
T 3 component=node state=psu | PSU status (  on   on  @{pick:on|off} )
