#include "logs/file_tailer.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <spdlog/spdlog.h>

namespace maas::logs {
namespace {

constexpr size_t kReadChunk = 1 << 20;  // per file and poll: one busy file cannot starve the others for long

int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

FileTailer::FileTailer(LogCenter& center, const std::vector<std::filesystem::path>& files,
                       std::chrono::milliseconds interval)
    : center_(center), interval_(interval) {
  for (const auto& path : files) {
    Followed f;
    f.path = path;
    f.labels = *LabelSet::make({{"job", "file"}, {"filename", path.string().substr(0, kMaxLabelValueBytes)}});
    files_.push_back(std::move(f));
  }
  for (auto& f : files_) poll(f, true);
  thread_ = std::thread([this] {
    std::unique_lock lock(mu_);
    while (!cv_.wait_for(lock, interval_, [this] { return stop_; })) {
      lock.unlock();
      for (auto& f : files_) poll(f, false);
      lock.lock();
    }
  });
}

FileTailer::~FileTailer() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
  for (auto& f : files_) close(f);
}

void FileTailer::close(Followed& f) {
  if (f.fd >= 0) ::close(f.fd);
  f.fd = -1;
  f.partial.clear();
}

void FileTailer::poll(Followed& f, bool at_start) {
  struct stat at_path {};
  bool exists = ::stat(f.path.c_str(), &at_path) == 0;
  if (f.fd >= 0) {
    drain(f);
    struct stat open_file {};
    if (::fstat(f.fd, &open_file) == 0 && static_cast<uint64_t>(open_file.st_size) < f.offset) {
      f.offset = 0;  // truncated in place: start over
      f.partial.clear();
      drain(f);
    }
    if (!exists || static_cast<uint64_t>(at_path.st_ino) != f.inode) {
      close(f);  // rotated away (drained above); the new file, if any, is opened below
    }
  }
  if (f.fd < 0 && exists && S_ISREG(at_path.st_mode)) {
    f.fd = ::open(f.path.c_str(), O_RDONLY | O_CLOEXEC);
    if (f.fd < 0) {
      spdlog::warn("cannot open {} to follow it: {}", f.path.string(), std::strerror(errno));
      return;
    }
    f.inode = static_cast<uint64_t>(at_path.st_ino);
    f.offset = at_start ? static_cast<uint64_t>(at_path.st_size) : 0;
    drain(f);
  }
}

void FileTailer::drain(Followed& f) {
  std::string buf(kReadChunk, '\0');
  ssize_t n = ::pread(f.fd, buf.data(), buf.size(), static_cast<off_t>(f.offset));
  if (n <= 0) return;
  f.offset += static_cast<uint64_t>(n);
  std::string_view data(buf.data(), static_cast<size_t>(n));
  int64_t ts = now_ns();
  size_t start = 0;
  for (size_t nl; (nl = data.find('\n', start)) != std::string_view::npos; start = nl + 1) {
    std::string line = std::move(f.partial);
    f.partial.clear();
    line.append(data.substr(start, nl - start));
    if (!line.empty() && line.back() == '\r') line.pop_back();
    center_.emit(f.labels, ts, std::move(line));
  }
  f.partial.append(data.substr(start));
  if (f.partial.size() >= kMaxLineBytes) {  // a line that never ends is cut, not held without bound
    center_.emit(f.labels, ts, std::move(f.partial));
    f.partial.clear();
  }
}

}  // namespace maas::logs
