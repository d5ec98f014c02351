// maas-graph documents: an inference graph over other registered versions (src/graph/, docs/GRAPHS.md). Here only
// what the file alone shows: a JSON object of at most 1 MiB whose "format" is "maas-graph". Its nodes, steps and
// limits are checked by the registry's upload check that the graph component installs (it knows the registry).
#include "common/json_parse.h"
#include "formats/inspectors.h"

namespace maas::formats {
namespace {
constexpr std::string_view kFormatKey = "\"format\"";
constexpr std::string_view kGraphName = "\"maas-graph\"";

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
}  // namespace

// `{"format": "maas-graph"` at the start, blanks allowed between the tokens.
bool looks_like_maas_graph(std::string_view head) {
  size_t i = 0;
  auto skip = [&] {
    while (i < head.size() && is_blank(head[i])) ++i;
  };
  auto take = [&](std::string_view token) {
    skip();
    if (head.substr(i, token.size()) != token) return false;
    i += token.size();
    return true;
  };
  return take("{") && take(kFormatKey) && take(":") && take(kGraphName);
}

Result<ArtifactInfo> inspect_maas_graph(FileReader& file) {
  if (file.size() > kMaxGraphDocumentBytes) return invalid_argument("maas-graph: the document is over 1 MiB");
  MAAS_RETURN_IF_ERROR(file.seek(0));
  MAAS_ASSIGN_OR_RETURN(std::string text, file.read_string(file.size()));
  MAAS_ASSIGN_OR_RETURN(nlohmann::json document, parse_json(text, "maas-graph: the document"));
  if (!document.is_object()) return invalid_argument("maas-graph: the document must be a JSON object");
  auto format = document.find("format");
  if (format == document.end() || *format != "maas-graph") {
    return invalid_argument("maas-graph: 'format' must be \"maas-graph\"");
  }
  ArtifactInfo info;
  info.framework = Framework::kGraph;
  info.format = "maas-graph";
  info.details = {{"graph", std::move(document)}};
  return info;
}

}  // namespace maas::formats
