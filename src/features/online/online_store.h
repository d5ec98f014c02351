// The online feature store: per feature view, per entity, the running state that gives each new row's windowed
// features exactly as the offline features.timeseries job would (entity_state.h). Bounded: at most
// `max_entities` entities per view (the least recently used is evicted), an entity idle for `ttl_ms` is dropped
// (expire(), and on its next observation), no window holds more than `max_window` rows. Held in memory only: a
// restart or a view's redefinition starts every entity over.
//
// Thread-safety: every method may be called from any thread. Entities live in shards, each under its own mutex,
// so requests for different entities rarely contend; a view's definition is shared and immutable.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/status.h"
#include "features/online/entity_state.h"
#include "features/online/feature_view.h"

namespace maas::features::online {

struct StoreLimits {
  int64_t max_entities = 100'000;  // per view
  int64_t ttl_ms = 86'400'000;     // an entity idle this long is dropped (0: never)
  int64_t max_window = 10'000;     // rows in one window (lags, row and time windows)
};

struct Observation {
  std::string entity;
  int64_t time_us = 0;
  std::vector<double> values;  // in the view's value order; NaN: missing
};

struct EntitySnapshot {
  std::vector<double> features;
  int64_t last_time_us = 0;
  int64_t rows = 0;
};

class OnlineStore {
 public:
  // `now_ms`: a monotonic clock in milliseconds (tests pass their own).
  OnlineStore(StoreLimits limits, std::function<int64_t()> now_ms);

  // Adds a view or replaces its definition (its entities start over: their state was for the old features).
  void put_view(std::shared_ptr<const FeatureView> view);
  void remove_view(const std::string& name);
  std::shared_ptr<const FeatureView> view(const std::string& name) const;

  // Appends the rows in order; per row, its features. The first row that cannot be appended (older than its
  // entity's last row: FAILED_PRECONDITION; a time window past max_window: RESOURCE_EXHAUSTED) stops the batch
  // with an error naming the row and the entity; the rows before it stay appended. NOT_FOUND: no such view;
  // INVALID_ARGUMENT: the rows name more entities than the view keeps (nothing is appended).
  Result<std::vector<std::vector<double>>> observe(const std::string& view, std::span<const Observation> rows);
  // NOT_FOUND when the view or the entity is unknown (never seen, evicted or expired).
  Result<EntitySnapshot> entity(const std::string& view, const std::string& key);

  // Drops the entities idle for ttl_ms or longer; returns how many.
  size_t expire();
  size_t memory_bytes() const { return memory_bytes_.load(std::memory_order_relaxed); }
  size_t entities() const;
  const StoreLimits& limits() const { return limits_; }

 private:
  static constexpr size_t kShards = 16;
  struct Entry {
    explicit Entry(const FeatureView& view) : state(view) {}
    EntityState state;
    int64_t touched_ms = 0;
    uint64_t touch_order = 0;  // a global counter: comparing shards' oldest entries gives the view's LRU
    std::list<std::string>::iterator lru;
    size_t bytes = 0;  // what memory_bytes_ counts for it
  };
  struct Shard {
    std::mutex mu;
    std::unordered_map<std::string, std::unique_ptr<Entry>> entries;
    std::list<std::string> lru;  // most recently used first
  };
  struct ViewState {
    std::shared_ptr<const FeatureView> view;
    std::array<Shard, kShards> shards;
    std::atomic<int64_t> entities{0};
  };

  Result<std::vector<double>> observe_one(ViewState& view, const Observation& row, bool& added);
  std::shared_ptr<ViewState> find(const std::string& name) const;
  bool idle_too_long(int64_t now_ms, int64_t touched_ms) const {
    return limits_.ttl_ms > 0 && now_ms - touched_ms >= limits_.ttl_ms;
  }
  Shard& shard_of(ViewState& view, const std::string& key);
  // Removes an entry (under its shard's lock) and its bytes from the count.
  void erase(ViewState& view, Shard& shard, std::unordered_map<std::string, std::unique_ptr<Entry>>::iterator it);
  // Evicts the view's least recently used entity other than `keep`.
  void evict_one(ViewState& view, const std::string& keep);
  void release(ViewState& view);

  const StoreLimits limits_;
  const std::function<int64_t()> now_ms_;
  mutable std::shared_mutex views_mu_;
  std::map<std::string, std::shared_ptr<ViewState>> views_;
  std::atomic<size_t> memory_bytes_{0};
  std::atomic<uint64_t> touches_{0};
};

}  // namespace maas::features::online
