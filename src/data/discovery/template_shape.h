// A template's shape: the sequence of its elements (constant tokens with their inner parameter slots, word
// parameters, runs of a variable number of tokens), made from the clusters a grouping put together.
// Thread-safety: plain values.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "data/discovery/cluster_table.h"

namespace maas::data::discovery {

struct Element {
  enum class Kind : uint8_t {
    kToken,     // a constant skeleton; its kSlotMark characters are parameters
    kVariable,  // one token, a parameter (a user name, a state, ...)
    kRun,       // min_tokens..max_tokens tokens, one parameter (a list, an optional part)
  } kind = Kind::kToken;
  Separator sep = Separator::kSpace;
  std::string sep_text;  // Separator::kText
  std::string skeleton;  // kToken
  std::vector<SlotStats> slots;  // kToken: one per kSlotMark; kVariable and kRun: one
  bool may_be_empty = false;     // kVariable: some value was empty
  bool may_have_spaces = false;  // kVariable: some value spanned whitespace
  uint32_t min_tokens = 1, max_tokens = 1;  // kRun
};

struct TemplateShape {
  std::vector<Element> elements;
  std::string trailer;  // JSON: the punctuation after the last element
  bool header = false;  // the lines start with the stream's header
  bool json = false;
  char delimiter = 0;      // data rows: their fields' delimiter, which no word parameter holds
  bool raw_bytes = false;  // some line was not UTF-8: its rule matches bytes
  // The template as text: constants as they are, parameters as <*>, elements separated by their separators.
  std::string text() const;
};

// One leaf of the grouping: clusters of one length and the positions where they differ.
struct ShapeLeaf {
  std::vector<uint32_t> clusters;
  std::vector<uint16_t> variables;
};

// The shape of the template made of `leaves` (clusters of `table`). Leaves of different lengths are aligned on
// their constant tokens; what lies between differs in length is a run.
TemplateShape build_shape(const ClusterTable& table, const std::vector<ShapeLeaf>& leaves);

}  // namespace maas::data::discovery
