# Held out (second set): templates written after the algorithm was frozen, never used to tune it.
include ../hpc.tpl
T 8 component=node state=status | unavailable
T 6 component=node state=status | halted
T 5 node=node-D@{int:0..9} component=action state=start | shutdown  (command @{int:1000..4000})
T 4 component=node state=temp | Temperature (@{int:60..90}C) exceeds critical threshold
T 3 node=gige@{int:1..9} component=gige state=link | Link down on port @{int:1..48}
T 3 node=gige@{int:1..9} component=gige state=link | Link up on port @{int:1..48} speed @{pick:100|1000} Mb/s
T 2 component=node state=niff | NIFF: node node-@{int:1..300} has lost connectivity on network @{ip}
T 1 component=switch_module state=psu | psu ok\ ambient=@{int:20..40}
