// Groups clusters (lines with identical token keys) into templates. Within each run of equal token count:
//   1. each cluster's root is its largest set of positions whose (position, key) pairs are equally frequent
//      (the template's own constants share its line count); clusters with the same root start one group
//      (after Brain, Yu et al. 2023);
//   2. a group is split, recursively, on the position with the fewest distinct keys among those that look
//      constant: few distinct words, or keys a finer position's value or a header field's value (the program,
//      the component) determines; positions with many distinct keys, values of key=value, lower-case words after
//      a label ("to: yarn"), numbered words, words where other lines have numbers (unless determined), or
//      positions already collapsed into a parameter are the template's variables;
//   3. templates of different lengths whose constant tokens are the same sequence are one template (variable-
//      length parameters: lists, optional parts).
// Thread-safety: a pure function of its input.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace maas::data::discovery {

struct GroupingOptions {
  // A position with at most this many distinct keys is a constant (splits the group) ...
  uint32_t constant_max_values = 4;
  // ... with more than this many, a variable; in between, a constant only if a finer position determines it.
  uint32_t variable_min_values = 12;
  // Merge templates of different lengths that have the same constant tokens.
  bool merge_lengths = true;
};

// Per-token flags of a cluster.
constexpr uint8_t kTokenParam = 1;     // the token is one parameter (a number, an IP, ...)
constexpr uint8_t kTokenVariable = 2;  // a position already decided variable (collapsed clusters)
constexpr uint8_t kTokenEmpty = 4;     // the token is empty (the value of "key=")
constexpr uint8_t kTokenMerged = 8;    // the token spans whitespace (a quoted span)
constexpr uint8_t kTokenValue = 16;    // the value of key=value or of a JSON key
constexpr uint8_t kTokenNumbered = 32;  // the token holds a number other than a name's (blk_<*>, not eth<*>)
constexpr uint8_t kTokenWordless = 64;  // no letter outside its slots (<*>:<*>, (<*>), *<*>, "-")
constexpr uint8_t kTokenLabelled = 128;  // a word in lower case after a word ending in ':' (reason: RTC, to: yarn)

// How many of a cluster's lines had `value` in header field `field` (its component, level, program...).
struct ContextCount {
  uint8_t field = 0;
  bool echoed = false;  // the value's text also appears in the message (a host named again): no evidence then
  uint64_t value = 0;
  uint32_t count = 0;
};

struct GroupingInput {
  std::span<const uint64_t> keys;
  std::span<const uint8_t> flags;
  uint64_t count = 0;
  uint64_t bucket = 0;  // clusters are grouped only with clusters of the same bucket (line shape)
  // The header fields the lines came with: evidence only (a header value that fixes a word makes it a constant),
  // never part of the template.
  std::span<const ContextCount> contexts;
};

struct Leaf {
  std::vector<uint32_t> members;     // cluster indices, all of one length
  std::vector<uint16_t> variables;   // positions where members differ (the template's word parameters)
};

struct Grouping {
  std::vector<Leaf> leaves;
  std::vector<std::vector<uint32_t>> templates;  // leaf indices: one entry per template
};

Grouping group_clusters(std::span<const GroupingInput> clusters, const GroupingOptions& options);

}  // namespace maas::data::discovery
