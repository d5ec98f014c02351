# Held out (second set): templates written after the algorithm was frozen, never used to tune it.
include ../hdfs.tpl
T 6 component=dfs.DataNode | Starting DataNode with maxLockedMemory = @{int:0..65536}
T 4 component=dfs.DataNode$BlockReceiver | Receiving empty packet for block blk_@{blk}
T 3 level=WARN component=dfs.DataNode$DataXceiver | Slow BlockReceiver write data to disk cost:@{int:300..9000}ms (threshold=300ms)
T 3 component=dfs.FSNamesystem | Number of transactions: @{int:1..9999} Total time for transactions(ms): @{int:0..99} Number of transactions batched in Syncs: @{int:0..99} Number of syncs: @{int:1..999}
T 2 level=ERROR component=dfs.DataNode | @{ipport}:DataXceiver error processing WRITE_BLOCK operation  src: /@{ipport} dst: /@{ipport}
T 2 level=ERROR component=dfs.DataNode | @{ipport}:DataXceiver error processing READ_BLOCK operation  src: /@{ipport} dst: /@{ipport}
T 2 component=dfs.DataNode | Scheduling blk_@{blk} file /mnt/hadoop/dfs/data/current/subdir@{int:0..63}/blk_@{blk} for deletion
T 1 component=dfs.FSNamesystem | Roll Edit Log from @{ip}
