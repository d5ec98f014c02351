// maasd's series about its own stores: registry and artifact sizes, sampled off the I/O threads, and the log
// center's records, drops and sizes, refreshed at each scrape.
//
// Thread-safety: StoreSizeMetrics::sample from one thread at a time; the gauges may be read from any.
#pragma once

#include <filesystem>

#include "artifacts/artifact_store.h"
#include "logs/log_center.h"
#include "metrics/metrics.h"
#include "store/metadata_store.h"

namespace maas {

// Registry and store sizes (counting blobs walks a directory tree: sampled on a timer, never at a scrape).
class StoreSizeMetrics {
 public:
  explicit StoreSizeMetrics(metrics::Registry& r);
  void sample(store::MetadataStore& metadata, artifacts::ArtifactStore& artifacts, const std::filesystem::path& db);

 private:
  metrics::Gauge& models_;
  metrics::Gauge& versions_;
  metrics::Gauge& aliases_;
  metrics::Gauge& blobs_;
  metrics::Gauge& blob_bytes_;
  metrics::Gauge& metadata_bytes_;
};

// The log center's own series: records written and dropped, store sizes, and the remote Loki's when it is the store.
void add_log_metrics(metrics::Registry& r, logs::LogCenter& center);

}  // namespace maas
