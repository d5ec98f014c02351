# Held out (third set): templates written before the algorithm changes of data/discovery2, never used to tune it.
include ../zookeeper.tpl
T 8 level=WARN thread=SendWorker:@{int:1..3} component=QuorumCnxManager | Interrupted while waiting for message on queue
T 6 thread=SyncThread:0 component=FileTxnLog | Creating new log file: log.@{hex:9}
T 4 level=WARN thread=RecvWorker:@{int:1..3} component=QuorumCnxManager | Connection broken for id @{int:1..3}, my id = @{int:1..3}, error = 
T 10 thread=WorkerSender[myid=@{int:1..3}] component=QuorumCnxManager | Cannot open channel to @{int:1..3} at election address /@{ipport}
T 5 thread=QuorumPeer[myid=@{int:1..3}]/0:0:0:0:0:0:0:0:2181 component=QuorumPeer | LOOKING
