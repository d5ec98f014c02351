# OpenStack nova style: file name, date time.ms, pid, LEVEL, logger, [request context], message.
system OpenStack
header nova-@{$service}.log.1.@{time:%Y-%m-%d_%H:%M:%S} @{time:%Y-%m-%d %H:%M:%S}.@{int:0..999:pad3} @{int:2000..30000} @{$level} @{$component} [@{$ctx}]
default service=api level=INFO component=nova.osapi_compute.wsgi.server ctx=req-@{uuid}~@{hex:32}~@{hex:32}~-~-~-
frag detail /v2/@{hex:32}/servers/detail
frag server /v2/@{hex:32}/servers/@{uuid}
frag flavor /v2/@{hex:32}/flavors/@{int:1..9}

T 100 | @{ip} "GET @{pick:#detail|#detail|#server|#flavor} HTTP/1.1" status: @{pick:200|200|200|404} len: @{int:200..2000} time: @{float:0..1:7}
T 30 | @{ip} "POST /v2/@{hex:32}/os-server-external-events HTTP/1.1" status: 200 len: @{int:300..400} time: @{float:0..1:7}
T 15 | @{ip} "DELETE /v2/@{hex:32}/servers/@{uuid} HTTP/1.1" status: 204 len: 203 time: @{float:0..1:7}
T 20 service=compute component=nova.compute.manager ctx=req-@{uuid}~-~-~-~-~- | [instance: @{uuid}] VM Started (Lifecycle Event)
T 15 service=compute component=nova.compute.manager ctx=req-@{uuid}~-~-~-~-~- | [instance: @{uuid}] VM Paused (Lifecycle Event)
T 15 service=compute component=nova.compute.manager ctx=req-@{uuid}~-~-~-~-~- | [instance: @{uuid}] VM Resumed (Lifecycle Event)
T 15 service=compute component=nova.compute.manager ctx=req-@{uuid}~-~-~-~-~- | [instance: @{uuid}] VM Stopped (Lifecycle Event)
T 15 service=compute component=nova.compute.claims | [instance: @{uuid}] Attempting claim: memory @{int:512..4096} MB, disk @{int:1..40} GB, vcpus @{int:1..8} CPU
T 15 service=compute component=nova.compute.claims | [instance: @{uuid}] Total memory: @{int:64000..65000} MB, used: @{float:512..4096:2} MB
T 15 service=compute component=nova.compute.claims | [instance: @{uuid}] memory limit: @{float:90000..100000:2} MB, free: @{float:90000..100000:2} MB
T 15 service=compute component=nova.compute.claims | [instance: @{uuid}] Total disk: @{int:10..20} GB, used: @{float:0..20:2} GB
T 12 service=compute component=nova.compute.claims | [instance: @{uuid}] disk limit not specified, defaulting to unlimited
T 12 service=compute component=nova.compute.claims | [instance: @{uuid}] Total vcpu: @{int:8..16} VCPU, used: @{float:0..8:2} VCPU
T 12 service=compute component=nova.compute.claims | [instance: @{uuid}] vcpu limit not specified, defaulting to unlimited
T 12 service=compute component=nova.compute.claims | [instance: @{uuid}] Claim successful
T 10 service=compute component=nova.virt.libvirt.driver | [instance: @{uuid}] Creating image
T 10 service=compute component=nova.compute.manager | [instance: @{uuid}] Took @{float:10..30:2} seconds to spawn the instance on the hypervisor.
T 10 service=compute component=nova.compute.manager | [instance: @{uuid}] Took @{float:10..30:2} seconds to build instance.
T 10 service=compute component=nova.compute.manager | [instance: @{uuid}] Took @{float:0..2:2} seconds to destroy the instance on the hypervisor.
T 10 service=compute component=nova.compute.manager | [instance: @{uuid}] Took @{float:0..2:2} seconds to deallocate network for instance.
T 10 service=compute component=nova.virt.libvirt.driver | [instance: @{uuid}] Instance spawned successfully.
T 10 service=compute component=nova.virt.libvirt.driver | [instance: @{uuid}] Instance destroyed successfully.
T 8 service=compute component=nova.compute.manager | [instance: @{uuid}] Terminating instance
T 8 service=compute component=nova.virt.libvirt.driver | [instance: @{uuid}] Deleting instance files /var/lib/nova/instances/@{uuid}_del
T 8 service=compute component=nova.virt.libvirt.driver | [instance: @{uuid}] Deletion of /var/lib/nova/instances/@{uuid}_del complete
T 8 service=compute component=nova.compute.manager | [instance: @{uuid}] During sync_power_state the instance has a pending task (spawning). Skip.
T 6 service=compute component=nova.compute.resource_tracker ctx=req-@{uuid}~-~-~-~-~- | Auditing locally available compute resources for node cp-@{int:1..9}.slowvm1.tcloud-pg0.utah.cloudlab.us
T 6 service=compute component=nova.compute.resource_tracker ctx=req-@{uuid}~-~-~-~-~- | Final resource view: name=cp-1.slowvm1.tcloud-pg0.utah.cloudlab.us phys_ram=64172MB used_ram=@{int:512..8000}MB phys_disk=15GB used_disk=@{int:0..20}GB total_vcpus=16 used_vcpus=@{int:0..8} pci_stats=[]
T 6 service=compute component=nova.compute.resource_tracker ctx=req-@{uuid}~-~-~-~-~- | Total usable vcpus: 16, total allocated vcpus: @{int:0..8}
T 6 service=compute component=nova.compute.resource_tracker ctx=req-@{uuid}~-~-~-~-~- | Compute_service record updated for cp-1.slowvm1.tcloud-pg0.utah.cloudlab.us:cp-1.slowvm1.tcloud-pg0.utah.cloudlab.us
T 5 service=compute component=nova.virt.libvirt.imagecache ctx=req-@{uuid}~-~-~-~-~- | image @{uuid} at (/var/lib/nova/instances/_base/@{hex:40}): checking
T 5 service=compute component=nova.virt.libvirt.imagecache ctx=req-@{uuid}~-~-~-~-~- | image @{uuid} at (/var/lib/nova/instances/_base/@{hex:40}): in use: on this node @{int:1..3} local, 0 on other nodes sharing this instance storage
T 4 service=compute component=nova.virt.libvirt.imagecache ctx=req-@{uuid}~-~-~-~-~- | Active base files: /var/lib/nova/instances/_base/@{hex:40}
T 3 service=compute component=nova.virt.libvirt.imagecache ctx=req-@{uuid}~-~-~-~-~- | Removable base files: /var/lib/nova/instances/_base/@{hex:40}
T 3 service=compute component=nova.virt.libvirt.imagecache ctx=req-@{uuid}~-~-~-~-~- | Base or swap file too young to remove: /var/lib/nova/instances/_base/@{hex:40}
T 3 service=compute component=nova.compute.manager ctx=req-@{uuid}~-~-~-~-~- | Running instance usage audit for host cp-@{int:1..9}.slowvm1.tcloud-pg0.utah.cloudlab.us from @{time:%Y-%m-%d %H}:00:00 to @{time:%Y-%m-%d %H}:00:00. @{int:0..9} instances.
T 3 service=compute component=nova.compute.manager ctx=req-@{uuid}~-~-~-~-~- | While synchronizing instance power states, found @{int:0..3} instances in the database and @{int:0..3} instances on the hypervisor.
T 2 service=compute component=nova.compute.manager ctx=req-@{uuid}~-~-~-~-~- | The instance sync for host 'cp-1.slowvm1.tcloud-pg0.utah.cloudlab.us' did not match. Re-created its InstanceList.
T 2 service=compute component=nova.compute.manager ctx=req-@{uuid}~-~-~-~-~- | Successfully synced instances from host 'cp-1.slowvm1.tcloud-pg0.utah.cloudlab.us'.
T 2 level=WARNING component=nova.api.openstack.compute.server_external_events | HTTP exception thrown: No instances found for any event
T 2 component=nova.api.openstack.compute.server_external_events | Creating event network-vif-plugged:@{uuid} for instance @{uuid}
T 1 service=compute level=WARNING component=nova.virt.libvirt.imagecache ctx=req-@{uuid}~-~-~-~-~- | Unknown base file: /var/lib/nova/instances/_base/@{hex:40}
