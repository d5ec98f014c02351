# Held out (second set): templates written after the algorithm was frozen, never used to tune it.
include ../hadoop.tpl
T 6 thread=AsyncDispatcher~event~handler component=org.apache.hadoop.mapreduce.v2.app.job.impl.TaskAttemptImpl | @{frag:attempt} TaskAttempt Transitioned from RUNNING to KILL_CONTAINER_CLEANUP
T 5 thread=AsyncDispatcher~event~handler component=org.apache.hadoop.mapreduce.v2.app.job.impl.TaskAttemptImpl | @{frag:attempt} TaskAttempt Transitioned from KILL_CONTAINER_CLEANUP to KILL_TASK_CLEANUP
T 4 thread=AsyncDispatcher~event~handler component=org.apache.hadoop.mapreduce.v2.app.job.impl.TaskAttemptImpl | @{frag:attempt} TaskAttempt Transitioned from KILL_TASK_CLEANUP to KILLED
T 4 thread=fetcher#@{int:1..5} component=org.apache.hadoop.mapreduce.task.reduce.Fetcher | fetcher#@{int:1..5} about to shuffle output of map @{frag:attempt} decomp: @{int:100..99999} len: @{int:100..99999} to MEMORY
T 3 thread=fetcher#@{int:1..5} component=org.apache.hadoop.mapreduce.task.reduce.ShuffleSchedulerImpl | @{word:hosts}:13562 freed by fetcher#@{int:1..5} in @{int:1..900}ms
T 2 thread=main component=org.apache.hadoop.mapred.MapTask | Spilling map output
T 2 thread=main component=org.apache.hadoop.mapred.MapTask | kvstart = @{int:0..26214396}(@{int:0..104857584}); kvend = @{int:0..26214396}(@{int:0..104857584}); length = @{int:0..6553600}/@{int:0..6553600}
T 1 thread=main component=org.apache.hadoop.mapred.Task | Task:@{frag:attempt} is done. And is in the process of committing
