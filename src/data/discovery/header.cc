#include "data/discovery/header.h"

#include <algorithm>
#include <array>
#include <map>

namespace maas::data::discovery {
namespace {

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if ((a[i] | 0x20) != (b[i] | 0x20)) return false;
  return true;
}

bool is_level_word(std::string_view w) {
  static constexpr std::array<std::string_view, 22> kLevels = {
      "TRACE", "DEBUG",    "INFO",  "INFORMATION", "NOTICE", "WARN",  "WARNING", "ERROR",
      "ERR",   "SEVERE",   "FATAL", "CRITICAL",    "CRIT",   "ALERT", "EMERG",   "EMERGENCY",
      "FAILURE", "VERBOSE", "FINE", "FINER",       "FINEST", "PANIC"};
  for (auto l : kLevels)
    if (iequals(w, l)) return true;
  return false;
}

bool is_calendar_word(std::string_view w) {
  static constexpr std::array<std::string_view, 19> kWords = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul",
                                                              "Aug", "Sep", "Oct", "Nov", "Dec", "Mon", "Tue",
                                                              "Wed", "Thu", "Fri", "Sat", "Sun"};
  if (w.size() < 3) return false;
  for (auto k : kWords)
    if (w.substr(0, 3) == k && (w.size() == 3 || w.size() <= 9)) return w.size() == 3 || is_alpha(w.back());
  return false;
}

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!is_digit(c)) return false;
  return true;
}

std::string_view trim_trailing(std::string_view s, std::string_view chars) {
  while (!s.empty() && chars.find(s.back()) != std::string_view::npos) s.remove_suffix(1);
  return s;
}

bool holds_time(std::string_view inner) {
  size_t i = 0;
  while (i < inner.size()) {
    while (i < inner.size() && is_space(inner[i])) ++i;
    size_t b = i;
    while (i < inner.size() && !is_space(inner[i])) ++i;
    if (i > b && match_date_format(trim_trailing(inner.substr(b, i - b), ",")) != kNoFormat) return true;
  }
  return false;
}

}  // namespace

HeaderClass classify_header_token(std::string_view text, bool bracketed, bool after_number) {
  if (bracketed) {
    std::string_view inner = trim_trailing(text, ":");
    if (inner.size() >= 2) inner = inner.substr(1, inner.size() - 2);
    if (holds_time(inner)) return HeaderClass::kTime;
    if (is_level_word(inner)) return HeaderClass::kLevel;
    return HeaderClass::kBracket;
  }
  if (text == "-" || text == "--" || text == ":") return HeaderClass::kSeparator;
  std::string_view body = trim_trailing(text, ":,");
  if (is_level_word(body)) return HeaderClass::kLevel;
  if (after_number && body.size() == 1 && std::string_view("VDIWEFA").find(body[0]) != std::string_view::npos)
    return HeaderClass::kLevel;
  if (all_digits(body)) {
    bool epoch = body.size() == 10 && body[0] == '1';
    return epoch || body.size() == 6 || body.size() == 8 ? HeaderClass::kTime : HeaderClass::kNumber;
  }
  if (match_date_format(body) != kNoFormat || is_calendar_word(body)) return HeaderClass::kTime;
  bool letter = false;
  for (char c : body) letter = letter || is_alpha(c);
  if (text.size() >= 2 && text.back() == ':' && letter) return HeaderClass::kComponent;
  return HeaderClass::kWord;
}

