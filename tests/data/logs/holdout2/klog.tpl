# Held out (third set): a new style, written before the algorithm changes of data/discovery2, never used to tune it.
system klog
header @{$lvl}@{time:%m%d %H:%M:%S}.@{int:0..999999:pad6} @{int:1..99999} @{$file}]
default lvl=I file=kubelet.go:@{int:1000..2500}
pool pods web-7d9f8b6c5-x2k4p api-5c6d7f8b9-qw7zr worker-6b8c9d7f5-lm3np redis-0 postgres-0 coredns-565d847f94-8rtkz
pool nss default kube-system monitoring payments
pool containers web api worker redis postgres coredns
T 40 | "SyncLoop (PLEG): event for pod" pod="@{word:nss}/@{word:pods}" event={ID:@{uuid} Type:ContainerStarted Data:@{hex:64}}
T 30 file=kubelet.go:@{int:1000..2500} | "SyncLoop UPDATE" source="api" pods=[@{word:nss}/@{word:pods}]
T 25 lvl=E file=pod_workers.go:@{int:900..1300} | "Error syncing pod, skipping" err="failed to \"StartContainer\" for \"@{word:containers}\" with CrashLoopBackOff: \"back-off @{pick:10s|20s|40s|1m20s|2m40s|5m0s} restarting failed container=@{word:containers} pod=@{word:pods}_@{word:nss}(@{uuid})\"" pod="@{word:nss}/@{word:pods}" podUID=@{uuid}
T 20 file=reconciler_common.go:@{int:150..300} | "operationExecutor.MountVolume started for volume \"kube-api-access-@{alnum:5}\" (UniqueName: \"kubernetes.io/projected/@{uuid}-kube-api-access-@{alnum:5}\") pod \"@{word:pods}\" (UID: \"@{uuid}\") " pod="@{word:nss}/@{word:pods}"
T 15 file=kuberuntime_manager.go:@{int:900..1100} | "Message for Container of pod" containerName="@{word:containers}" containerStatusID={Type:containerd ID:@{hex:64}} pod="@{word:nss}/@{word:pods}" containerMessage="Container @{word:containers} failed liveness probe, will be restarted"
T 12 lvl=W file=reflector.go:@{int:400..600} | k8s.io/client-go/informers/factory.go:@{int:100..160}: watch of *v1.@{pick:Pod|Node|Service|ConfigMap} ended with: an error on the server ("unable to decode an event from the watch stream: http2: client connection lost") has prevented the request from succeeding
T 10 file=prober.go:@{int:100..130} | "Probe failed" probeType="@{pick:Liveness|Readiness}" pod="@{word:nss}/@{word:pods}" podUID=@{uuid} containerName="@{word:containers}" probeResult=failure output="Get \"http://@{ipport}/healthz\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)"
T 8 file=kubelet_node_status.go:@{int:70..80} | "Successfully registered node" node="@{pick:node-1|node-2|node-3}"
T 6 file=eviction_manager.go:@{int:300..400} | "Eviction manager: attempting to reclaim" resourceName="@{pick:memory|ephemeral-storage}"
T 5 lvl=E file=remote_runtime.go:@{int:400..700} | "ContainerStatus from runtime service failed" err="rpc error: code = NotFound desc = an error occurred when try to find container \"@{hex:64}\": not found" containerID="@{hex:64}"
T 4 file=server.go:@{int:100..200} | "Started kubelet"
T 3 lvl=W file=sysinfo.go:@{int:200..210} | "Nodes topology is not available, providing CPU topology"
