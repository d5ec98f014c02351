# Held out (third set): templates written before the algorithm changes of data/discovery2, never used to tune it.
include ../hadoop.tpl
T 12 thread=RMCommunicator~Allocator component=org.apache.hadoop.mapreduce.v2.app.rm.RMContainerAllocator | Recalculating schedule, headroom=<memory:@{int:0..20000}, vCores:@{int:-20..20}>
T 10 thread=RMCommunicator~Allocator component=org.apache.hadoop.mapreduce.v2.app.rm.RMContainerAllocator | Reduce slow start threshold not met. completedMapsForReduceSlowstart @{int:1..10}
T 6 thread=fetcher#@{int:1..5} component=org.apache.hadoop.mapreduce.task.reduce.Fetcher | fetcher#@{int:1..5} about to shuffle output of map @{frag:attempt} decomp: @{int:1000..99999} len: @{int:1000..99999} to MEMORY
T 4 level=WARN thread=LeaseRenewer:msrabi@msra-sa-41:9000 component=org.apache.hadoop.hdfs.LeaseRenewer | Failed to renew lease for [DFSClient_NONMAPREDUCE_@{int:100000000..999999999}_1] for @{int:30..900} seconds.  Will retry shortly ...
T 3 level=ERROR thread=eventHandlingThread component=org.apache.hadoop.mapreduce.jobhistory.JobHistoryEventHandler | Error writing History Event: org.apache.hadoop.mapreduce.jobhistory.TaskAttemptUnsuccessfulCompletionEvent@@{hex:8}
T 10 thread=ContainerLauncher~#@{int:0..9} component=org.apache.hadoop.mapreduce.v2.app.launcher.ContainerLauncherImpl | Shuffle port returned by ContainerManager for @{frag:attempt} : 13562
