// The extraction rule of a template: an RE2 pattern over the whole line with one named group per parameter (and
// per header field), and the typed columns those groups fill. JSON form (the data center's rule engine reads it):
//   {"type": "regex", "pattern": "^...(?P<size>[-+]?\\d+)...$",
//    "columns": [{"name": "size", "type": "int64"}, {"name": "when", "type": "timestamp", "format": "%H:%M:%S"},
//                {"name": "host", "type": "string", "semantic": "ip", "nullable": true}, ...]}
// Thread-safety: plain values and pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "data/discovery/header.h"
#include "data/discovery/template_shape.h"

namespace maas::data::discovery {

struct Column {
  std::string name;
  std::string type;      // int64, float64, timestamp, string
  std::string format;    // timestamp: strftime-style
  std::string semantic;  // string: what the values are (ip, uuid, hex, path, url, email, mac, quantity, id, word)
  bool nullable = false;  // some value was "-" in quotes, the empty field of access logs
};

struct Rule {
  std::string pattern;  // RE2 syntax, anchored with ^ and $
  std::vector<Column> columns;  // one per named group, in the pattern's order
};

// The rule that extracts `shape`'s parameters (and the header fields, when shape.header) from a whole line.
Rule build_rule(const TemplateShape& shape, const HeaderModel& header);
// The rule matching any line of the stream: the header's fields, then the message as one column.
Rule fallback_rule(bool with_header, const HeaderModel& header);

nlohmann::json rule_to_json(const Rule& rule);

// Whether `value` parses as `column`'s type (int64 fits, float64 parses, a timestamp has its format).
bool fits_column(std::string_view value, const Column& column);

}  // namespace maas::data::discovery
