#include "common/clock.h"

#include <chrono>
#include <cctype>
#include <cstdio>
#include <ctime>

namespace maas {

int64_t now_unix_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

std::string format_rfc3339_ms(int64_t unix_ms) {
  std::time_t secs = static_cast<std::time_t>(unix_ms / 1000);
  int ms = static_cast<int>(unix_ms % 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ms);
  return buf;
}

// "2024-05-01T12:00:00Z", with optional fraction and offset, into Unix nanoseconds.
std::optional<int64_t> parse_rfc3339_ns(const std::string& text) {
  std::tm tm{};
  int consumed = 0;
  if (std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
                  &tm.tm_min, &tm.tm_sec, &consumed) != 6) {
    return std::nullopt;
  }
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  int64_t ns = static_cast<int64_t>(timegm(&tm)) * 1'000'000'000;
  size_t i = static_cast<size_t>(consumed);
  if (i < text.size() && text[i] == '.') {
    int64_t scale = 100'000'000;
    for (++i; i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])); ++i, scale /= 10) {
      ns += (text[i] - '0') * scale;
    }
  }
  if (i < text.size() && text[i] == 'Z') return i + 1 == text.size() ? std::optional(ns) : std::nullopt;
  int oh = 0, om = 0;
  if (i < text.size() && (text[i] == '+' || text[i] == '-') && std::sscanf(text.c_str() + i + 1, "%2d:%2d", &oh, &om) == 2) {
    int64_t offset = (oh * 3600LL + om * 60LL) * 1'000'000'000;
    return text[i] == '+' ? ns - offset : ns + offset;
  }
  return std::nullopt;
}

}  // namespace maas
