#include "data/discovery/tokenizer.h"

#include <algorithm>

#include "data/discovery/masking.h"

namespace maas::data::discovery {
namespace {

using masking::emit_token;
using masking::emit_word;
using masking::HashSink;
using masking::KeySink;
using masking::TextSink;

bool is_structural(char c) { return c == '{' || c == '}' || c == '[' || c == ']' || c == ',' || c == ':'; }

void append_normalized(std::string_view s, std::string& out) {
  for (char c : s) {
    if (!is_space(c)) out.push_back(c);
    else if (out.empty() || out.back() != ' ') out.push_back(' ');
  }
}

uint64_t hash_normalized(uint64_t h, std::string_view s) {
  bool space = false;
  for (char c : s) {
    if (is_space(c)) {
      if (!space) h = hash_byte(h, ' ');
      space = true;
    } else {
      h = hash_byte(h, static_cast<unsigned char>(c));
      space = false;
    }
  }
  return h;
}

// "key=" in "key=value": the '=' position, or npos.
size_t key_value_split(std::string_view text) {
  if (text.empty() || !(is_alpha(text[0]) || text[0] == '_')) return std::string_view::npos;
  for (size_t i = 1; i < text.size() && i < 64; ++i) {
    char c = text[i];
    if (c == '=') return i;
    if (!is_alnum(c) && c != '_' && c != '.' && c != '-') return std::string_view::npos;
  }
  return std::string_view::npos;
}

// The keys whose values are the message itself: their words are mined, not taken as one value.
bool is_message_key(std::string_view key) {
  static constexpr std::string_view kKeys[] = {"msg", "message", "event", "log", "text", "description", "summary"};
  for (std::string_view k : kKeys) {
    if (k.size() != key.size()) continue;
    bool same = true;
    for (size_t i = 0; i < k.size() && same; ++i) same = (key[i] | 0x20) == k[i];
    if (same) return true;
  }
  return false;
}

bool closes_quote(std::string_view text) {
  while (!text.empty() && std::string_view(",;:.)]}").find(text.back()) != std::string_view::npos) text.remove_suffix(1);
  return !text.empty() && text.back() == '"';
}

bool is_number_text(std::string_view core) {
  if (core.empty()) return false;
  bool digit = false;
  for (char c : core) {
    if (is_digit(c)) digit = true;
    else if (c != '.' && c != '-') return false;
  }
  return digit;
}

}  // namespace

uint64_t parameter_key(Separator sep, std::string_view sep_text) {
  uint64_t h = hash_byte(kHashSeed, static_cast<unsigned char>(sep));
  if (sep == Separator::kText) h = hash_normalized(h, sep_text);
  return hash_byte(h, static_cast<unsigned char>(kSlotMark));
}

// A whole token in quotes ("alt0", 'SOFTWARE') names a value.
bool is_quoted(std::string_view text) {
  while (!text.empty() && std::string_view(",;:.)]").find(text.back()) != std::string_view::npos) text.remove_suffix(1);
  while (!text.empty() && (text.front() == '(' || text.front() == '[')) text.remove_prefix(1);
  return text.size() >= 3 && (text.front() == '"' || text.front() == '\'') && text.back() == text.front();
}

void Tokenizer::finish_token(TokenizedLine& out, Token t) const {
  KeySink sink{hash_byte(kHashSeed, static_cast<unsigned char>(t.sep)), &out.slots};
  if (t.sep == Separator::kText)
    sink.h = hash_normalized(sink.h, out.message.substr(t.sep_begin, t.sep_end - t.sep_begin));
  size_t first_slot = out.slots.size();
  t.param = emit_token(t, out.message, sink);
  t.key = sink.h;
  t.slot_begin = static_cast<uint16_t>(first_slot);
  t.slot_count = static_cast<uint16_t>(out.slots.size() - first_slot);
  t.numbered = t.slot_count > sink.name_suffixes;
  if (!t.merged && !t.rest && is_quoted(out.message.substr(t.begin, t.end - t.begin))) t.value = true;
  out.tokens.push_back(t);
}

void Tokenizer::tokenize(std::string_view message, TokenizedLine& out) const {
  out.tokens.clear();
  out.slots.clear();
  out.json = false;
  out.delimiter = 0;
  size_t b = 0, e = message.size();
  while (b < e && is_space(message[b])) ++b;
  while (e > b && is_space(message[e - 1])) --e;
  message = message.substr(b, e - b);
  out.message = message;
  out.trailer_begin = static_cast<uint32_t>(message.size());
  if (message.size() >= 2 && message.size() <= max_bytes_ && message.front() == '{' && message.back() == '}') {
    out.json = true;
    tokenize_json(message, out);
  } else if (char d = row_delimiter(message); d != 0) {
    out.delimiter = d;
    tokenize_delimited(message, d, out);
  } else {
    tokenize_words(message, out);
  }
}

// A message without whitespace whose fields are joined by ',' '|' or ';' and whose first field starts with a digit
// (a data row: a timestamp, a date, an id first, as telemetry and delimited access rows have): the delimiter seen
// most, at least three times; 0 for other messages. A word first ("removeNotification:0|pkg|...") or a bracket
// ("[0,3380,pkg]") is one token as before: its parts are not fields of a row.
char Tokenizer::row_delimiter(std::string_view message) const {
  if (message.size() > max_bytes_ || message.empty() || !is_digit(message[0])) return 0;
  size_t commas = 0, pipes = 0, semicolons = 0;
  for (char c : message) {
    if (is_space(c)) return 0;
    commas += c == ',';
    pipes += c == '|';
    semicolons += c == ';';
  }
  size_t most = std::max({commas, pipes, semicolons});
  if (most < 3) return 0;
  return most == commas ? ',' : (most == pipes ? '|' : ';');
}

// Each field is a token after the delimiter (the first after nothing); "key=value" in a field is two tokens.
void Tokenizer::tokenize_delimited(std::string_view message, char delimiter, TokenizedLine& out) const {
  size_t n = message.size(), b = 0;
  while (b <= n) {
    size_t e = message.find(delimiter, b);
    if (e == std::string_view::npos) e = n;
    uint32_t sep_begin = static_cast<uint32_t>(b == 0 ? 0 : b - 1);
    Token t{.begin = static_cast<uint32_t>(b),
            .end = static_cast<uint32_t>(e),
            .sep_begin = sep_begin,
            .sep_end = static_cast<uint32_t>(b),
            .sep = Separator::kText};
    if (out.tokens.size() + 2 >= max_tokens_ && e < n) {
      t.end = static_cast<uint32_t>(n);
      t.merged = t.rest = true;
      finish_token(out, t);
      return;
    }
    if (size_t eq = key_value_split(message.substr(b, e - b)); eq != std::string_view::npos) {
      t.end = static_cast<uint32_t>(b + eq + 1);
      finish_token(out, t);
      finish_token(out, Token{.begin = t.end, .end = static_cast<uint32_t>(e), .sep = Separator::kNone, .value = true});
    } else {
      finish_token(out, t);
    }
    b = e + 1;
  }
}

void Tokenizer::tokenize_words(std::string_view message, TokenizedLine& out) const {
  auto& raw = out.raw;
  raw.clear();
  size_t rest_begin = message.size();
  for (size_t i = 0; i < message.size();) {
    while (i < message.size() && is_space(message[i])) ++i;
    size_t b = i;
    if (b >= max_bytes_ || raw.size() >= max_tokens_) {
      rest_begin = b;
      break;
    }
    while (i < message.size() && !is_space(message[i])) ++i;
    if (i > max_bytes_) {  // the token crosses the byte limit: it starts the rest
      rest_begin = b;
      break;
    }
    if (i > b) raw.emplace_back(static_cast<uint32_t>(b), static_cast<uint32_t>(i));
  }
  if (rest_begin < message.size()) raw.emplace_back(static_cast<uint32_t>(rest_begin), static_cast<uint32_t>(message.size()));
  auto text = [&](size_t r) { return message.substr(raw[r].first, raw[r].second - raw[r].first); };
  bool last_is_rest = rest_begin < message.size();
  size_t limit = raw.size() - (last_is_rest ? 1 : 0);  // spans that glue may reach
  for (size_t r = 0; r < raw.size();) {
    if ((out.tokens.size() + 2 >= max_tokens_ && r + 1 < raw.size()) || (last_is_rest && r + 1 == raw.size())) {
      Token rest{.begin = raw[r].first, .end = static_cast<uint32_t>(message.size()), .merged = true, .rest = true};
      finish_token(out, rest);
      break;
    }
    std::string_view t = text(r);
    if (size_t eq = key_value_split(t); eq != std::string_view::npos) {
      finish_token(out, Token{.begin = raw[r].first, .end = static_cast<uint32_t>(raw[r].first + eq + 1)});
      // The value; a quoted one is one token (msg="..." excepted: the message's words are mined).
      Token value{.begin = static_cast<uint32_t>(raw[r].first + eq + 1), .end = raw[r].second, .sep = Separator::kNone};
      bool message = is_message_key(t.substr(0, eq));
      value.value = !message;
      std::string_view v = t.substr(eq + 1);
      size_t next = r + 1;
      if (!message && !v.empty() && v[0] == '"' && !(v.size() > 1 && closes_quote(v))) {
        size_t close = r + 1;
        while (close < limit && close < r + 64 && !closes_quote(text(close))) ++close;
        if (close < limit && close < r + 64) {
          value.end = raw[close].second;
          value.merged = true;
          next = close + 1;
        }
      }
      finish_token(out, value);
      r = next;
      continue;
    }
    if (t[0] == '"' && !(t.size() > 1 && closes_quote(t))) {
      size_t close = r + 1;
      while (close < limit && close < r + 64 && !closes_quote(text(close))) ++close;
      if (close < limit && close < r + 64) {
        finish_token(out, Token{.begin = raw[r].first, .end = raw[close].second, .merged = true});
        r = close + 1;
        continue;
      }
    }
    if (r + 1 < limit && is_number_text(unwrap(t).core) && unwrap(t).suffix.empty()) {
      Wrapped unit = unwrap(text(r + 1));
      if (unit.prefix.empty() && is_unit(unit.core)) {
        finish_token(out, Token{.begin = raw[r].first, .end = raw[r + 1].second, .merged = true});
        r += 2;
        continue;
      }
    }
    finish_token(out, Token{.begin = raw[r].first, .end = raw[r].second});
    ++r;
  }
}

void Tokenizer::tokenize_json(std::string_view m, TokenizedLine& out) const {
  size_t n = m.size(), i = 0, sep_start = 0;
  std::string_view key;
  auto add = [&](size_t b, size_t e, bool first_of_sep, bool value = false, bool merged = false) {
    Token t{.begin = static_cast<uint32_t>(b), .end = static_cast<uint32_t>(e), .merged = merged, .value = value};
    if (first_of_sep) {
      t.sep = Separator::kText;
      t.sep_begin = static_cast<uint32_t>(sep_start);
      t.sep_end = static_cast<uint32_t>(b);
    }
    finish_token(out, t);
  };
  while (i < n) {
    if (out.tokens.size() + 2 >= max_tokens_) {
      Token rest{.begin = static_cast<uint32_t>(i), .end = static_cast<uint32_t>(n),
                 .sep_begin = static_cast<uint32_t>(sep_start), .sep_end = static_cast<uint32_t>(i),
                 .sep = Separator::kText, .merged = true, .rest = true};
      finish_token(out, rest);
      sep_start = n;
      break;
    }
    char c = m[i];
    if (c == '"') {
      size_t j = i + 1;
      while (j < n && m[j] != '"') j += m[j] == '\\' ? 2 : 1;
      j = j < n ? j : n;
      size_t after = j + 1;
      while (after < n && is_space(m[after])) ++after;
      bool is_key = after < n && m[after] == ':';
      std::string_view content = m.substr(i + 1, j - i - 1);
      if (is_key) key = content;
      if (!is_key && !is_message_key(key)) {  // a value: one token
        bool spaces = false;
        for (char c : content) spaces = spaces || is_space(c);
        add(i + 1, j, true, true, spaces);
        sep_start = j;
        i = j + 1;
        continue;
      }
      size_t k = i + 1;
      bool first = true;
      while (k < j) {
        while (k < j && is_space(m[k])) ++k;
        size_t wb = k;
        while (k < j && !is_space(m[k])) ++k;
        if (k > wb) {
          add(wb, k, first);
          first = false;
          sep_start = k;
        }
      }
      if (first) {  // an empty string is still a value
        add(i + 1, i + 1, true);
        sep_start = i + 1;
      }
      i = j + 1;
    } else if (is_structural(c) || is_space(c)) {
      ++i;
    } else {
      size_t j = i;
      while (j < n && !is_structural(m[j]) && !is_space(m[j]) && m[j] != '"') ++j;
      add(i, j, true, true);
      sep_start = j;
      i = j;
    }
  }
  out.trailer_begin = static_cast<uint32_t>(sep_start < n ? sep_start : n);
}

void Tokenizer::append_skeleton(const TokenizedLine& line, size_t i, std::string& out) {
  TextSink sink{&out};
  emit_token(line.tokens[i], line.message, sink);
}

uint64_t Tokenizer::word_key(std::string_view word) {
  HashSink sink;
  emit_word(word, sink);
  return sink.h;
}

uint64_t Tokenizer::trailer_key(const TokenizedLine& line) {
  return line.json ? hash_normalized(kHashSeed, line.message.substr(line.trailer_begin)) : 0;
}

std::string Tokenizer::trailer_text(const TokenizedLine& line) {
  std::string out;
  if (line.json) append_normalized(line.message.substr(line.trailer_begin), out);
  return out;
}

std::string Tokenizer::separator_text(const TokenizedLine& line, size_t i) {
  const Token& t = line.tokens[i];
  std::string out;
  if (t.sep == Separator::kText) append_normalized(line.message.substr(t.sep_begin, t.sep_end - t.sep_begin), out);
  return out;
}

}  // namespace maas::data::discovery
