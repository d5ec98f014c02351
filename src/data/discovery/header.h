// The header of a log line (timestamps, level, host, pid, component, up to the message): its shape is learned
// from a sample of a stream's lines, then each line's message is found by matching that shape.
// Thread-safety: a learned HeaderModel is immutable and may be shared by threads.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "data/discovery/value_type.h"

namespace maas::data::discovery {

// What a header token looks like. A model position accepts a set of classes (a bit mask).
enum class HeaderClass : uint8_t {
  kTime,       // a date, time, month or weekday name, epoch seconds, or a bracketed group holding a time
  kNumber,     // digits: a pid, a thread or record id
  kLevel,      // INFO, WARN, [error], D (after a number)...
  kSeparator,  // "-", "--", ":"
  kBracket,    // [...] without a time: a thread, a request context
  kComponent,  // a word ending in ':' (dfs.FSNamesystem:, sshd[42]:): the header's last token
  kWord,       // anything else: a host, a component without a colon, a node name
};
using HeaderClassMask = uint8_t;
constexpr HeaderClassMask header_bit(HeaderClass c) { return static_cast<HeaderClassMask>(1u << static_cast<unsigned>(c)); }

struct HeaderField {
  HeaderClassMask classes = 0;
  bool bracketed = false;    // the token is a [...] group (it may hold spaces)
  bool pipe_after = false;   // '|' separates it from the next token (else whitespace)
  std::string literal;       // a separator position: the text every sample line had there
  DateFormat format = kNoFormat;  // a time position whose sample values all had one format
  std::string name;          // the column name in rules: timestamp, level, component, host, ...
};

// One header token of a line: where it is and what it looks like.
struct HeaderToken {
  uint32_t begin = 0, end = 0;  // the token's text
  uint32_t next = 0;            // where the next token starts (after the separator)
  HeaderClass cls = HeaderClass::kWord;
  bool bracketed = false, pipe_after = false;
};

class HeaderModel {
 public:
  static constexpr size_t kMaxFields = 14;

  // Learns the shape shared by most lines of `sample`; an empty model when most lines have no header.
  static HeaderModel learn(std::span<const std::string_view> sample);

  bool empty() const { return fields_.empty(); }
  const std::vector<HeaderField>& fields() const { return fields_; }
  // The fields that say where a line comes from (level, program, component, host, state): not times or numbers.
  const std::vector<uint8_t>& context_fields() const { return context_fields_; }
  // The offset where the message of `line` starts, or 0 when the line does not have the header's shape.
  // `tokens` (optional) receives the header tokens matched, one per field, the component last.
  size_t message_start(std::string_view line, std::vector<HeaderToken>* tokens = nullptr) const;

 private:
  std::vector<HeaderField> fields_;
  std::vector<uint8_t> context_fields_;
  bool component_last_ = false;  // the last field is a component that may follow extra words
};

// Splits the first `max_tokens` header-like tokens of `line` (bracket groups are one token; '|' separates) and,
// with `classify`, tells what each looks like.
void split_header_tokens(std::string_view line, size_t max_tokens, std::vector<HeaderToken>& out,
                         bool classify = true);
// What a header token looks like; `after_number`: it follows a number or a time (then "D" is a level).
HeaderClass classify_header_token(std::string_view text, bool bracketed, bool after_number);

}  // namespace maas::data::discovery
