#include "server/server_metrics.h"

namespace maas {

StoreSizeMetrics::StoreSizeMetrics(metrics::Registry& r)
    : models_(r.gauge("maas_registry_models", "Models in the registry", {}).with({})),
      versions_(r.gauge("maas_registry_versions", "Model versions in the registry", {}).with({})),
      aliases_(r.gauge("maas_registry_aliases", "Aliases in the registry", {}).with({})),
      blobs_(r.gauge("maas_artifact_store_blobs", "Artifact blobs stored", {}).with({})),
      blob_bytes_(r.gauge("maas_artifact_store_bytes", "Bytes of artifact blobs stored", {}).with({})),
      metadata_bytes_(r.gauge("maas_metadata_store_bytes", "Bytes of the metadata database and its WAL", {}).with({})) {}

void StoreSizeMetrics::sample(store::MetadataStore& metadata, artifacts::ArtifactStore& artifacts,
                            const std::filesystem::path& db) {
  if (auto c = metadata.counts(); c.ok()) {
    models_.set(static_cast<double>(c->models));
    versions_.set(static_cast<double>(c->versions));
    aliases_.set(static_cast<double>(c->aliases));
  }
  if (auto st = artifacts.stats(); st.ok()) {
    blobs_.set(static_cast<double>(st->blobs));
    blob_bytes_.set(static_cast<double>(st->bytes));
  }
  uint64_t bytes = 0;
  for (const char* suffix : {"", "-wal"}) {
    std::error_code ec;
    auto size = std::filesystem::file_size(db.string() + suffix, ec);
    if (!ec) bytes += size;
  }
  metadata_bytes_.set(static_cast<double>(bytes));
}

void add_log_metrics(metrics::Registry& r, logs::LogCenter& center) {
  auto& written = r.counter("maas_log_records_total", "Records written to the log center, by source", {"source"});
  auto& dropped = r.counter("maas_log_records_dropped_total",
                            "maas's own records dropped because the log center's queue was full", {});
  auto& errors = r.counter("maas_log_write_errors_total", "Batches of maas's own records that failed to be written", {});
  auto& bytes = r.gauge("maas_log_store_bytes", "Bytes of log segments, live and archived", {"tier"});
  auto& segments = r.gauge("maas_log_store_segments", "Log segment files, live and archived", {"tier"});
  auto& streams = r.gauge("maas_log_store_streams", "Distinct log streams (label sets) in the log store", {});
  auto& tails = r.gauge("maas_log_tails", "Live log tails open now", {});
  r.add_collector([&, c = &center] {
    auto counters = c->counters();
    written.with({"maas"}).set_sampled(static_cast<double>(counters.emitted));
    written.with({"push"}).set_sampled(static_cast<double>(counters.pushed));
    dropped.with({}).set_sampled(static_cast<double>(counters.dropped));
    errors.with({}).set_sampled(static_cast<double>(counters.write_errors));
    tails.with({}).set(static_cast<double>(counters.tails));
    auto s = c->store().stats();
    bytes.with({"live"}).set(static_cast<double>(s.bytes));
    bytes.with({"archive"}).set(static_cast<double>(s.archived_bytes));
    segments.with({"live"}).set(static_cast<double>(s.segments));
    segments.with({"archive"}).set(static_cast<double>(s.archived_segments));
    streams.with({}).set(static_cast<double>(s.streams));
  });
  if (auto* remote = center.remote()) {
    auto& pushed = r.counter("maas_log_remote_entries_total",
                             "Records sent to the remote Loki (logs.store: loki), by result: pushed; failed (dropped after "
                             "every attempt); refused (the buffer was full)",
                             {"result"});
    auto& attempts = r.counter("maas_log_remote_push_errors_total", "Failed pushes to the remote Loki", {});
    auto& buffered = r.gauge("maas_log_remote_buffered_entries", "Records waiting to be pushed to the remote Loki", {});
    r.add_collector([&, remote] {
      auto n = remote->counters();
      pushed.with({"pushed"}).set_sampled(static_cast<double>(n.pushed));
      pushed.with({"failed"}).set_sampled(static_cast<double>(n.failed));
      pushed.with({"refused"}).set_sampled(static_cast<double>(n.refused));
      attempts.with({}).set_sampled(static_cast<double>(n.push_errors));
      buffered.with({}).set(static_cast<double>(n.buffered));
    });
  }
}

}  // namespace maas
