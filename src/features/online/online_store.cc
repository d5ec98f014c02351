#include "features/online/online_store.h"

#include <limits>
#include <string_view>
#include <unordered_set>

namespace maas::features::online {
namespace {

// The map node, the key twice (map and LRU list) and the list node, roughly.
size_t entry_overhead(const std::string& key) { return 2 * key.capacity() + 96; }

}  // namespace

OnlineStore::OnlineStore(StoreLimits limits, std::function<int64_t()> now_ms)
    : limits_(limits), now_ms_(std::move(now_ms)) {}

void OnlineStore::put_view(std::shared_ptr<const FeatureView> view) {
  auto state = std::make_shared<ViewState>();
  state->view = std::move(view);
  std::shared_ptr<ViewState> old;
  {
    std::unique_lock lock(views_mu_);
    auto& slot = views_[state->view->name];
    old = std::move(slot);
    slot = std::move(state);
  }
  if (old) release(*old);
}

void OnlineStore::remove_view(const std::string& name) {
  std::shared_ptr<ViewState> old;
  {
    std::unique_lock lock(views_mu_);
    auto it = views_.find(name);
    if (it == views_.end()) return;
    old = std::move(it->second);
    views_.erase(it);
  }
  release(*old);
}

std::shared_ptr<const FeatureView> OnlineStore::view(const std::string& name) const {
  auto state = find(name);
  return state ? state->view : nullptr;
}

std::shared_ptr<OnlineStore::ViewState> OnlineStore::find(const std::string& name) const {
  std::shared_lock lock(views_mu_);
  auto it = views_.find(name);
  return it == views_.end() ? nullptr : it->second;
}

OnlineStore::Shard& OnlineStore::shard_of(ViewState& view, const std::string& key) {
  return view.shards[std::hash<std::string>{}(key) % kShards];
}

void OnlineStore::release(ViewState& view) {
  for (Shard& shard : view.shards) {
    std::lock_guard lock(shard.mu);
    while (!shard.entries.empty()) erase(view, shard, shard.entries.begin());
  }
}

void OnlineStore::erase(ViewState& view, Shard& shard,
                        std::unordered_map<std::string, std::unique_ptr<Entry>>::iterator it) {
  memory_bytes_.fetch_sub(it->second->bytes, std::memory_order_relaxed);
  shard.lru.erase(it->second->lru);
  shard.entries.erase(it);
  view.entities.fetch_sub(1, std::memory_order_relaxed);
}

Result<std::vector<std::vector<double>>> OnlineStore::observe(const std::string& name,
                                                              std::span<const Observation> rows) {
  auto view = find(name);
  if (!view) return not_found("feature view '" + name + "' does not exist");
  // A batch naming more entities than the view keeps would evict its own first rows' entities before it ends.
  std::unordered_set<std::string_view> named;
  for (const Observation& row : rows) named.insert(row.entity);
  if (static_cast<int64_t>(named.size()) > limits_.max_entities) {
    return invalid_argument("the rows name " + std::to_string(named.size()) + " entities; feature view '" + name +
                            "' keeps at most " + std::to_string(limits_.max_entities) +
                            " (features.online_max_entities)");
  }
  std::vector<std::vector<double>> out;
  out.reserve(rows.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    bool added = false;
    auto features = observe_one(*view, rows[i], added);
    if (added && view->entities.load(std::memory_order_relaxed) > limits_.max_entities) {
      evict_one(*view, rows[i].entity);
    }
    if (!features.ok()) {
      return Status(features.status().code(), "row " + std::to_string(i) + " (entity '" + rows[i].entity + "') " +
                                                  features.status().message() + "; the " + std::to_string(i) +
                                                  " rows before it were recorded");
    }
    out.push_back(std::move(*features));
  }
  return out;
}

Result<std::vector<double>> OnlineStore::observe_one(ViewState& view, const Observation& row, bool& added) {
  Shard& shard = shard_of(view, row.entity);
  std::lock_guard lock(shard.mu);
  const int64_t now = now_ms_();
  auto it = shard.entries.find(row.entity);
  if (it != shard.entries.end() && idle_too_long(now, it->second->touched_ms)) {
    erase(view, shard, it);
    it = shard.entries.end();
  }
  if (it == shard.entries.end()) {
    auto entry = std::make_unique<Entry>(*view.view);
    shard.lru.push_front(row.entity);
    entry->lru = shard.lru.begin();
    entry->bytes = entry->state.memory_bytes() + entry_overhead(row.entity);
    memory_bytes_.fetch_add(entry->bytes, std::memory_order_relaxed);
    it = shard.entries.emplace(row.entity, std::move(entry)).first;
    view.entities.fetch_add(1, std::memory_order_relaxed);
    added = true;
  }
  Entry& entry = *it->second;
  entry.touched_ms = now;
  entry.touch_order = touches_.fetch_add(1, std::memory_order_relaxed) + 1;
  shard.lru.splice(shard.lru.begin(), shard.lru, entry.lru);
  MAAS_RETURN_IF_ERROR(entry.state.check(row.time_us, limits_.max_window));
  entry.state.append(row.time_us, row.values);
  const size_t bytes = entry.state.memory_bytes() + entry_overhead(row.entity);
  memory_bytes_.fetch_add(bytes - entry.bytes, std::memory_order_relaxed);  // unsigned wrap-around is a subtraction
  entry.bytes = bytes;
  return entry.state.features();
}

void OnlineStore::evict_one(ViewState& view, const std::string& keep) {
  // The view's least recently used entity is the oldest of the shards' least recently used ones; it may be
  // touched between looking and evicting, so look again when it moved.
  for (int attempt = 0; attempt < 4; ++attempt) {
    Shard* oldest = nullptr;
    std::string oldest_key;
    uint64_t oldest_order = std::numeric_limits<uint64_t>::max();
    for (Shard& shard : view.shards) {
      std::lock_guard lock(shard.mu);
      for (auto it = shard.lru.rbegin(); it != shard.lru.rend(); ++it) {
        if (*it == keep) continue;
        const uint64_t order = shard.entries.at(*it)->touch_order;
        if (order < oldest_order) oldest = &shard, oldest_key = *it, oldest_order = order;
        break;
      }
    }
    if (oldest == nullptr) return;
    std::lock_guard lock(oldest->mu);
    auto it = oldest->entries.find(oldest_key);
    if (it != oldest->entries.end() && it->second->touch_order == oldest_order) {
      erase(view, *oldest, it);
      return;
    }
  }
}

Result<EntitySnapshot> OnlineStore::entity(const std::string& name, const std::string& key) {
  auto view = find(name);
  if (!view) return not_found("feature view '" + name + "' does not exist");
  Shard& shard = shard_of(*view, key);
  std::lock_guard lock(shard.mu);
  auto it = shard.entries.find(key);
  if (it == shard.entries.end() || idle_too_long(now_ms_(), it->second->touched_ms)) {
    return not_found("feature view '" + name + "' has no entity '" + key +
                     "' (never observed, evicted, or idle past features.online_ttl_ms)");
  }
  const EntityState& state = it->second->state;
  return EntitySnapshot{state.features(), state.last_time_us(), state.rows()};
}

size_t OnlineStore::expire() {
  std::vector<std::shared_ptr<ViewState>> views;
  {
    std::shared_lock lock(views_mu_);
    for (const auto& [name, view] : views_) views.push_back(view);
  }
  size_t dropped = 0;
  for (auto& view : views) {
    for (Shard& shard : view->shards) {
      std::lock_guard lock(shard.mu);
      const int64_t now = now_ms_();
      while (!shard.lru.empty()) {
        auto it = shard.entries.find(shard.lru.back());
        if (!idle_too_long(now, it->second->touched_ms)) break;
        erase(*view, shard, it);
        ++dropped;
      }
    }
  }
  return dropped;
}

size_t OnlineStore::entities() const {
  std::shared_lock lock(views_mu_);
  size_t n = 0;
  for (const auto& [name, view] : views_) n += static_cast<size_t>(view->entities.load(std::memory_order_relaxed));
  return n;
}

}  // namespace maas::features::online
