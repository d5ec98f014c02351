#include "llm/text_stream.h"

#include <algorithm>

namespace maas::llm {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";

// The length a UTF-8 sequence starting with `lead` must have; 0 for a byte that cannot start one.
size_t sequence_length(unsigned char lead) {
  if (lead < 0x80) return 1;
  if (lead >= 0xC2 && lead <= 0xDF) return 2;
  if (lead >= 0xE0 && lead <= 0xEF) return 3;
  if (lead >= 0xF0 && lead <= 0xF4) return 4;
  return 0;
}

// Whether bytes [1, n) of a sequence are valid continuation bytes, including the tighter ranges of the second byte
// that rule out overlong forms, surrogates and code points above U+10FFFF.
bool valid_prefix(std::string_view s) {
  auto lead = static_cast<unsigned char>(s[0]);
  for (size_t i = 1; i < s.size(); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    unsigned char lo = 0x80, hi = 0xBF;
    if (i == 1) {
      if (lead == 0xE0) lo = 0xA0;
      if (lead == 0xED) hi = 0x9F;
      if (lead == 0xF0) lo = 0x90;
      if (lead == 0xF4) hi = 0x8F;
    }
    if (c < lo || c > hi) return false;
  }
  return true;
}

}  // namespace

TextStream::TextStream(std::vector<std::string> stops) : stops_(std::move(stops)) {
  stops_.erase(std::remove(stops_.begin(), stops_.end(), std::string()), stops_.end());
}

std::string TextStream::sanitize(std::string_view bytes) {
  std::string in = partial_ + std::string(bytes);
  partial_.clear();
  std::string out;
  size_t i = 0;
  while (i < in.size()) {
    size_t n = sequence_length(static_cast<unsigned char>(in[i]));
    if (n == 0) {
      out += kReplacement;
      ++i;
      continue;
    }
    size_t have = std::min(n, in.size() - i);
    if (!valid_prefix(std::string_view(in).substr(i, have))) {
      out += kReplacement;
      ++i;
      continue;
    }
    if (have < n) {
      partial_ = in.substr(i);
      break;
    }
    out.append(in, i, n);
    i += n;
  }
  return out;
}

std::string TextStream::push(std::string_view bytes, bool* stopped) {
  *stopped = false;
  held_ += sanitize(bytes);
  size_t first = std::string::npos;
  for (const auto& stop : stops_) first = std::min(first, held_.find(stop));
  if (first != std::string::npos) {
    *stopped = true;
    std::string out = held_.substr(0, first);
    held_.clear();
    partial_.clear();
    return out;
  }
  // Hold the longest tail that is the beginning of some stop string.
  size_t hold = 0;
  for (const auto& stop : stops_) {
    for (size_t k = std::min(stop.size() - 1, held_.size()); k > hold; --k) {
      if (held_.compare(held_.size() - k, k, stop, 0, k) == 0) {
        hold = k;
        break;
      }
    }
  }
  std::string out = held_.substr(0, held_.size() - hold);
  held_.erase(0, held_.size() - hold);
  return out;
}

std::string TextStream::finish() {
  std::string out = std::move(held_);
  if (!partial_.empty()) out += kReplacement;
  held_.clear();
  partial_.clear();
  return out;
}

std::string TextStream::whole(std::string_view bytes) {
  TextStream stream;
  bool stopped = false;
  std::string text = stream.push(bytes, &stopped);
  return text + stream.finish();
}

}  // namespace maas::llm
