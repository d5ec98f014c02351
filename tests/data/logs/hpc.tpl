# HPC cluster style: record id, node, component, state, epoch, flag; many one- and two-word messages.
system HPC
header @{int:100000..460000} @{$node} @{$component} @{$state} @{epoch} 1
default node=node-@{int:1..300} component=unix.hw state=state_change.unavailable

T 80 | Component State Change: Component "@{pick:alt0|scsi0|eth0}" is in the unavailable state (HWID=@{int:1000..5000})
T 40 component=node state=status | running
T 30 component=node state=status | not responding
T 25 component=node state=status | configured out
T 20 component=node state=status | starting
T 15 component=node state=status | blocked
T 10 component=node state=status | active
T 10 component=node state=status | normal
T 8 component=node state=status | warning
T 8 component=node state=status | critical
T 30 component=node state=boot | boot  (command @{int:1000..4000})
T 20 component=node state=halt | halt  (command @{int:1000..4000})
T 15 component=node state=wait | wait  (command @{int:1000..4000})
T 10 component=node state=risBoot | risBoot  (command @{int:1000..4000})
T 5 component=node state=bootGenvmunix | bootGenvmunix  (command @{int:1000..4000})
T 10 node=Interconnect-@{int:0..9}N@{int:0..9} component=switch_module state=ambient | ambient=@{int:20..40}
T 8 node=Interconnect-@{int:0..9}N@{int:0..9} component=switch_module state=psu | psu failure\ ambient=@{int:20..40}
T 10 node=gige@{int:1..9} component=gige state=link | Link error
T 10 node=gige@{int:1..9} component=gige state=link | Link in reset
T 8 node=gige@{int:1..9} component=gige state=link | Link ok
T 6 node=gige@{int:1..9} component=gige state=link | link errors remain current
T 5 node=gige@{int:1..9} component=gige state=link | Linkerror event interval expired
T 6 component=node state=temp | Temperature (@{int:60..90}C) exceeds warning threshold
T 8 node=Interconnect-@{int:0..9}N@{int:0..9} component=switch_module state=fan | Fan speeds ( @{int:3000..3700} @{int:3000..3700} @{int:3000..3700} @{int:3000..3700} @{int:3000..3700} @{int:3000..3700} )
T 3 node=Interconnect-@{int:0..9}N@{int:0..9} component=switch_module state=fan | Fan speeds ( @{int:3000..3700} @{int:3000..3700} @{int:3000..3700} **** @{int:3000..3700} @{int:3000..3700} )
T 6 component=node state=niff | NIFF: node node-@{int:1..300} detected a failed network connection on network @{ip} via interface alt0
T 6 component=node state=niff | NIFF: node node-@{int:1..300} has detected an available network connection on network @{ip} via interface alt0
T 3 component=node state=niff | NIFF: node node-@{int:1..300} has detected an available network connection on network @{ip} via interface scip0
T 3 component=node state=fs | ClusterFileSystem: There is no server for ServerFileSystem domain storage@{int:100..999}
T 3 component=node state=fs | ServerFileSystem: ServerFileSystem domain storage@{int:100..999} is full
T 2 component=node state=fs | ServerFileSystem: An ServerFileSystem domain panic has occurred on storage@{int:100..999}
T 3 node=node-D@{int:0..9} component=action state=start | clusterAddMember  (command @{int:1000..4000})
T 2 node=node-D@{int:0..9} component=action state=error | Command has been aborted
T 3 node=node-D@{int:0..9} component=action state=error | Command has completed successfully
T 2 node=node-D@{int:0..9} component=action state=error | Failed subcommands @{int:1..9}
T 2 node=node-D@{int:0..9} component=action state=start | Targeting domains:node-D@{int:0..9} and nodes:node-[@{int:1..100}-@{int:100..200}] child of command @{int:1000..4000}
T 2 component=node state=psu | power/control problem
T 1 component=node state=status | not-responding
T 1 component=node state=status | closing
