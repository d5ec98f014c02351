// A bound on one kind of data work in flight (dataset imports, downloads, rule discoveries): a request takes a slot
// before it reads its body or opens a database and gives it back when its last byte is done; when none is free it
// is refused at once (429 naming the setting) rather than queued with its body in memory or on disk.
//
// Thread-safety: any thread. A Slot shares the counter, so it may outlive the WorkSlots that gave it (a response
// stream destroyed after the routes' owner).
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include "common/status.h"

namespace maas::data::api {

class WorkSlots {
 public:
  // `what` names the work in the refusal ("dataset imports"), `setting` the setting that bounds it.
  WorkSlots(std::string what, std::string setting, int64_t capacity)
      : what_(std::move(what)), setting_(std::move(setting)), capacity_(capacity),
        used_(std::make_shared<std::atomic<int64_t>>(0)) {}

  class Slot {
   public:
    explicit Slot(std::shared_ptr<std::atomic<int64_t>> used) : used_(std::move(used)) {}
    ~Slot() {
      if (used_) used_->fetch_sub(1);
    }
    Slot(Slot&& other) noexcept = default;
    Slot& operator=(Slot&&) = delete;
    Slot(const Slot&) = delete;
    Slot& operator=(const Slot&) = delete;

   private:
    std::shared_ptr<std::atomic<int64_t>> used_;
  };

  // A slot, or RESOURCE_EXHAUSTED when `capacity` are taken.
  Result<Slot> try_acquire() {
    int64_t now = used_->load();
    do {
      if (now >= capacity_) {
        return resource_exhausted(std::to_string(capacity_) + " " + what_ + " are running (" + setting_ +
                                  "); retry when one has finished");
      }
    } while (!used_->compare_exchange_weak(now, now + 1));
    return Slot(used_);
  }
  int64_t in_use() const { return used_->load(); }

 private:
  std::string what_;
  std::string setting_;
  int64_t capacity_;
  std::shared_ptr<std::atomic<int64_t>> used_;
};

}  // namespace maas::data::api
