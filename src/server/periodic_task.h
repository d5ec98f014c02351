// A task run every interval on a thread of its own (garbage collection, sampling store sizes), apart from the I/O
// threads because it may block on disk.
// Thread-safety: the task runs on the PeriodicTask's thread; the destructor stops and joins it (a run in progress
// finishes first).
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace maas {

class PeriodicTask {
 public:
  PeriodicTask(std::chrono::milliseconds interval, std::function<void()> task)
      : thread_([this, interval, task = std::move(task)] {
          std::unique_lock lock(mu_);
          while (!cv_.wait_for(lock, interval, [this] { return stop_; })) {
            lock.unlock();
            task();
            lock.lock();
          }
        }) {}
  ~PeriodicTask() {
    {
      std::lock_guard lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace maas
