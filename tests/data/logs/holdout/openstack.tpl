# Held out (second set): templates written after the algorithm was frozen, never used to tune it.
include ../openstack.tpl
T 10 service=compute component=nova.compute.manager | [instance: @{uuid}] VM Rebooted (Lifecycle Event)
T 8 | @{ip} "PUT /v2/@{hex:32}/servers/@{uuid} HTTP/1.1" status: 200 len: @{int:1500..2000} time: @{float:0..1:7}
T 6 service=compute component=nova.virt.libvirt.driver | [instance: @{uuid}] Instance rebooted successfully.
T 5 service=compute level=WARNING component=nova.compute.manager | [instance: @{uuid}] Instance shutdown by itself. Calling the stop API. Current vm_state: active, current task_state: None, original DB power_state: 1, current VM power_state: 4
T 4 service=compute component=nova.compute.claims | [instance: @{uuid}] Total vcpu: @{int:8..16} VCPU, used: @{float:0..8:2} VCPU; limit: @{float:10..40:2} VCPU
T 3 service=compute component=nova.compute.resource_tracker ctx=req-@{uuid}~-~-~-~-~- | Free ram (MB): @{int:1000..64000}
T 2 service=compute component=nova.compute.resource_tracker ctx=req-@{uuid}~-~-~-~-~- | Free disk (GB): @{int:1..15}
T 1 service=compute level=ERROR component=nova.compute.manager | [instance: @{uuid}] Failed to allocate network(s)
