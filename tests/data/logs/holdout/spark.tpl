# Held out (second set): templates written after the algorithm was frozen, never used to tune it.
include ../spark.tpl
T 8 component=storage.ShuffleBlockFetcherIterator | Getting @{int:1..200} non-empty blocks out of @{int:1..200} blocks
T 8 component=storage.ShuffleBlockFetcherIterator | Started @{int:0..9} remote fetches in @{int:0..99} ms
T 4 component=spark.MapOutputTrackerWorker | Don't have map outputs for shuffle @{int:0..9}, fetching them
T 4 component=spark.MapOutputTrackerWorker | Got the output locations
T 3 component=storage.MemoryStore | MemoryStore cleared
T 2 level=WARN component=executor.Executor | Told to re-register on heartbeat
T 2 component=util.ShutdownHookManager | Deleting directory /opt/hdfs/nodemanager/usercache/@{word:users}/appcache/application_@{int:1485248649000..1485248649999}_@{int:1..9000:pad4}/spark-@{uuid}
T 1 level=ERROR component=executor.Executor | Exception in task @{float:0..50:1} in stage @{float:0..30:1} (TID @{int:0..5000})
