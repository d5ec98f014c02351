# HDFS-style: a datanode/namenode log (yymmdd HHMMSS pid LEVEL component: message).
system HDFS
header @{time:%y%m%d} @{time:%H%M%S} @{int:13..4000} @{$level} @{$component}:
default level=INFO component=dfs.DataNode
pool users root hadoop hdfs

T 60 component=dfs.DataNode$PacketResponder | PacketResponder @{int:0..2} for block blk_@{blk} terminating
T 55 component=dfs.DataNode$PacketResponder | Received block blk_@{blk} of size @{int:1000..67108864} from /@{ip}
T 50 component=dfs.DataNode$DataXceiver | Receiving block blk_@{blk} src: /@{ipport} dest: /@{ipport}
T 70 component=dfs.FSNamesystem | BLOCK* NameSystem.addStoredBlock: blockMap updated: @{ipport} is added to blk_@{blk} size @{int:1000..67108864}
T 15 component=dfs.FSNamesystem | BLOCK* NameSystem.allocateBlock: /user/@{word:users}/rand/_temporary/_task_@{int:200811092030..200811092099}_@{int:1..20:pad4}_m_@{int:0..2000:pad6}_@{int:0..3}/part-@{int:0..2000:pad5}. blk_@{blk}
T 8 component=dfs.DataNode$DataXceiver | @{ipport} Served block blk_@{blk} to /@{ip}
T 6 level=WARN component=dfs.DataNode$DataXceiver | @{ipport}:Got exception while serving blk_@{blk} to /@{ip}:
T 5 component=dfs.FSDataset | Deleting block blk_@{blk} file /mnt/hadoop/dfs/data/current/subdir@{int:0..63}/blk_@{blk}
T 6 component=dfs.FSNamesystem | BLOCK* NameSystem.delete: blk_@{blk} is added to invalidSet of @{ipport}
T 4 component=dfs.DataBlockScanner | Verification succeeded for blk_@{blk}
T 3 component=dfs.FSNamesystem | BLOCK* ask @{ipport} to replicate blk_@{blk} to datanode(s) @{list:1..3: :ipport}
T 2 component=dfs.FSNamesystem | BLOCK* ask @{ipport} to delete @{list:1..5: :blkid}
T 3 level=WARN component=dfs.DataNode | writeBlock blk_@{blk} received exception java.io.IOException: Connection reset by peer
T 2 level=WARN component=dfs.DataNode | writeBlock blk_@{blk} received exception java.io.EOFException
T 2 component=dfs.DataNode | Changing block file offset of block blk_@{blk} from @{int:0..67108864} to @{int:0..67108864} meta file offset to @{int:0..600000}
T 2 component=dfs.DataNode$DataTransfer | @{ipport}:Transmitted block blk_@{blk} to /@{ipport}
T 1 component=dfs.FSNamesystem | BLOCK* NameSystem.addStoredBlock: Redundant addStoredBlock request received for blk_@{blk} on @{ipport} size @{int:1000..67108864}
T 1 level=WARN component=dfs.DataNode$BlockReceiver | Exception in receiveBlock for block blk_@{blk} java.io.IOException: Connection reset by peer
T 1 level=WARN component=dfs.DataNode$PacketResponder | PacketResponder blk_@{blk} @{int:0..2} Exception java.io.IOException: Broken pipe
T 1 level=WARN component=dfs.DataNode | @{ipport}:Failed to transfer blk_@{blk} to @{ipport} got java.net.SocketException: Connection reset
T 2 component=dfs.DataNode$PacketResponder | Received block blk_@{blk} src: /@{ipport} dest: /@{ipport} of size @{int:1000..67108864}
T 1 component=dfs.FSNamesystem | BLOCK* Removing block blk_@{blk} from neededReplications as it does not belong to any file.
T 1 component=dfs.DataNode | Reopen Block blk_@{blk}
T 1 level=WARN component=dfs.DataNode | Unexpected error trying to delete block blk_@{blk}. BlockInfo not found in volumeMap.
T 1 component=dfs.FSNamesystem | BLOCK* NameSystem.pendingTransfer: ask @{ipport} to replicate blk_@{blk} to datanode(s) @{ipport}
T 1 level=WARN component=dfs.PendingReplicationBlocks$PendingReplicationMonitor | PendingReplicationMonitor timed out block blk_@{blk}
