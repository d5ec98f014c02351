#include "compression/gguf_types.h"

#include <strings.h>

namespace maas::compression {

const std::vector<GgufType>& gguf_types() {
  static const std::vector<GgufType> kTypes = {
      {"F32", 0},     {"F16", 1},     {"BF16", 32},   {"Q8_0", 7},    {"Q4_0", 2},    {"Q4_1", 3},
      {"Q5_0", 8},    {"Q5_1", 9},    {"Q2_K", 10},   {"Q2_K_S", 21}, {"Q3_K_S", 11}, {"Q3_K_M", 12},
      {"Q3_K_L", 13}, {"Q4_K_S", 14}, {"Q4_K_M", 15}, {"Q5_K_S", 16}, {"Q5_K_M", 17}, {"Q6_K", 18},
      {"IQ4_NL", 25}, {"IQ4_XS", 30}, {"TQ1_0", 36},  {"TQ2_0", 37},
  };
  return kTypes;
}

std::optional<GgufType> find_gguf_type(std::string_view name) {
  for (const GgufType& type : gguf_types()) {
    if (name.size() == std::string_view(type.name).size() && strncasecmp(name.data(), type.name, name.size()) == 0)
      return type;
  }
  return std::nullopt;
}

std::string gguf_type_names() {
  std::string out;
  for (const GgufType& type : gguf_types()) out += (out.empty() ? "" : ", ") + std::string(type.name);
  return out;
}

}  // namespace maas::compression
