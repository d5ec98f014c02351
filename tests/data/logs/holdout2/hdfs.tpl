# Held out (third set): templates written before the algorithm changes of data/discovery2, never used to tune it.
include ../hdfs.tpl
