# Held out (third set): templates written before the algorithm changes of data/discovery2, never used to tune it.
include ../spark.tpl
T 10 component=scheduler.TaskSetManager | Starting task @{float:0..50:1} in stage @{float:0..30:1} (TID @{int:0..5000}, @{host}, partition @{int:0..200},@{pick:NODE_LOCAL|PROCESS_LOCAL|ANY}, @{int:1000..9999} bytes)
T 8 component=scheduler.DAGScheduler | ResultStage @{int:0..99} (collect at @{pick:Main.scala|Job.scala}:@{int:10..300}) finished in @{float:0..99:3} s
T 4 level=WARN component=storage.BlockManager | Block @{word:cached} already exists on this machine; not re-adding it
T 3 level=ERROR component=executor.CoarseGrainedExecutorBackend | RECEIVED SIGNAL 15: SIGTERM
T 10 component=storage.DiskBlockManager | Created local directory at /tmp/spark-@{uuid}/executor-@{uuid}/blockmgr-@{uuid}
