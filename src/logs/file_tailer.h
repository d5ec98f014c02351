// Follows log files named in the configuration, as `tail -F` does: files present at start are read from their end,
// files that appear later from their beginning; a new file at the path (rotation) is read from its beginning after
// the old one is drained; a truncated file is read again from 0. Each complete line becomes an entry of the stream
// {job="file", filename="<path>"} through LogCenter::emit (bounded, never blocking).
//
// Thread-safety: owns one thread, which polls every `interval`; the destructor stops it.
#pragma once

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <thread>
#include <vector>

#include "logs/log_center.h"

namespace maas::logs {

class FileTailer {
 public:
  FileTailer(LogCenter& center, const std::vector<std::filesystem::path>& files, std::chrono::milliseconds interval);
  ~FileTailer();
  FileTailer(const FileTailer&) = delete;
  FileTailer& operator=(const FileTailer&) = delete;

 private:
  struct Followed {
    std::filesystem::path path;
    LabelSet labels;
    int fd = -1;
    uint64_t inode = 0;
    uint64_t offset = 0;
    std::string partial;  // bytes after the last newline
  };
  void poll(Followed& f, bool at_start);
  // Reads what was appended to f.fd since f.offset and emits its complete lines.
  void drain(Followed& f);
  void close(Followed& f);

  LogCenter& center_;
  std::vector<Followed> files_;
  std::chrono::milliseconds interval_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace maas::logs
