# Held out (second set): templates written after the algorithm was frozen, never used to tune it.
include ../zookeeper.tpl
T 6 level=WARN thread=QuorumPeer[myid=@{int:1..3}]/0:0:0:0:0:0:0:0:2181 component=Follower | Exception when following the leader
T 5 thread=LearnerHandler-/@{ipport} component=LearnerHandler | Follower sid: @{int:1..3} : info : org.apache.zookeeper.server.quorum.QuorumPeer$QuorumServer@@{hex:7}
T 4 thread=LearnerHandler-/@{ipport} component=LearnerHandler | Synchronizing with Follower sid: @{int:1..3} maxCommittedLog=0x@{hex:9} minCommittedLog=0x@{hex:9} peerLastZxid=0x@{hex:9}
T 3 thread=QuorumPeer[myid=@{int:1..3}]/0:0:0:0:0:0:0:0:2181 component=Leader | Have quorum of supporters; starting up and setting last processed zxid: 0x@{hex:9}
T 3 level=ERROR thread=LearnerHandler-/@{ipport} component=LearnerHandler | Unexpected exception causing shutdown while sock still open
T 2 thread=main component=QuorumPeerConfig | Defaulting to majority quorums
T 2 thread=SyncThread:@{int:1..3} component=FileTxnLog | Creating new log file: log.@{hex:9}
T 1 level=WARN thread=SendWorker:@{int:1..3} component=QuorumCnxManager$SendWorker | Send worker leaving thread id @{int:1..3} my id = @{int:1..3}
