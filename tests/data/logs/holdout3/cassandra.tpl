# Held out (fourth set): written before the changes of data/brain, never used to tune it.
# Apache Cassandra's system.log: "LEVEL  [thread] date time,ms File.java:line - message".
system Cassandra
header @{$level}  [@{$thread}] @{time:%Y-%m-%d %H:%M:%S},@{int:0..999:pad3} @{$src} -
default level=INFO thread=CompactionExecutor:@{int:1..8} src=CompactionTask.java:@{int:200..260}
pool keyspaces system system_schema app_data metrics
pool tables compaction_history peers local events sessions users
pool peers 10.0.1.11 10.0.1.12 10.0.1.13 10.0.2.21
T 40 | Compacted (@{uuid}) @{int:2..8} sstables to [/var/lib/cassandra/data/@{word:keyspaces}/@{word:tables}-@{hex:32}/nb-@{int:1..9999}-big,] to level=0.  @{fqty:1..999:KiB} to @{fqty:1..999:KiB} (~@{int:10..99}% of original) in @{int:10..9999}ms.  Read Throughput = @{fqty:1..999:KiB}/s, Write Throughput = @{fqty:1..999:KiB}/s, Row Throughput = ~@{int:1..9999}/s.  @{int:1..999} total partitions merged to @{int:1..999}.  Partition merge counts were {1:@{int:1..999}, }
T 35 thread=MemtableFlushWriter:@{int:1..4} src=Memtable.java:@{int:450..470} | Writing Memtable-@{word:tables}@@{int:100000000..999999999}(@{fqty:1..999:KiB} serialized bytes, @{int:1..9999} ops, @{int:0..99}%/@{int:0..9}% of on/off-heap limit), flushed range = (min(-9223372036854775808), max(9223372036854775807)]
T 30 thread=MemtableFlushWriter:@{int:1..4} src=Memtable.java:@{int:480..500} | Completed flushing /var/lib/cassandra/data/@{word:keyspaces}/@{word:tables}-@{hex:32}/nb-@{int:1..9999}-big-Data.db (@{fqty:1..999:KiB}) for commitlog position CommitLogPosition(segmentId=@{int:1600000000000..1799999999999}, position=@{int:1..99999999})
T 25 thread=GossipStage:1 src=Gossiper.java:@{int:1100..1200} | InetAddress /@{word:peers}:7000 is now @{pick:UP|DOWN}
T 20 level=WARN thread=ScheduledTasks:1 src=NoSpamLogger.java:@{int:90..100} | Some operations were slow, details available at debug level (debug.log)
T 15 thread=Service~Thread src=GCInspector.java:@{int:280..300} | G1 Young Generation GC in @{int:200..2000}ms.  G1 Eden Space: @{int:1000000..999999999} -> 0; G1 Old Gen: @{int:1000000..999999999} -> @{int:1000000..999999999}; G1 Survivor Space: @{int:1000000..99999999} -> @{int:1000000..99999999}
T 12 thread=HANDSHAKE-/@{word:peers} src=OutboundConnectionInitiator.java:@{int:360..370} | Handshaking version with /@{word:peers}:7000
T 10 thread=MigrationStage:1 src=ColumnFamilyStore.java:@{int:430..440} | Initializing @{word:keyspaces}.@{word:tables}
T 8 level=WARN thread=ReadStage-@{int:1..32} src=ReadCommand.java:@{int:560..580} | Read @{int:1..5000} live rows and @{int:1000..100000} tombstone cells for query SELECT * FROM @{word:keyspaces}.@{word:tables} WHERE id = @{int:1..99999} LIMIT 5000; token @{int:1..9223372036854775} (see tombstone_warn_threshold)
T 6 thread=main src=StorageService.java:@{int:2700..2800} | Node /@{word:peers}:7000 state jump to NORMAL
T 5 level=ERROR thread=CompactionExecutor:@{int:1..8} src=CassandraDaemon.java:@{int:570..590} | Exception in thread Thread[CompactionExecutor:@{int:1..8},1,main]
T 4 thread=OptionalTasks:1 src=CassandraRoleManager.java:@{int:370..380} | Created default superuser role 'cassandra'
