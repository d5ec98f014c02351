// How a token becomes its skeleton: the scanners that mask values (whole-token types, digits inside words, long
// identifiers) and write the result to a sink — a key hash with slot types, text, or a count. Internal to the
// tokenizer (one scan serves the hot path's hashing and a new cluster's text alike).
// Thread-safety: stateless functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "data/discovery/hash.h"
#include "data/discovery/tokenizer.h"
#include "data/discovery/value_type.h"

namespace maas::data::discovery::masking {

// Receives a token's skeleton as a key (hash) and the types of its slots.
inline bool needs_escape(char c) { return c == kSlotMark || c == kEscapeMark; }

struct KeySink {
  uint64_t h;
  std::vector<Slot>* slots;
  size_t name_suffixes = 0;
  void name_suffix() { ++name_suffixes; }
  void lit(char c) {
    if (needs_escape(c)) h = hash_byte(h, static_cast<unsigned char>(kEscapeMark));
    h = hash_byte(h, static_cast<unsigned char>(c));
  }
  void lit(std::string_view s) {
    for (char c : s) lit(c);
  }
  void mask(ValueType t, DateFormat f) {
    h = hash_byte(h, static_cast<unsigned char>(kSlotMark));
    slots->push_back({t, f});
  }
};

// Receives a token's skeleton as a key only.
struct HashSink {
  uint64_t h = kHashSeed;
  void lit(char c) {
    if (needs_escape(c)) h = hash_byte(h, static_cast<unsigned char>(kEscapeMark));
    h = hash_byte(h, static_cast<unsigned char>(c));
  }
  void lit(std::string_view s) {
    for (char c : s) lit(c);
  }
  void mask(ValueType, DateFormat) { h = hash_byte(h, static_cast<unsigned char>(kSlotMark)); }
  void name_suffix() {}
};

// Receives a token's skeleton as text.
struct TextSink {
  std::string* out;
  void name_suffix() {}
  void lit(char c) {
    if (needs_escape(c)) out->push_back(kEscapeMark);
    out->push_back(c);
  }
  void lit(std::string_view s) {
    for (char c : s) lit(c);
  }
  void mask(ValueType, DateFormat) { out->push_back(kSlotMark); }
};

// The length of an IPv4 address at s[i..], 0 if there is none.
inline size_t ipv4_length(std::string_view s, size_t i) {
  size_t start = i;
  for (int group = 0; group < 4; ++group) {
    size_t b = i;
    while (i < s.size() && is_digit(s[i]) && i - b < 4) ++i;
    if (i == b || i - b > 3) return 0;
    if (group < 3) {
      if (i >= s.size() || s[i] != '.') return 0;
      ++i;
    }
  }
  if (i < s.size() && (is_alnum(s[i]) || (s[i] == '.' && i + 1 < s.size() && is_digit(s[i + 1])))) return 0;
  return i - start;
}

// An alphanumeric run holding a digit: "123" → slot, "eth0" → eth + slot, "512MB" → slot + MB, "3f2a" → slot.
template <class Sink>
void emit_run(std::string_view run, Sink& sink, int& literals) {
  size_t letters = 0, digits_after = 0, digits_before = 0;
  bool all_hex = true, all_digits = true;
  for (char c : run) {
    all_hex = all_hex && is_hex_digit(c);
    all_digits = all_digits && is_digit(c);
  }
  if (all_digits) {
    sink.mask(run.size() <= 18 ? ValueType::kInt : ValueType::kId, kNoFormat);
    return;
  }
  if (all_hex && run.size() >= 4) {
    sink.mask(ValueType::kHex, kNoFormat);
    return;
  }
  while (letters < run.size() && is_alpha(run[letters])) ++letters;
  while (digits_after < run.size() - letters && is_digit(run[run.size() - 1 - digits_after])) ++digits_after;
  if (letters > 0 && letters + digits_after == run.size()) {
    // IPv4, IPV6, TLSv1: a version's number names a different thing, it is no value (eth0 and CPU3 hold one).
    bool version = letters >= 3 && digits_after <= 2 && (run[letters - 1] == 'v' || run[letters - 1] == 'V');
    if (version) {
      sink.lit(run);
      ++literals;
      return;
    }
    sink.lit(run.substr(0, letters));
    ++literals;
    sink.mask(ValueType::kInt, kNoFormat);
    // eth0, SOCKS5, ssh2: a name's number, not an identifier's.
    if (letters >= 2 && digits_after <= 2) sink.name_suffix();
    return;
  }
  while (digits_before < run.size() && is_digit(run[digits_before])) ++digits_before;
  bool letters_after = digits_before > 0;
  for (size_t i = digits_before; i < run.size() && letters_after; ++i) letters_after = is_alpha(run[i]);
  if (letters_after) {
    sink.mask(ValueType::kInt, kNoFormat);
    sink.lit(run.substr(digits_before));
    ++literals;
    return;
  }
  sink.mask(ValueType::kId, kNoFormat);
}

struct CountSink {
  size_t slots = 0;
  void name_suffix() {}
  void lit(char) {}
  void lit(std::string_view) {}
  void mask(ValueType, DateFormat) { ++slots; }
};

template <class Sink>
bool mask_runs(std::string_view s, Sink& sink);

// Masks the numbers inside a word ("blk_-42" → blk_ + slot). A word with three numbers or more is an identifier
// ("attempt_1445_0020_m_000002_0", "req-3810...-a692"): its leading letters, then one slot. Returns whether the
// word became one slot.
template <class Sink>
bool mask_inner(std::string_view s, Sink& sink) {
  CountSink count;
  mask_runs(s, count);
  if (count.slots < 3) return mask_runs(s, sink);
  size_t prefix = 0;
  while (prefix < s.size() && is_alpha(s[prefix])) ++prefix;
  if (prefix > 0 && prefix < s.size() && std::string_view("_-.:/#@").find(s[prefix]) != std::string_view::npos) ++prefix;
  sink.lit(s.substr(0, prefix));
  sink.mask(ValueType::kId, kNoFormat);
  return prefix == 0;
}

template <class Sink>
bool mask_runs(std::string_view s, Sink& sink) {
  int literals = 0;
  size_t slots = 0;
  size_t i = 0, n = s.size();
  while (i < n) {
    char c = s[i];
    bool sign = c == '-' && i + 1 < n && is_digit(s[i + 1]) && (i == 0 || !is_alnum(s[i - 1]));
    if (is_digit(c) || sign) {
      if (sign) ++i;
      if (size_t len = ipv4_length(s, i)) {
        sink.mask(ValueType::kIp, kNoFormat);
        ++slots;
        i += len;
        continue;
      }
      size_t j = i;
      while (j < n && is_alnum(s[j])) ++j;
      emit_run(s.substr(i, j - i), sink, literals);
      ++slots;
      i = j;
    } else if (is_alpha(c)) {
      size_t j = i;
      bool digit = false;
      for (; j < n && is_alnum(s[j]); ++j) digit = digit || is_digit(s[j]);
      if (digit) {
        emit_run(s.substr(i, j - i), sink, literals);
        ++slots;
      } else {
        sink.lit(s.substr(i, j - i));
        ++literals;
      }
      i = j;
    } else {
      sink.lit(c);
      ++literals;
      ++i;
    }
  }
  return slots == 1 && literals == 0;
}

// One whitespace-free word. Returns whether it is one parameter.
template <class Sink>
bool emit_word(std::string_view token, Sink& sink) {
  if (token.empty()) return false;
  bool digit = false, special = false;
  for (char c : token) {
    digit = digit || is_digit(c);
    special = special || c == '/' || c == '@' || c == '\\' || c == ':';
  }
  if (!digit && !special && !(token.size() >= 3 && token.size() <= 5 && token[0] >= 'A' && token[0] <= 'Z')) {
    if (token == "\"-\"") {  // the empty field of access logs, like any quoted value
      sink.lit('"');
      sink.mask(ValueType::kNull, kNoFormat);
      sink.lit('"');
      return true;
    }
    sink.lit(token);
    return false;
  }
  Wrapped w = unwrap(token);
  if (w.core.empty()) {
    sink.lit(token);
    return false;
  }
  DateFormat format = kNoFormat;
  ValueType type = classify_value(w.core, &format);
  if (type != ValueType::kWord) {
    sink.lit(w.prefix);
    sink.mask(type, format);
    sink.lit(w.suffix);
    return true;
  }
  if (!digit) {
    sink.lit(token);
    return false;
  }
  sink.lit(w.prefix);
  bool one = mask_inner(w.core, sink);
  sink.lit(w.suffix);
  return one;
}

template <class Sink>
bool emit_token(const Token& t, std::string_view message, Sink& sink) {
  if (t.rest) {
    sink.mask(ValueType::kWord, kNoFormat);
    return true;
  }
  std::string_view text = message.substr(t.begin, t.end - t.begin);
  if (!t.merged) return emit_word(text, sink);
  Wrapped w = unwrap(text);
  DateFormat format = kNoFormat;
  // "1.16 KB": classify with one space, whatever the whitespace was (a quantity is short: no allocation).
  char glued[48];
  size_t glued_size = 0;
  for (char c : w.core) {
    if (glued_size == sizeof glued) break;
    if (!is_space(c)) glued[glued_size++] = c;
    else if (glued_size == 0 || glued[glued_size - 1] != ' ') glued[glued_size++] = ' ';
  }
  if (glued_size < sizeof glued && classify_value(std::string_view(glued, glued_size), &format) == ValueType::kQuantity) {
    sink.lit(w.prefix);
    sink.mask(ValueType::kQuantity, kNoFormat);
    sink.lit(w.suffix);
    return true;
  }
  size_t i = 0;
  bool first = true;
  while (i < text.size()) {
    while (i < text.size() && is_space(text[i])) ++i;
    size_t b = i;
    while (i < text.size() && !is_space(text[i])) ++i;
    if (i == b) break;
    if (!first) sink.lit(' ');
    first = false;
    emit_word(text.substr(b, i - b), sink);
  }
  return false;
}

}  // namespace maas::data::discovery::masking
