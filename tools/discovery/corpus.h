// A labelled log corpus generator: each system is a spec file (tests/data/logs/*.tpl) of templates with typed
// placeholders; generate() draws lines from them, each with the index of the template it came from (the truth
// for grouping accuracy). Deterministic: the same spec, seed and count give the same lines on every machine.
//
// Spec format, one directive per line ('#' starts a comment):
//   include PATH                   another spec's directives (tests/data/logs/holdout/ extends the main specs)
//   system NAME
//   header TEXT                    the line's header; the message follows it after one space
//   default KEY=VALUE ...          values of {$KEY} in the header, unless a template sets them
//   pool NAME V1 V2 ...            values for @{word:NAME}, drawn with Zipf weights in the order given
//   frag NAME TEXT                 a piece of text with placeholders, for @{frag:NAME} and @{pick:#NAME|...}
//   T WEIGHT [KEY=VALUE ...] | MESSAGE
// The header and the message are joined by one space (none after a header ending in '|'); a template with
// header=none has no header (a stack trace's continuation lines). In values, '~' stands for a space.
// Placeholders in TEXT and MESSAGE: @{int:A..B} @{int:A..B:padN} @{float:A..B:DIGITS} @{hex:N} @{HEX:N} @{0x:N}
// @{ip} @{port} @{ipport} @{uuid} @{mac} @{email} @{host} @{path} @{url} @{blk} @{frame} @{letters:A..B}
// @{alnum:N} @{pick:a|b|#FRAGMENT|@PLACEHOLDER} @{word:POOL} @{qty:A..B:UNIT} (512MB) @{fqty:A..B:UNIT} (1.16 KB)
// @{pqty:A..B:UNIT} ((1.16 KB)) @{epoch} @{time:FORMAT} (strftime-like: %Y %y %m %d %e %H %M %S %b %a %3f %6f)
// @{list:MIN..MAX:SEP:PLACEHOLDER} @{opt:PERCENT:PLACEHOLDER} (an empty one takes the space before it along)
// @{frag:NAME} @{$KEY}. A template is held out (left out of the development corpus) when its index is 3 mod 4.
// Thread-safety: CorpusSpec is immutable once parsed; generate() is a pure function of its arguments.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace maas::data::discovery::corpus {

struct TemplateSpec {
  double weight = 1;
  std::map<std::string, std::string> vars;
  std::string message;
  bool held_out = false;
};

struct CorpusSpec {
  std::string system;
  std::string header;
  std::map<std::string, std::string> defaults;
  std::map<std::string, std::vector<std::string>> pools;
  std::map<std::string, std::string> fragments;
  std::vector<TemplateSpec> templates;
};

struct CorpusLine {
  std::string line;     // header + message
  std::string message;  // the message alone
  uint32_t truth = 0;   // the template's index in the spec
};

enum class TemplateSet { kAll, kDevelopment };

Result<CorpusSpec> parse_spec(std::string_view text);
// `directory`: where "include" directives' paths start.
Result<CorpusSpec> parse_spec(std::string_view text, const std::string& directory);
Result<CorpusSpec> load_spec(const std::string& path);
// The spec files of a directory (*.tpl), sorted by system name.
Result<std::vector<CorpusSpec>> load_specs(const std::string& directory);

std::vector<CorpusLine> generate(const CorpusSpec& spec, uint64_t seed, size_t lines,
                                 TemplateSet set = TemplateSet::kAll);

// Grouping accuracy (LogPAI): a line counts when the lines grouped with it are exactly the lines of its truth.
double grouping_accuracy(const std::vector<uint32_t>& predicted, const std::vector<uint32_t>& truth);

}  // namespace maas::data::discovery::corpus
