# Held out (third set): templates written before the algorithm changes of data/discovery2, never used to tune it.
include ../hdfs.tpl
T 12 component=dfs.FSNamesystem | BLOCK* ask @{ipport} to delete  @{list:1..6: :blk}
T 8 level=WARN component=dfs.DataNode | @{ipport}:Got exception while serving blk_@{blk} to /@{ip}:
T 4 component=dfs.FSNamesystem | BLOCK* Removing block blk_@{blk} from neededReplications as it does not belong to any file.
T 3 level=WARN component=dfs.PendingReplicationBlocks | PendingReplicationMonitor timed out block blk_@{blk}
T 10 component=dfs.DataBlockScanner | Verification succeeded for blk_@{blk}
T 5 level=WARN component=dfs.DataNode | Unexpected error trying to delete block blk_@{blk}. BlockInfo not found in volumeMap.