namespace {

// The header length a line suggests by itself: header-like tokens up to a component, or up to the message's
// first word; 0 when the prefix has no time and fewer than two numbers or levels.
size_t greedy_cut(const std::vector<HeaderToken>& t) {
  size_t i = 0, cut = 0;
  while (i < t.size()) {
    HeaderClass c = t[i].cls;
    if (c == HeaderClass::kComponent) {
      cut = i + 1;
      break;
    }
    if (c != HeaderClass::kWord || t[i].pipe_after) {
      cut = ++i;
      continue;
    }
    // A run of up to three words is header when a component, a time, a level, a bracket or a separator ends it.
    size_t j = i + 1;
    while (j < t.size() && j <= i + 3 && t[j].cls == HeaderClass::kWord && !t[j].pipe_after) ++j;
    if (j >= t.size() || j > i + 3) break;
    HeaderClass cj = t[j].cls;
    if (cj == HeaderClass::kComponent) {
      cut = j + 1;
      break;
    }
    if (cj == HeaderClass::kWord) {  // the run ends with a word that '|' follows
      cut = i = j + 1;
      continue;
    }
    if (cj == HeaderClass::kNumber) break;
    i = j;
  }
  bool time = false;
  int anchors = 0;
  for (size_t k = 0; k < cut; ++k) {
    time = time || t[k].cls == HeaderClass::kTime;
    anchors += t[k].cls == HeaderClass::kNumber || t[k].cls == HeaderClass::kLevel;
  }
  return time || anchors >= 2 ? cut : 0;
}

std::string field_name(HeaderClassMask classes, std::map<std::string, int>& used) {
  std::string base = "field";
  if (classes == header_bit(HeaderClass::kTime)) base = "timestamp";
  else if (classes == header_bit(HeaderClass::kNumber)) base = "pid";
  else if (classes == header_bit(HeaderClass::kLevel)) base = "level";
  else if (classes == header_bit(HeaderClass::kBracket)) base = "context";
  else if (classes == header_bit(HeaderClass::kComponent)) base = "component";
  else if (classes == header_bit(HeaderClass::kWord)) base = "source";
  int n = ++used[base];
  return n == 1 ? base : base + "_" + std::to_string(n);
}

}  // namespace

void split_header_tokens(std::string_view line, size_t max_tokens, std::vector<HeaderToken>& out, bool classify) {
  out.clear();
  size_t i = 0, n = line.size();
  while (i < n && is_space(line[i])) ++i;
  bool after_number = false;
  while (i < n && out.size() < max_tokens) {
    HeaderToken t;
    t.begin = static_cast<uint32_t>(i);
    size_t j = i;
    if (line[i] == '[') {
      int depth = 0;
      for (; j < n && j < i + 256; ++j) {
        if (line[j] == '[') ++depth;
        if (line[j] == ']' && --depth == 0) break;
      }
      if (j < n && line[j] == ']') {
        t.bracketed = true;
        ++j;
        while (j < n && !is_space(line[j]) && line[j] != '|') ++j;
      } else {
        j = i;
      }
    }
    if (!t.bracketed)
      while (j < n && !is_space(line[j]) && line[j] != '|') ++j;
    t.end = static_cast<uint32_t>(j);
    while (j < n && is_space(line[j])) ++j;
    if (j < n && line[j] == '|') {
      t.pipe_after = true;
      ++j;
      while (j < n && is_space(line[j])) ++j;
    }
    t.next = static_cast<uint32_t>(j);
    if (classify) {
      t.cls = classify_header_token(line.substr(t.begin, t.end - t.begin), t.bracketed, after_number);
      after_number = t.cls == HeaderClass::kNumber || t.cls == HeaderClass::kTime;
    }
    out.push_back(t);
    if (j == i) break;
    i = j;
  }
}

