# Held out (third set): templates written before the algorithm changes of data/discovery2, never used to tune it.
include ../openstack.tpl
T 5 service=scheduler component=nova.scheduler.host_manager | Successfully synced instances from host '@{pick:cp-1.slowvm1.tcloud-pg0.utah.cloudlab.us|cp-2.slowvm1.tcloud-pg0.utah.cloudlab.us}'.
T 10 service=compute component=nova.compute.manager | [instance: @{uuid}] Attaching volume @{uuid} to /dev/vd@{pick:b|c|d}
T 6 service=api level=WARNING component=nova.api.openstack.compute.servers | Invalid server status '@{pick:BUILDING|ERRORED|SHUTTING}' in filter
