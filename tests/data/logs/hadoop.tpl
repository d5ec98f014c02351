# Hadoop MapReduce application master style: task attempts move through states (templates that differ in one word).
system Hadoop
header @{time:%Y-%m-%d %H:%M:%S},@{int:0..999:pad3} @{$level} [@{$thread}] @{$component}:
default level=INFO thread=main component=org.apache.hadoop.mapreduce.v2.app.MRAppMaster app=@{pick:1445144423722_0020|1445087491445_0005|1445062781478_0011}
frag attempt attempt_@{$app}_@{pick:m|m|m|m|r}_@{int:0..20:pad6}_@{int:0..1}
frag task task_@{$app}_@{pick:m|m|m|r}_@{int:0..20:pad6}
frag container container_@{$app}_01_@{int:1..40:pad6}
pool hosts MININT-FNANLI5.fareast.corp.microsoft.com MININT-75DGDAM1.fareast.corp.microsoft.com msra-sa-41 04DN8IQ.fareast.corp.microsoft.com MSRA-SA-39.fareast.corp.microsoft.com

T 20 thread=AsyncDispatcher~event~handler component=org.apache.hadoop.mapreduce.v2.app.job.impl.TaskAttemptImpl | @{frag:attempt} TaskAttempt Transitioned from NEW to UNASSIGNED
T 20 thread=AsyncDispatcher~event~handler component=org.apache.hadoop.mapreduce.v2.app.job.impl.TaskAttemptImpl | @{frag:attempt} TaskAttempt Transitioned from UNASSIGNED to ASSIGNED
T 18 thread=AsyncDispatcher~event~handler component=org.apache.hadoop.mapreduce.v2.app.job.impl.TaskAttemptImpl | @{frag:attempt} TaskAttempt Transitioned from ASSIGNED to RUNNING
T 15 thread=AsyncDispatcher~event~handler component=org.apache.hadoop.mapreduce.v2.app.job.impl.TaskAttemptImpl | @{frag:attempt} TaskAttempt Transitioned from RUNNING to SUCCESS_CONTAINER_CLEANUP
T 15 thread=AsyncDispatcher~event~handler component=org.apache.hadoop.mapreduce.v2.app.job.impl.TaskAttemptImpl | @{frag:attempt} TaskAttempt Transitioned from SUCCESS_CONTAINER_CLEANUP to SUCCEEDED
T 5 thread=AsyncDispatcher~event~handler component=org.apache.hadoop.mapreduce.v2.app.job.impl.TaskAttemptImpl | @{frag:attempt} TaskAttempt Transitioned from RUNNING to FAIL_CONTAINER_CLEANUP
T 5 thread=AsyncDispatcher~event~handler component=org.apache.hadoop.mapreduce.v2.app.job.impl.TaskAttemptImpl | @{frag:attempt} TaskAttempt Transitioned from FAIL_CONTAINER_CLEANUP to FAIL_TASK_CLEANUP
T 5 thread=AsyncDispatcher~event~handler component=org.apache.hadoop.mapreduce.v2.app.job.impl.TaskAttemptImpl | @{frag:attempt} TaskAttempt Transitioned from FAIL_TASK_CLEANUP to FAILED
T 12 thread=AsyncDispatcher~event~handler component=org.apache.hadoop.mapreduce.v2.app.job.impl.TaskImpl | @{frag:task} Task Transitioned from NEW to SCHEDULED
T 12 thread=AsyncDispatcher~event~handler component=org.apache.hadoop.mapreduce.v2.app.job.impl.TaskImpl | @{frag:task} Task Transitioned from SCHEDULED to RUNNING
T 10 thread=AsyncDispatcher~event~handler component=org.apache.hadoop.mapreduce.v2.app.job.impl.TaskImpl | @{frag:task} Task Transitioned from RUNNING to SUCCEEDED
T 2 thread=AsyncDispatcher~event~handler component=org.apache.hadoop.mapreduce.v2.app.job.impl.JobImpl | job_@{$app}Job Transitioned from NEW to INITED
T 2 thread=AsyncDispatcher~event~handler component=org.apache.hadoop.mapreduce.v2.app.job.impl.JobImpl | job_@{$app}Job Transitioned from INITED to SETUP
T 2 thread=AsyncDispatcher~event~handler component=org.apache.hadoop.mapreduce.v2.app.job.impl.JobImpl | job_@{$app}Job Transitioned from SETUP to RUNNING
T 30 thread=IPC~Server~handler~@{int:0..29}~on~@{int:60000..65000} component=org.apache.hadoop.mapred.TaskAttemptListenerImpl | Progress of TaskAttempt @{frag:attempt} is : @{float:0..1:8}
T 8 thread=IPC~Server~handler~@{int:0..29}~on~@{int:60000..65000} component=org.apache.hadoop.mapred.TaskAttemptListenerImpl | JVM with ID : jvm_@{$app}_m_@{int:0..99:pad6} asked for a task
T 8 thread=IPC~Server~handler~@{int:0..29}~on~@{int:60000..65000} component=org.apache.hadoop.mapred.TaskAttemptListenerImpl | JVM with ID: jvm_@{$app}_m_@{int:0..99:pad6} given task: @{frag:attempt}
T 6 thread=IPC~Server~handler~@{int:0..29}~on~@{int:60000..65000} component=org.apache.hadoop.mapred.TaskAttemptListenerImpl | Done acknowledgement from @{frag:attempt}
T 10 thread=RMCommunicator~Allocator component=org.apache.hadoop.mapreduce.v2.app.rm.RMContainerAllocator | Before Scheduling: PendingReds:@{int:0..1} ScheduledMaps:@{int:0..10} ScheduledReds:@{int:0..1} AssignedMaps:@{int:0..10} AssignedReds:0 CompletedMaps:@{int:0..10} CompletedReds:0 ContAlloc:@{int:0..20} ContRel:0 HostLocal:@{int:0..10} RackLocal:@{int:0..5}
T 10 thread=RMCommunicator~Allocator component=org.apache.hadoop.mapreduce.v2.app.rm.RMContainerAllocator | After Scheduling: PendingReds:@{int:0..1} ScheduledMaps:@{int:0..10} ScheduledReds:@{int:0..1} AssignedMaps:@{int:0..10} AssignedReds:0 CompletedMaps:@{int:0..10} CompletedReds:0 ContAlloc:@{int:0..20} ContRel:0 HostLocal:@{int:0..10} RackLocal:@{int:0..5}
T 6 thread=RMCommunicator~Allocator component=org.apache.hadoop.mapreduce.v2.app.rm.RMContainerRequestor | getResources() for application_@{$app}: ask=@{int:0..5} release= @{int:0..3} newContainers=@{int:0..5} finishedContainers=@{int:0..5} resourcelimit=<memory:@{int:0..8192}, vCores:@{int:-5..8}> knownNMs=@{int:1..4}
T 4 thread=RMCommunicator~Allocator component=org.apache.hadoop.mapreduce.v2.app.rm.RMContainerAllocator | Recalculating schedule, headroom=<memory:@{int:0..8192}, vCores:@{int:-5..8}>
T 4 thread=RMCommunicator~Allocator component=org.apache.hadoop.mapreduce.v2.app.rm.RMContainerAllocator | Reduce slow start threshold not met. completedMapsForReduceSlowstart @{int:1..10}
T 3 thread=RMCommunicator~Allocator component=org.apache.hadoop.mapreduce.v2.app.rm.RMContainerAllocator | Assigned container @{frag:container} to @{frag:attempt}
T 3 thread=RMCommunicator~Allocator component=org.apache.hadoop.mapreduce.v2.app.rm.RMContainerAllocator | Received completed container @{frag:container}
T 3 thread=RMCommunicator~Allocator component=org.apache.hadoop.mapreduce.v2.app.rm.RMContainerAllocator | Got allocated containers @{int:1..4}
T 3 level=WARN thread=LeaseRenewer:msrabi@msra-sa-41:9000 component=org.apache.hadoop.ipc.Client | Retrying connect to server: @{word:hosts}/@{ip}:@{port}. Already tried @{int:0..9} time(s); retry policy is RetryUpToMaximumCountWithFixedSleep(maxRetries=10, sleepTime=1000 MILLISECONDS)
T 3 level=WARN thread=LeaseRenewer:msrabi@msra-sa-41:9000 component=org.apache.hadoop.hdfs.LeaseRenewer | Failed to renew lease for [DFSClient_NONMAPREDUCE_@{int:100000000..999999999}_@{int:1..9}] for @{int:30..900} seconds.  Will retry shortly ...
T 2 thread=RMCommunicator~Allocator component=org.apache.hadoop.ipc.Client | Address change detected. Old: @{word:hosts}/@{ip}:@{port} New: @{word:hosts}:@{port}
T 2 level=ERROR thread=RMCommunicator~Allocator component=org.apache.hadoop.mapreduce.v2.app.rm.RMContainerAllocator | ERROR IN CONTACTING RM.
T 2 thread=ContainerLauncher~#@{int:0..9} component=org.apache.hadoop.yarn.client.api.impl.ContainerManagementProtocolProxy | Opening proxy : @{word:hosts}:@{port}
T 2 thread=ContainerLauncher~#@{int:0..9} component=org.apache.hadoop.mapreduce.v2.app.launcher.ContainerLauncherImpl | Shuffle port returned by ContainerManager for @{frag:attempt} : @{int:13562..13600}
T 2 thread=ContainerLauncher~#@{int:0..9} component=org.apache.hadoop.mapreduce.v2.app.launcher.ContainerLauncherImpl | Processing the event EventType: CONTAINER_REMOTE_LAUNCH for container @{frag:container} taskAttempt @{frag:attempt}
T 2 thread=ContainerLauncher~#@{int:0..9} component=org.apache.hadoop.mapreduce.v2.app.launcher.ContainerLauncherImpl | Processing the event EventType: CONTAINER_REMOTE_CLEANUP for container @{frag:container} taskAttempt @{frag:attempt}
T 1 | Created MRAppMaster for application appattempt_@{$app}_@{int:1..2:pad6}
T 1 | Executing with tokens:
T 1 | Kind: YARN_AM_RM_TOKEN, Service: , Ident: (appAttemptId { application_id { id: @{int:1..50} cluster_timestamp: @{int:1445000000000..1445999999999} } attemptId: @{int:1..2} } keyId: @{int:-2000000000..2000000000})
T 1 | Using mapred newApiCommitter.
T 1 | OutputCommitter set in config null
T 1 component=org.apache.hadoop.mapreduce.v2.app.job.impl.JobImpl | Input size for job job_@{$app} = @{int:100000..2000000}. Number of splits = @{int:1..20}
T 1 component=org.apache.hadoop.mapreduce.v2.app.job.impl.JobImpl | Number of reduces for job job_@{$app} = @{int:1..4}
T 1 component=org.apache.hadoop.mapreduce.v2.app.job.impl.JobImpl | Adding job token for job_@{$app} to jobTokenSecretManager
T 1 component=org.apache.hadoop.mapreduce.v2.app.job.impl.JobImpl | Not uberizing job_@{$app} because: not enabled; too many maps; too much input;
T 1 component=org.apache.hadoop.http.HttpRequestLog | Http request log for http.requests.mapreduce is not defined
T 1 component=org.apache.hadoop.http.HttpServer2 | Jetty bound to port @{port}
T 1 component=org.apache.hadoop.yarn.webapp.WebApps | Web app /mapreduce started at @{port}
T 1 thread=IPC~Server~listener~on~@{port} component=org.apache.hadoop.ipc.Server | IPC Server listener on @{port}: starting
T 1 thread=Socket~Reader~#1~for~port~@{port} component=org.apache.hadoop.ipc.Server | Starting Socket Reader #@{int:1..3} for port @{port}
T 1 thread=DefaultSpeculator~background~processing component=org.apache.hadoop.mapreduce.v2.app.speculate.DefaultSpeculator | DefaultSpeculator.addSpeculativeAttempt -- we are speculating @{frag:task}
T 1 thread=DefaultSpeculator~background~processing component=org.apache.hadoop.mapreduce.v2.app.speculate.DefaultSpeculator | We launched @{int:1..3} speculations.  Sleeping @{int:15000..16000} milliseconds.
T 1 thread=AsyncDispatcher~event~handler component=org.apache.hadoop.mapreduce.v2.app.job.impl.TaskImpl | Scheduling a redundant attempt for task @{frag:task}
T 1 thread=ContainerLauncher~#@{int:0..9} component=org.apache.hadoop.mapreduce.v2.app.launcher.ContainerLauncherImpl | KILLING @{frag:attempt}
T 1 level=WARN thread=AsyncDispatcher~event~handler component=org.apache.hadoop.mapreduce.v2.app.job.impl.TaskAttemptImpl | Task cleanup failed for attempt @{frag:attempt}
T 1 thread=AsyncDispatcher~event~handler component=org.apache.hadoop.mapreduce.v2.app.job.impl.TaskAttemptImpl | Diagnostics report from @{frag:attempt}: Container killed by the ApplicationMaster.
T 1 level=ERROR thread=eventHandlingThread component=org.apache.hadoop.mapreduce.jobhistory.JobHistoryEventHandler | Error writing History Event: org.apache.hadoop.mapreduce.jobhistory.TaskAttemptUnsuccessfulCompletionEvent@@{hex:7}
T 1 component=org.apache.hadoop.mapreduce.v2.app.rm.RMContainerAllocator | maxContainerCapability: <memory:@{int:4096..8192}, vCores:@{int:4..32}>
T 1 component=org.apache.hadoop.mapreduce.v2.app.rm.RMContainerAllocator | reduceResourceRequest:<memory:@{int:1024..4096}, vCores:1>
