# Held out (fourth set): written before the changes of data/brain, never used to tune it.
# Apache Kafka's server.log: "[date time,ms] LEVEL message (logger)".
system Kafka
header [@{time:%Y-%m-%d %H:%M:%S},@{int:0..999:pad3}] @{$level}
default level=INFO
pool topics orders payments clicks audit-log __consumer_offsets inventory
pool groups billing-service analytics-etl search-indexer notifier
T 40 | [ReplicaFetcher replicaId=@{int:0..5}, leaderId=@{int:0..5}, fetcherId=@{int:0..3}] Truncating partition @{word:topics}-@{int:0..49} with TruncationState(offset=@{int:0..9999999}, completed=true) due to leader epoch and offset EpochEndOffset(errorCode=0, partition=@{int:0..49}, leaderEpoch=@{int:0..99}, endOffset=@{int:0..9999999}) (kafka.server.ReplicaFetcherThread)
T 35 | [Log partition=@{word:topics}-@{int:0..49}, dir=/var/lib/kafka/data] Rolled new log segment at offset @{int:0..99999999} in @{int:0..99} ms. (kafka.log.Log)
T 30 | [GroupCoordinator @{int:0..5}]: Preparing to rebalance group @{word:groups} in state PreparingRebalance with old generation @{int:1..999} (__consumer_offsets-@{int:0..49}) (reason: Adding new member consumer-@{word:groups}-@{int:1..9}-@{uuid} with group instance id None) (kafka.coordinator.group.GroupCoordinator)
T 28 | [GroupCoordinator @{int:0..5}]: Stabilized group @{word:groups} generation @{int:1..999} (__consumer_offsets-@{int:0..49}) with @{int:1..12} members (kafka.coordinator.group.GroupCoordinator)
T 25 | [Log partition=@{word:topics}-@{int:0..49}, dir=/var/lib/kafka/data] Deleting segment LogSegment(baseOffset=@{int:0..99999999}, size=@{int:0..1073741824}, lastModifiedTime=@{int:1600000000000..1799999999999}, largestRecordTimestamp=Some(@{int:1600000000000..1799999999999})) due to retention time @{int:3600000..604800000}ms breach based on the largest record timestamp in the segment (kafka.log.Log)
T 20 | [GroupMetadataManager brokerId=@{int:0..5}] Removed @{int:0..999} expired offsets in @{int:0..99} milliseconds. (kafka.coordinator.group.GroupMetadataManager)
T 15 level=WARN | [ReplicaFetcher replicaId=@{int:0..5}, leaderId=@{int:0..5}, fetcherId=@{int:0..3}] Error in response for fetch request (type=FetchRequest, replicaId=@{int:0..5}, maxWait=500, minBytes=1, maxBytes=10485760) (kafka.server.ReplicaFetcherThread)
T 12 | [Controller id=@{int:0..5}] Processing automatic preferred replica leader election (kafka.controller.KafkaController)
T 10 | [Partition @{word:topics}-@{int:0..49} broker=@{int:0..5}] Shrinking ISR from @{int:0..5},@{int:0..5},@{int:0..5} to @{int:0..5},@{int:0..5}. Leader: (highWatermark: @{int:0..9999999}, endOffset: @{int:0..9999999}). Out of sync replicas: (brokerId: @{int:0..5}, endOffset: @{int:0..9999999}). (kafka.cluster.Partition)
T 8 | [Partition @{word:topics}-@{int:0..49} broker=@{int:0..5}] Expanding ISR from @{int:0..5},@{int:0..5} to @{int:0..5},@{int:0..5},@{int:0..5} (kafka.cluster.Partition)
T 6 level=ERROR | [KafkaApi-@{int:0..5}] Error when handling request: clientId=@{word:groups}, correlationId=@{int:1..999999}, api=FETCH, version=@{int:5..13}, body=FetchRequestData(clusterId=null, replicaId=-1, maxWaitMs=500, minBytes=1) (kafka.server.KafkaApis)
T 5 | [KafkaServer id=@{int:0..5}] started (kafka.server.KafkaServer)
T 4 level=WARN | [SocketServer listenerType=ZK_BROKER, nodeId=@{int:0..5}] Unexpected error from /@{ip} (channelId=@{ip}:9092-@{ip}:@{port}-@{int:0..999}); closing connection (org.apache.kafka.common.network.Selector)
