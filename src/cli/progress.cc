// Progress bar and transfer summary formatting.
#include "cli/progress.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "cli/table.h"

namespace maas::cli {
namespace {

constexpr size_t kBarWidth = 24;
constexpr auto kRedrawInterval = std::chrono::milliseconds(100);
// A rate measured over less time than this is mostly noise (the first chunk lands in a socket buffer).
constexpr double kMinimumRateWindowSeconds = 0.05;

std::optional<double> rate_of(uint64_t bytes, double elapsed_seconds) {
  if (!(elapsed_seconds >= kMinimumRateWindowSeconds)) return std::nullopt;
  return static_cast<double>(bytes) / elapsed_seconds;
}

}  // namespace

std::string format_duration(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) return "?";
  if (seconds < 10) return fmt::format("{:.1f}s", seconds);
  const auto total = static_cast<uint64_t>(std::llround(seconds));
  if (total < 60) return fmt::format("{}s", total);
  if (total < 3600) return fmt::format("{}m{:02}s", total / 60, total % 60);
  return fmt::format("{}h{:02}m", total / 3600, (total % 3600) / 60);
}

std::string format_rate(double bytes_per_second) {
  if (!std::isfinite(bytes_per_second) || bytes_per_second < 0) return "? B/s";
  return format_size(static_cast<uint64_t>(bytes_per_second)) + "/s";
}

std::string format_progress_line(uint64_t done, std::optional<uint64_t> total, double elapsed_seconds) {
  const auto rate = rate_of(done, elapsed_seconds);
  const std::string rate_text = rate ? format_rate(*rate) : "-- B/s";
  if (!total.has_value()) return fmt::format("{}  {}", format_size(done), rate_text);

  const double fraction = *total == 0 ? 1.0 : std::min(1.0, static_cast<double>(done) / static_cast<double>(*total));
  const auto filled = static_cast<size_t>(fraction * kBarWidth);
  std::string bar = "[" + std::string(filled, '#') + std::string(kBarWidth - filled, '.') + "]";
  std::string eta = "--";
  if (rate && *rate > 0) eta = format_duration(static_cast<double>(*total - std::min(done, *total)) / *rate);
  return fmt::format("{} {:3}%  {} / {}  {}  ETA {}", bar, static_cast<int>(fraction * 100), format_size(done),
                     format_size(*total), rate_text, eta);
}

std::string format_transfer_summary(std::string_view verb, uint64_t bytes, double elapsed_seconds) {
  // A tiny transfer can finish within the clock's resolution; report it without a made-up rate.
  const std::string rate = elapsed_seconds > 0 ? format_rate(static_cast<double>(bytes) / elapsed_seconds) : "-- B/s";
  return fmt::format("{} {} in {} ({})", verb, format_size(bytes), format_duration(elapsed_seconds), rate);
}

ProgressBar::ProgressBar(std::optional<uint64_t> total, bool enabled)
    : total_(total), enabled_(enabled), start_(Clock::now()), last_draw_(start_ - kRedrawInterval) {}

ProgressBar::~ProgressBar() { finish(); }

void ProgressBar::update(uint64_t done) {
  if (!enabled_) return;
  const auto now = Clock::now();
  const bool complete = total_.has_value() && done >= *total_;
  if (!complete && now - last_draw_ < kRedrawInterval) return;
  last_draw_ = now;
  // "\r\033[K": back to the start of the line and clear it, so a shorter line leaves no debris.
  std::fprintf(stderr, "\r\033[K%s", format_progress_line(done, total_, elapsed_seconds()).c_str());
  std::fflush(stderr);
  drawn_ = true;
}

void ProgressBar::finish() {
  if (!drawn_) return;
  std::fputs("\r\033[K", stderr);
  std::fflush(stderr);
  drawn_ = false;
}

double ProgressBar::elapsed_seconds() const { return std::chrono::duration<double>(Clock::now() - start_).count(); }

bool ProgressBar::stderr_is_terminal() { return ::isatty(STDERR_FILENO) == 1; }

}  // namespace maas::cli
