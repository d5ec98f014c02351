// The log center's own series at /metrics: records written and dropped, store sizes, the remote Loki's pushes
// (docs/METRICS.md).
#pragma once

#include "logs/log_center.h"
#include "metrics/metrics.h"

namespace maas::api {

// Registers the families and a collector that samples `center` at each scrape; `center` must outlive `registry`'s
// scrapes.
void add_log_metrics(metrics::Registry& registry, logs::LogCenter& center);

}  // namespace maas::api
