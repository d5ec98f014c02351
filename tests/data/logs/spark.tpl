# Spark executor style (yy/MM/dd HH:mm:ss LEVEL component: message); sizes with units, block names of two shapes.
system Spark
header @{time:%y/%m/%d %H:%M:%S} @{$level} @{$component}:
default level=INFO component=executor.Executor
pool users yarn curi hadoop spark root
pool cached rdd_2_0 rdd_2_1 rdd_4_3 rdd_7_12 rdd_11_4 broadcast_0 broadcast_1 broadcast_2 broadcast_5 broadcast_9 broadcast_14 rdd_0_7 rdd_30_2
pool pieces broadcast_0_piece0 broadcast_1_piece0 broadcast_2_piece0 broadcast_5_piece0 broadcast_9_piece0 broadcast_14_piece0

T 80 component=storage.BlockManager | Found block rdd_@{int:0..50}_@{int:0..200} locally
T 60 component=executor.Executor | Running task @{float:0..50:1} in stage @{float:0..30:1} (TID @{int:0..5000})
T 60 component=executor.Executor | Finished task @{float:0..50:1} in stage @{float:0..30:1} (TID @{int:0..5000}). @{int:800..30000} bytes result sent to driver
T 30 component=executor.CoarseGrainedExecutorBackend | Got assigned task @{int:0..5000}
T 25 component=spark.CacheManager | Partition rdd_@{int:0..50}_@{int:0..200} not found, computing it
T 20 component=storage.MemoryStore | Block @{word:cached} stored as values in memory (estimated size @{fqty:1..900:KB}, free @{fqty:1..900:MB})
T 14 component=storage.MemoryStore | Block @{word:pieces} stored as bytes in memory (estimated size @{fqty:1..30:KB}, free @{fqty:100..500:MB})
T 10 component=broadcast.TorrentBroadcast | Started reading broadcast variable @{int:0..40}
T 10 component=broadcast.TorrentBroadcast | Reading broadcast variable @{int:0..40} took @{int:1..400} ms
T 8 component=python.PythonRunner | Times: total = @{int:20..5000}, boot = @{int:-20..30}, init = @{int:0..100}, finish = @{int:0..10}
T 6 component=mapred.SparkHadoopMapRedUtil | attempt_@{int:201706091011..201706091099}_@{int:0..99:pad4}_m_@{int:0..99:pad6}_@{int:0..3}: Committed
T 5 component=rdd.HadoopRDD | Input split: hdfs://@{host}:8020/pjhe/test/@{int:1..9}/part-@{int:0..99:pad5}:@{int:0..200000000}+@{int:1000..67108864}
T 3 component=output.FileOutputCommitter | Saved output of task 'attempt_@{int:201706091011..201706091099}_@{int:0..99:pad4}_m_@{int:0..99:pad6}_@{int:0..3}' to hdfs://@{host}:8020/pjhe/test/_temporary/0/task_@{int:201706091011..201706091099}_@{int:0..99:pad4}_m_@{int:0..99:pad6}
T 2 component=executor.CoarseGrainedExecutorBackend | Registered signal handlers for [TERM, HUP, INT]
T 2 component=spark.SecurityManager | Changing view acls to: @{word:users}
T 2 component=spark.SecurityManager | Changing modify acls to: @{word:users}
T 2 component=spark.SecurityManager | SecurityManager: authentication disabled; ui acls disabled; users with view permissions: Set(@{word:users}); users with modify permissions: Set(@{word:users})
T 1 component=slf4j.Slf4jLogger | Slf4jLogger started
T 1 component=Remoting | Starting remoting
T 1 component=Remoting | Remoting started; listening on addresses :[akka.tcp://sparkExecutorActorSystem@@{host}:@{port}]
T 1 component=util.Utils | Successfully started service 'sparkExecutorActorSystem' on port @{port}.
T 1 component=storage.DiskBlockManager | Created local directory at /opt/hdfs/nodemanager/usercache/@{word:users}/appcache/application_@{int:1485248649000..1485248649999}_@{int:1..9000:pad4}/blockmgr-@{uuid}
T 1 component=storage.MemoryStore | MemoryStore started with capacity @{float:10..20:1} GB
T 1 component=executor.CoarseGrainedExecutorBackend | Connecting to driver: spark://CoarseGrainedScheduler@@{ipport}
T 1 component=executor.CoarseGrainedExecutorBackend | Successfully registered with driver
T 1 component=executor.Executor | Starting executor ID @{int:1..30} on host @{host}
T 1 component=util.Utils | Successfully started service 'org.apache.spark.network.netty.NettyBlockTransferService' on port @{port}.
T 1 component=netty.NettyBlockTransferService | Server created on @{port}
T 1 component=storage.BlockManagerMaster | Trying to register BlockManager
T 1 component=storage.BlockManagerMaster | Registered BlockManager
T 1 component=Configuration.deprecation | mapred.tip.id is deprecated. Instead, use mapreduce.task.id
T 1 component=Configuration.deprecation | mapred.task.id is deprecated. Instead, use mapreduce.task.attempt.id
T 1 component=Configuration.deprecation | mapred.task.is.map is deprecated. Instead, use mapreduce.task.ismap
T 1 component=Configuration.deprecation | mapred.task.partition is deprecated. Instead, use mapreduce.task.partition
T 1 component=executor.CoarseGrainedExecutorBackend | Driver commanded a shutdown
T 1 level=ERROR component=executor.CoarseGrainedExecutorBackend | RECEIVED SIGNAL @{int:1..15}: SIGTERM
T 1 level=WARN component=storage.BlockManager | Block rdd_@{int:0..50}_@{int:0..200} could not be removed as it was not found on disk or in memory
T 1 component=storage.BlockManager | Removing RDD @{int:0..50}
T 1 component=output.FileOutputCommitter | File Output Committer Algorithm version is @{int:1..2}
