// Transfer progress for uploads and downloads: the live bar drawn on a terminal's stderr and the summary line
// printed when a transfer ends.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace maas::cli {

// 0.4 -> "0.4s", 75 -> "1m15s", 3725 -> "1h02m". Negative or non-finite values print as "?".
std::string format_duration(double seconds);

// Bytes per second in binary units, like sizes: "12.3 MiB/s".
std::string format_rate(double bytes_per_second);

// "[#########...............]  38%  11.0 MiB / 29.0 MiB  24.5 MiB/s  ETA 1s". Without a known total (a download
// without Content-Length) only bytes and rate are shown.
std::string format_progress_line(uint64_t done, std::optional<uint64_t> total, double elapsed_seconds);

// "uploaded 29.0 MiB in 1.2s (24.1 MiB/s)"; `verb` says which way the bytes went.
std::string format_transfer_summary(std::string_view verb, uint64_t bytes, double elapsed_seconds);

// Draws format_progress_line on stderr, redrawing in place at most ten times a second. Disabled (draws nothing)
// when stderr is not a terminal, so logs and pipes get only the summary line. Not thread-safe.
class ProgressBar {
 public:
  ProgressBar(std::optional<uint64_t> total, bool enabled);
  ~ProgressBar();
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;

  void set_total(std::optional<uint64_t> total) { total_ = total; }
  void update(uint64_t done);
  // Erases the bar so that the next line starts clean; called by the destructor too.
  void finish();
  double elapsed_seconds() const;

  // True when stderr is a terminal: the default for `enabled`.
  static bool stderr_is_terminal();

 private:
  using Clock = std::chrono::steady_clock;

  std::optional<uint64_t> total_;
  bool enabled_;
  bool drawn_ = false;
  Clock::time_point start_;
  Clock::time_point last_draw_;
};

}  // namespace maas::cli
