// Building the request of `maas infer` from its flags: inputs from JSON and .npy, datatypes, parameters.
#include "cli/infer_inputs.h"

#include <algorithm>
#include <array>
#include <cctype>

#include "cli/arguments.h"
#include "cli/npy.h"
#include "common/files.h"

namespace maas::cli {
namespace {

using nlohmann::json;

constexpr std::array<std::string_view, 13> kDatatypes = {
    "BOOL", "UINT8", "UINT16", "UINT32", "UINT64", "INT8", "INT16", "INT32", "INT64", "FP16", "FP32", "FP64", "BYTES"};
// As the server: no model has anywhere near this many dimensions, and it bounds the recursion.
constexpr size_t kMaxRank = 64;
// Inputs are sent from memory; a larger file is a mistake rather than a request.
constexpr size_t kMaxInputFileBytes = size_t{1} << 30;

std::string label(const std::string& name) { return "input '" + name + "'"; }

// Which kinds of element a nested array holds.
struct ElementKinds {
  bool number = false;
  bool boolean = false;
  bool string = false;
};

Status add_element(const json& value, const std::string& name, ElementKinds& kinds) {
  if (value.is_number()) {
    kinds.number = true;
  } else if (value.is_boolean()) {
    kinds.boolean = true;
  } else if (value.is_string()) {
    kinds.string = true;
  } else {
    return invalid_argument(label(name) + ": elements must be numbers, booleans or strings, not " +
                            std::string(value.type_name()));
  }
  if (int(kinds.number) + int(kinds.boolean) + int(kinds.string) > 1) {
    return invalid_argument(label(name) + " mixes numbers, booleans and strings");
  }
  return {};
}

// Appends the elements of `value`, which must have exactly `shape` from `depth` down, to `flat`.
Status flatten(const json& value, const std::vector<int64_t>& shape, size_t depth, const std::string& name, json& flat,
               ElementKinds& kinds) {
  if (depth == shape.size()) {
    if (value.is_array()) return invalid_argument(label(name) + " is not rectangular: its arrays nest unevenly");
    MAAS_RETURN_IF_ERROR(add_element(value, name, kinds));
    flat.push_back(value);
    return {};
  }
  if (!value.is_array() || value.size() != static_cast<size_t>(shape[depth])) {
    return invalid_argument(label(name) + " is not rectangular: the arrays at depth " + std::to_string(depth + 1) +
                            " differ in length");
  }
  for (const json& item : value) MAAS_RETURN_IF_ERROR(flatten(item, shape, depth + 1, name, flat, kinds));
  return {};
}

// The kinds of the leaves of `data`, nested or flat, for an input object without a datatype.
Status scan_elements(const json& data, const std::string& name, ElementKinds& kinds, size_t depth = 0) {
  if (depth > kMaxRank) return invalid_argument(label(name) + ": 'data' nests too deeply");
  if (!data.is_array()) return add_element(data, name, kinds);
  for (const json& item : data) MAAS_RETURN_IF_ERROR(scan_elements(item, name, kinds, depth + 1));
  return {};
}

std::string default_datatype(const ElementKinds& kinds) {
  if (kinds.boolean) return "BOOL";
  if (kinds.string) return "BYTES";
  return "FP32";
}

// A whole v2 input object: checked for shape, then passed on as it is.
Result<RequestInput> object_input(const std::string& name, const json& object,
                                  const std::optional<std::string>& datatype) {
  if (auto it = object.find("name"); it != object.end() && *it != json(name)) {
    return invalid_argument(label(name) + ": the object names the input " + it->dump());
  }
  auto shape = object.find("shape");
  if (shape == object.end() || !shape->is_array() ||
      !std::all_of(shape->begin(), shape->end(), [](const json& d) { return d.is_number_integer() && d >= 0; })) {
    return invalid_argument(label(name) + ": an input object needs 'shape', an array of non-negative integers");
  }
  auto data = object.find("data");
  if (data == object.end()) return invalid_argument(label(name) + ": an input object needs 'data'");
  json header = {{"name", name}, {"shape", *shape}, {"data", *data}};
  if (auto it = object.find("datatype"); it != object.end()) {
    if (!it->is_string() || !is_v2_datatype(it->get<std::string>())) {
      return invalid_argument(label(name) + ": 'datatype' " + it->dump() + " is not a v2 datatype");
    }
    if (datatype && *datatype != it->get<std::string>()) {
      return invalid_argument(label(name) + ": --datatype " + *datatype + " disagrees with the object's " +
                              it->get<std::string>());
    }
    header["datatype"] = *it;
  } else if (datatype) {
    header["datatype"] = *datatype;
  } else {
    ElementKinds kinds;
    MAAS_RETURN_IF_ERROR(scan_elements(*data, name, kinds));
    header["datatype"] = default_datatype(kinds);
  }
  if (auto it = object.find("parameters"); it != object.end()) {
    if (!it->is_object() || it->contains("binary_data_size")) {
      return invalid_argument(label(name) + ": 'parameters' must be an object without binary_data_size");
    }
    header["parameters"] = *it;
  }
  return RequestInput(std::move(header));
}

bool ends_with_npy(std::string_view path) {
  if (path.size() < 4) return false;
  std::string suffix(path.substr(path.size() - 4));
  std::transform(suffix.begin(), suffix.end(), suffix.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return suffix == ".npy";
}

bool is_integer_text(std::string_view text) {
  if (!text.empty() && text.front() == '-') text.remove_prefix(1);
  // 18 digits always fit in an int64.
  return !text.empty() && text.size() <= 18 &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

Result<InputFlag> parse_input_flag(std::string_view text) {
  const size_t eq = text.find('=');
  if (eq == std::string_view::npos || eq == 0 || eq + 1 == text.size()) {
    return invalid_argument("--input '" + std::string(text) + "' must look like NAME=@FILE or NAME=JSON");
  }
  InputFlag flag{std::string(text.substr(0, eq)), std::string(text.substr(eq + 1)), false};
  if (flag.value.front() == '@') {
    flag.value.erase(0, 1);
    flag.from_file = true;
    if (flag.value.empty()) return invalid_argument("--input '" + std::string(text) + "' names no file after '@'");
  }
  return flag;
}

bool is_v2_datatype(std::string_view datatype) {
  return std::find(kDatatypes.begin(), kDatatypes.end(), datatype) != kDatatypes.end();
}

Result<std::map<std::string, std::string>> parse_datatype_flags(const std::vector<std::string>& items) {
  std::map<std::string, std::string> datatypes;
  for (const auto& item : items) {
    MAAS_ASSIGN_OR_RETURN(auto pair, parse_key_value(item, "--datatype"));
    if (!is_v2_datatype(pair.second)) {
      return invalid_argument("--datatype '" + item +
                              "': the datatype must be one of BOOL, UINT8, UINT16, UINT32, UINT64, INT8, INT16, "
                              "INT32, INT64, FP16, FP32, FP64, BYTES");
    }
    if (!datatypes.emplace(pair.first, pair.second).second) {
      return invalid_argument("--datatype '" + pair.first + "' is given more than once");
    }
  }
  return datatypes;
}

Result<json> parse_parameter_flags(const std::vector<std::string>& items) {
  json parameters = json::object();
  for (const auto& item : items) {
    MAAS_ASSIGN_OR_RETURN(auto pair, parse_key_value(item, "--param"));
    if (parameters.contains(pair.first)) {
      return invalid_argument("--param '" + pair.first + "' is given more than once");
    }
    const std::string& value = pair.second;
    if (value == "true" || value == "false") {
      parameters[pair.first] = value == "true";
    } else if (is_integer_text(value)) {
      parameters[pair.first] = std::stoll(value);
    } else {
      parameters[pair.first] = value;
    }
  }
  return parameters;
}

Result<RequestInput> json_input(const std::string& name, const json& value,
                                const std::optional<std::string>& datatype) {
  if (value.is_object()) return object_input(name, value, datatype);
  std::vector<int64_t> shape;
  for (const json* cursor = &value; cursor->is_array(); cursor = &cursor->front()) {
    if (shape.size() == kMaxRank) {
      return invalid_argument(label(name) + " has more than " + std::to_string(kMaxRank) + " dimensions");
    }
    shape.push_back(static_cast<int64_t>(cursor->size()));
    if (cursor->empty()) break;
  }
  json data = json::array();
  ElementKinds kinds;
  MAAS_RETURN_IF_ERROR(flatten(value, shape, 0, name, data, kinds));
  return RequestInput(json{{"name", name},
                           {"datatype", datatype.value_or(default_datatype(kinds))},
                           {"shape", shape},
                           {"data", std::move(data)}});
}

Result<RequestInput> npy_input(const std::string& name, std::string file, const std::optional<std::string>& datatype) {
  MAAS_ASSIGN_OR_RETURN(NpyArray array, parse_npy(file));
  if (datatype && *datatype != array.datatype) {
    return invalid_argument(label(name) + ": --datatype " + *datatype + " disagrees with the .npy file's " +
                            array.datatype + "; a .npy file is sent as it is, not converted");
  }
  const auto offset = static_cast<size_t>(array.data.data() - file.data());
  const size_t size = array.data.size();
  json header = {{"name", name},
                 {"datatype", array.datatype},
                 {"shape", array.shape},
                 {"parameters", {{"binary_data_size", size}}}};
  return RequestInput(std::move(header), std::move(file), offset, size);
}

Result<RequestInput> read_input(const InputFlag& flag, const std::optional<std::string>& datatype) {
  if (!flag.from_file) {
    const json value = json::parse(flag.value, nullptr, /*allow_exceptions=*/false);
    if (value.is_discarded()) {
      return invalid_argument("--input " + flag.name + "=" + flag.value +
                              ": the value is not JSON (write NAME=@FILE to read a file)");
    }
    return json_input(flag.name, value, datatype);
  }
  auto content = read_file(flag.value, kMaxInputFileBytes);
  if (!content.ok()) return invalid_argument(label(flag.name) + ": " + content.status().message());
  if (ends_with_npy(flag.value) || has_npy_magic(*content)) {
    auto input = npy_input(flag.name, std::move(*content), datatype);
    if (!input.ok()) return invalid_argument(flag.value + ": " + input.status().message());
    return input;
  }
  const json value = json::parse(*content, nullptr, /*allow_exceptions=*/false);
  if (value.is_discarded()) return invalid_argument(flag.value + " is neither JSON nor a .npy file");
  return json_input(flag.name, value, datatype);
}

EncodedRequest encode_infer_request(const std::vector<RequestInput>& inputs, const std::vector<std::string>& outputs,
                                    bool binary_outputs, const json& parameters) {
  json request = json::object();
  json& request_inputs = request["inputs"] = json::array();
  bool any_binary = false;
  for (const RequestInput& input : inputs) {
    request_inputs.push_back(input.header());
    any_binary = any_binary || input.is_binary();
  }
  if (!outputs.empty()) {
    json& requested = request["outputs"] = json::array();
    for (const std::string& output : outputs) requested.push_back({{"name", output}});
  }
  json request_parameters = parameters.is_object() ? parameters : json::object();
  if (binary_outputs) request_parameters["binary_data_output"] = true;
  if (!request_parameters.empty()) request["parameters"] = std::move(request_parameters);

  EncodedRequest encoded;
  encoded.body = request.dump(-1, ' ', false, json::error_handler_t::replace);
  if (!any_binary) {
    encoded.content_type = "application/json";
    return encoded;
  }
  encoded.json_length = encoded.body.size();
  encoded.content_type = "application/octet-stream";
  size_t total = encoded.body.size();
  for (const RequestInput& input : inputs) total += input.binary().size();
  encoded.body.reserve(total);
  for (const RequestInput& input : inputs) encoded.body.append(input.binary());
  return encoded;
}

}  // namespace maas::cli