HeaderModel HeaderModel::learn(std::span<const std::string_view> sample) {
  HeaderModel model;
  if (sample.empty()) return model;
  std::vector<std::vector<HeaderToken>> tokens(sample.size());
  std::vector<size_t> cuts(sample.size());
  std::array<size_t, kMaxFields + 1> votes{};
  for (size_t l = 0; l < sample.size(); ++l) {
    split_header_tokens(sample[l], kMaxFields + 2, tokens[l]);
    cuts[l] = std::min(greedy_cut(tokens[l]), kMaxFields);
    ++votes[cuts[l]];
  }
  // support[c]: lines whose header has at least c tokens. The header is the longest prefix that nearly all
  // lines with a header share; lines that read a word or two of their message as header ("Info CBS SQM:") are
  // outvoted.
  std::array<size_t, kMaxFields + 2> support{};
  for (size_t c = kMaxFields + 1; c-- > 0;) support[c] = support[c + 1] + (c <= kMaxFields ? votes[c] : 0);
  // A header most lines do not show is not the stream's header.
  if (support[1] * 10 < sample.size() * 3) return model;
  size_t k = 1;
  for (size_t c = 2; c <= kMaxFields; ++c)
    if (support[c] * 10 >= support[1] * 9) k = c;

  model.fields_.resize(k);
  std::vector<std::map<std::string_view, size_t>> literals(k);
  std::vector<size_t> brackets(k), pipes(k);
  std::vector<DateFormat> formats(k, kNoFormat);
  size_t components = 0;
  size_t voters = 0;
  for (size_t l = 0; l < sample.size(); ++l) {
    if (cuts[l] < k) continue;
    ++voters;
    for (size_t p = 0; p < k; ++p) {
      const HeaderToken& t = tokens[l][p];
      std::string_view text = sample[l].substr(t.begin, t.end - t.begin);
      model.fields_[p].classes |= header_bit(t.cls);
      brackets[p] += t.bracketed;
      pipes[p] += t.pipe_after;
      ++literals[p][text];
      if (t.cls == HeaderClass::kTime && !t.bracketed) {
        DateFormat f = match_date_format(trim_trailing(text, ":,"));
        formats[p] = formats[p] == kNoFormat ? f : (formats[p] == f ? f : kMixedFormat);
      } else if (t.cls == HeaderClass::kTime) {
        formats[p] = kMixedFormat;
      }
    }
    components += tokens[l][k - 1].cls == HeaderClass::kComponent;
  }
  std::map<std::string, int> used;
  for (size_t p = 0; p < k; ++p) {
    HeaderField& f = model.fields_[p];
    f.bracketed = brackets[p] * 2 > voters;
    f.pipe_after = pipes[p] * 2 > voters;
    if (f.classes == header_bit(HeaderClass::kSeparator) && literals[p].size() == 1)
      f.literal = std::string(literals[p].begin()->first);
    f.format = formats[p] == kMixedFormat ? kNoFormat : formats[p];
    if (f.literal.empty()) f.name = field_name(f.classes, used);
  }
  constexpr HeaderClassMask kValues = header_bit(HeaderClass::kTime) | header_bit(HeaderClass::kNumber);
  for (size_t p = 0; p < k && model.context_fields_.size() < 6; ++p)
    if (model.fields_[p].literal.empty() && !(model.fields_[p].classes & kValues))
      model.context_fields_.push_back(static_cast<uint8_t>(p));
  // Most lines end their header with "name:": a few may have words before it ("Google Chrome[42]:").
  model.component_last_ = components * 2 > voters;
  if (model.component_last_) {
    model.fields_.back().classes = header_bit(HeaderClass::kComponent);
    used.clear();
    for (HeaderField& f : model.fields_)
      if (f.literal.empty()) f.name = field_name(f.classes, used);
  }
  return model;
}

size_t HeaderModel::message_start(std::string_view line, std::vector<HeaderToken>* out) const {
  if (fields_.empty()) return 0;
  thread_local std::vector<HeaderToken> scratch;
  std::vector<HeaderToken>& t = out ? *out : scratch;
  size_t k = fields_.size();
  split_header_tokens(line, k + (component_last_ ? 3 : 0), t, false);
  size_t fixed = component_last_ ? k - 1 : k;
  if (t.size() < k) return 0;
  bool after_number = false;
  for (size_t p = 0; p < t.size(); ++p) {
    const HeaderField* f = p < fixed ? &fields_[p] : nullptr;
    std::string_view text = line.substr(t[p].begin, t[p].end - t[p].begin);
    if (f && (f->bracketed != t[p].bracketed || f->pipe_after != t[p].pipe_after)) return 0;
    if (f && !f->literal.empty() && text != f->literal) return 0;
    // A bracket group is taken as the model's bracket: classifying one means scanning all of it for a time.
    if (f && f->bracketed && f->literal.empty()) {
      after_number = false;
      continue;
    }
    t[p].cls = classify_header_token(text, t[p].bracketed, after_number);
    after_number = t[p].cls == HeaderClass::kNumber || t[p].cls == HeaderClass::kTime;
    if (f && !(f->classes & header_bit(t[p].cls))) return 0;
  }
  size_t last = k - 1;
  if (component_last_) {
    // The component may follow a few words ("Google Chrome Helper[42]:"): they are part of it.
    while (last < t.size() && t[last].cls == HeaderClass::kWord && last < k + 2) ++last;
    if (last >= t.size() || t[last].cls != HeaderClass::kComponent) return 0;
    t[k - 1].end = t[last].end;
    t[k - 1].next = t[last].next;
    t[k - 1].cls = HeaderClass::kComponent;
  }
  t.resize(k);
  return t[k - 1].next;
}

}  // namespace maas::data::discovery
