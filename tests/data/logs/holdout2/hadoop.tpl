# Held out (third set): templates written before the algorithm changes of data/discovery2, never used to tune it.
include ../hadoop.tpl
T 4 level=WARN thread=LeaseRenewer:msrabi@msra-sa-41:9000 component=org.apache.hadoop.hdfs.LeaseRenewer | Failed to renew lease for [DFSClient_NONMAPREDUCE_@{int:100000000..999999999}_1] for @{int:30..900} seconds.  Will retry shortly ...
T 10 thread=ContainerLauncher~#@{int:0..9} component=org.apache.hadoop.mapreduce.v2.app.launcher.ContainerLauncherImpl | Shuffle port returned by ContainerManager for @{frag:attempt} : 13562
