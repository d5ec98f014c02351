#include "data/engine/sql_text.h"

namespace maas::data::engine {
namespace {

std::string quote_with(std::string_view text, char quote) {
  std::string out;
  out.reserve(text.size() + 2);
  out += quote;
  for (char c : text) {
    if (c == '\0') continue;
    if (c == quote) out += quote;
    out += c;
  }
  out += quote;
  return out;
}

}  // namespace

std::string quote_literal(std::string_view text) { return quote_with(text, '\''); }
std::string quote_identifier(std::string_view name) { return quote_with(name, '"'); }

}  // namespace maas::data::engine
