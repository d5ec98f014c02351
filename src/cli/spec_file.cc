#include "cli/spec_file.h"

#include <yaml-cpp/yaml.h>

#include <cmath>
#include <fstream>
#include <iterator>

namespace maas::cli {
namespace {

using nlohmann::json;

json scalar_of(const YAML::Node& node) {
  const std::string& text = node.Scalar();
  if (node.Tag() == "!") return text;  // quoted: a string whatever it reads like
  if (text == "true" || text == "false") return text == "true";
  if (text == "null" || text == "~" || text.empty()) return nullptr;
  char* end = nullptr;
  long long integer = std::strtoll(text.c_str(), &end, 10);
  if (end == text.c_str() + text.size()) return integer;
  double number = std::strtod(text.c_str(), &end);
  if (end == text.c_str() + text.size() && std::isfinite(number)) return number;
  return text;
}

json json_of(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map: {
      json out = json::object();
      for (const auto& item : node) out[item.first.as<std::string>()] = json_of(item.second);
      return out;
    }
    case YAML::NodeType::Sequence: {
      json out = json::array();
      for (const auto& item : node) out.push_back(json_of(item));
      return out;
    }
    case YAML::NodeType::Scalar:
      return scalar_of(node);
    default:
      return nullptr;
  }
}

}  // namespace

Result<json> read_spec_file(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) return invalid_argument("cannot read " + path.string());
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  json parsed = json::parse(text, nullptr, false);
  if (!parsed.is_discarded()) return parsed;
  try {
    return json_of(YAML::Load(text));
  } catch (const YAML::Exception& e) {
    return invalid_argument(path.string() + " is neither JSON nor YAML: " + e.what());
  }
}

}  // namespace maas::cli
