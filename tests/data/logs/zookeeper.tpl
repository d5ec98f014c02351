# ZooKeeper style: "date time,ms - LEVEL  [thread:Class@line] - message"; election notifications carry two states.
system Zookeeper
header @{time:%Y-%m-%d %H:%M:%S},@{int:0..999:pad3} - @{$level}  [@{$thread}:@{$component}@@{int:50..1200}] -
default level=INFO thread=NIOServerCxn.Factory:0.0.0.0/0.0.0.0:2181 component=NIOServerCnxn
pool envs java.version=1.7.0_79 java.vendor=Oracle os.name=Linux os.arch=amd64 user.name=zookeeper user.home=/home/zookeeper user.dir=/ host.name=mesos-master-1 zookeeper.version=3.4.5-1392090 java.io.tmpdir=/tmp java.compiler=<NA> os.version=2.6.32-431.el6.x86_64

T 60 component=NIOServerCnxnFactory | Accepted socket connection from /@{ipport}
T 60 component=NIOServerCnxn | Closed socket connection for client /@{ipport} which had sessionid 0x@{hex:15}
T 40 component=NIOServerCnxn | Closed socket connection for client /@{ipport} (no session established for client)
T 40 level=WARN component=NIOServerCnxn | caught end of stream exception
T 30 component=ZooKeeperServer | Client attempting to establish new session at /@{ipport}
T 30 thread=CommitProcessor:@{int:1..3} component=ZooKeeperServer | Established session 0x@{hex:15} with negotiated timeout @{int:10000..40000} for client /@{ipport}
T 10 thread=QuorumPeer[myid=@{int:1..3}]/0:0:0:0:0:0:0:0:2181 component=ZooKeeperServer | Client attempting to renew session 0x@{hex:15} at /@{ipport}
T 15 thread=SessionTracker component=ZooKeeperServer | Expiring session 0x@{hex:15}, timeout of @{int:10000..40000}ms exceeded
T 15 thread=ProcessThread(sid:@{int:1..3}~cport:-1): component=PrepRequestProcessor | Processed session termination for sessionid: 0x@{hex:15}
T 8 thread=WorkerReceiver[myid=@{int:1..3}] component=FastLeaderElection | Notification: @{int:1..3} (n.leader), 0x@{hex:9} (n.zxid), 0x@{int:1..9} (n.round), LOOKING (n.state), @{int:1..3} (n.sid), 0x@{int:1..9} (n.peerEPoch), LOOKING (my state)
T 6 thread=WorkerReceiver[myid=@{int:1..3}] component=FastLeaderElection | Notification: @{int:1..3} (n.leader), 0x@{hex:9} (n.zxid), 0x@{int:1..9} (n.round), LOOKING (n.state), @{int:1..3} (n.sid), 0x@{int:1..9} (n.peerEPoch), FOLLOWING (my state)
T 6 thread=WorkerReceiver[myid=@{int:1..3}] component=FastLeaderElection | Notification: @{int:1..3} (n.leader), 0x@{hex:9} (n.zxid), 0x@{int:1..9} (n.round), FOLLOWING (n.state), @{int:1..3} (n.sid), 0x@{int:1..9} (n.peerEPoch), LOOKING (my state)
T 5 thread=WorkerReceiver[myid=@{int:1..3}] component=FastLeaderElection | Notification: @{int:1..3} (n.leader), 0x@{hex:9} (n.zxid), 0x@{int:1..9} (n.round), LEADING (n.state), @{int:1..3} (n.sid), 0x@{int:1..9} (n.peerEPoch), LOOKING (my state)
T 4 thread=WorkerReceiver[myid=@{int:1..3}] component=FastLeaderElection | Notification: @{int:1..3} (n.leader), 0x@{hex:9} (n.zxid), 0x@{int:1..9} (n.round), FOLLOWING (n.state), @{int:1..3} (n.sid), 0x@{int:1..9} (n.peerEPoch), FOLLOWING (my state)
T 3 thread=WorkerReceiver[myid=@{int:1..3}] component=FastLeaderElection | Notification: @{int:1..3} (n.leader), 0x@{hex:9} (n.zxid), 0x@{int:1..9} (n.round), LOOKING (n.state), @{int:1..3} (n.sid), 0x@{int:1..9} (n.peerEPoch), LEADING (my state)
T 10 thread=QuorumPeer[myid=@{int:1..3}]/0:0:0:0:0:0:0:0:2181 component=FastLeaderElection | Notification time out: @{int:200..60000}
T 10 level=WARN thread=WorkerSender[myid=@{int:1..3}] component=QuorumCnxManager | Cannot open channel to @{int:1..3} at election address /@{ipport}
T 6 level=WARN thread=RecvWorker:@{int:1..3} component=QuorumCnxManager$RecvWorker | Connection broken for id @{int:1..3}, my id = @{int:1..3}, error =
T 6 level=WARN thread=SendWorker:@{int:1..3} component=QuorumCnxManager$SendWorker | Interrupted while waiting for message on queue
T 5 level=WARN thread=SendWorker:@{int:1..3} component=QuorumCnxManager$SendWorker | Send worker leaving thread
T 4 level=WARN thread=RecvWorker:@{int:1..3} component=QuorumCnxManager$RecvWorker | Interrupting SendWorker
T 4 thread=/0:0:0:0:0:0:0:0:3888 component=QuorumCnxManager$Listener | Received connection request /@{ipport}
T 3 thread=WorkerSender[myid=@{int:1..3}] component=QuorumCnxManager | Have smaller server identifier, so dropping the connection: (@{int:1..3}, @{int:1..3})
T 3 thread=QuorumPeer[myid=@{int:1..3}]/0:0:0:0:0:0:0:0:2181 component=FastLeaderElection | New election. My id =  @{int:1..3}, proposed zxid=0x@{hex:9}
T 3 thread=QuorumPeer[myid=@{int:1..3}]/0:0:0:0:0:0:0:0:2181 component=QuorumPeer | LOOKING
T 3 thread=QuorumPeer[myid=@{int:1..3}]/0:0:0:0:0:0:0:0:2181 component=QuorumPeer | FOLLOWING
T 2 thread=QuorumPeer[myid=@{int:1..3}]/0:0:0:0:0:0:0:0:2181 component=QuorumPeer | LEADING
T 2 thread=QuorumPeer[myid=@{int:1..3}]/0:0:0:0:0:0:0:0:2181 component=Learner | Getting a snapshot from leader
T 2 thread=QuorumPeer[myid=@{int:1..3}]/0:0:0:0:0:0:0:0:2181 component=Follower | FOLLOWING - LEADER ELECTION TOOK - @{int:10..9000}
T 2 thread=QuorumPeer[myid=@{int:1..3}]/0:0:0:0:0:0:0:0:2181 component=Leader | LEADING - LEADER ELECTION TOOK - @{int:10..9000}
T 2 thread=QuorumPeer[myid=@{int:1..3}]/0:0:0:0:0:0:0:0:2181 component=FileTxnSnapLog | Snapshotting: 0x@{hex:9} to /var/lib/zookeeper/version-2/snapshot.@{hex:9}
T 2 thread=main component=Environment | Server environment:@{word:envs}
T 1 level=ERROR component=NIOServerCnxn | Unexpected Exception:
T 1 level=WARN component=NIOServerCnxn | Exception causing close of session 0x@{hex:15} due to java.io.IOException: ZooKeeperServer not running
T 1 component=NIOServerCnxn | Connection request from old client /@{ipport}; will be dropped if server is in r-o mode
T 1 level=WARN thread=QuorumPeer[myid=@{int:1..3}]/0:0:0:0:0:0:0:0:2181 component=Follower | Got zxid 0x@{hex:9} expected 0x@{int:1..9}
T 1 thread=QuorumPeer[myid=@{int:1..3}]/0:0:0:0:0:0:0:0:2181 component=Learner | Revalidating client: 0x@{hex:15}
T 1 thread=SyncThread:@{int:1..3} component=SyncRequestProcessor | shutdown of request processor complete
T 1 thread=main component=DatadirCleanupManager | autopurge.snapRetainCount set to @{int:3..10}
T 1 thread=main component=DatadirCleanupManager | autopurge.purgeInterval set to @{int:0..24}
T 1 thread=main component=ZooKeeperServer | tickTime set to @{int:2000..3000}
T 1 thread=main component=ZooKeeperServer | minSessionTimeout set to @{int:4000..6000}
T 1 thread=main component=ZooKeeperServer | maxSessionTimeout set to @{int:40000..60000}
T 1 thread=main component=QuorumPeerMain | Starting quorum peer
