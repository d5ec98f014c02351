// Decoding of inference responses (binary outputs included) and the summarised table of their values.
#include "cli/infer_outputs.h"

#include <charconv>
#include <cmath>
#include <cstring>
#include <vector>

#include "cli/output.h"
#include "cli/table.h"

namespace maas::cli {
namespace {

using nlohmann::json;

// numpy prints the first and last 3 entries of a long dimension; a table cell wants a smaller threshold than
// numpy's 1000 elements.
constexpr size_t kEdgeItems = 3;
constexpr size_t kSummarizeAbove = 12;

template <typename T>
T load(const char* data, size_t index) {
  T value;
  std::memcpy(&value, data + index * sizeof(T), sizeof(T));
  return value;
}

// The double nearest the shortest decimal that reads back as `value`: printed, it looks like the float it was
// (0.1f prints as 0.1, not 0.10000000149011612), and parsed as a float it is `value` again.
json float_json(float value) {
  if (!std::isfinite(value)) return value;
  char text[32];
  const auto written = std::to_chars(text, text + sizeof(text), value);
  double shortest = value;
  std::from_chars(text, written.ptr, shortest);
  return shortest;
}

float half_to_float(uint16_t half) {
  const int exponent = (half >> 10) & 0x1f;
  const int mantissa = half & 0x3ff;
  float value = 0;
  if (exponent == 0) {
    value = std::ldexp(static_cast<float>(mantissa), -24);
  } else if (exponent == 31) {
    value = mantissa != 0 ? std::nanf("") : INFINITY;
  } else {
    value = std::ldexp(static_cast<float>(mantissa + 1024), exponent - 25);
  }
  return (half & 0x8000) != 0 ? -value : value;
}

Result<uint64_t> element_count(const json& shape, const std::string& label) {
  if (!shape.is_array()) return internal_error(label + " has no shape");
  uint64_t count = 1;
  for (const json& dimension : shape) {
    if (!dimension.is_number_unsigned() && !(dimension.is_number_integer() && dimension >= 0)) {
      return internal_error(label + " has a shape that is not non-negative integers");
    }
    const auto size = dimension.get<uint64_t>();
    if (size != 0 && count > (uint64_t{1} << 60) / size) return internal_error(label + " has an impossible shape");
    count *= size;
  }
  return count;
}

template <typename T, typename Convert>
Result<json> fixed_size_elements(std::string_view bytes, uint64_t count, const std::string& label, Convert convert) {
  if (bytes.size() != count * sizeof(T)) {
    return internal_error(label + " has " + std::to_string(bytes.size()) + " bytes of binary data, not the " +
                          std::to_string(count * sizeof(T)) + " its shape needs");
  }
  json data = json::array();
  data.get_ref<json::array_t&>().reserve(count);
  for (uint64_t i = 0; i < count; ++i) data.push_back(convert(load<T>(bytes.data(), i)));
  return data;
}

// BYTES: each element a 4-byte little-endian length, then that many bytes.
Result<json> string_elements(std::string_view bytes, uint64_t count, const std::string& label) {
  json data = json::array();
  size_t offset = 0;
  for (uint64_t i = 0; i < count; ++i) {
    if (bytes.size() - offset < 4) return internal_error(label + ": its BYTES data ends early");
    const auto* prefix = reinterpret_cast<const unsigned char*>(bytes.data() + offset);
    const uint32_t length = prefix[0] | (prefix[1] << 8) | (prefix[2] << 16) | (uint32_t{prefix[3]} << 24);
    offset += 4;
    if (bytes.size() - offset < length) return internal_error(label + ": its BYTES data ends early");
    data.push_back(std::string(bytes.substr(offset, length)));
    offset += length;
  }
  if (offset != bytes.size()) return internal_error(label + ": its BYTES data has bytes after its last element");
  return data;
}

Result<json> decode_elements(std::string_view bytes, const std::string& datatype, uint64_t count,
                             const std::string& label) {
  auto same = [](auto value) { return json(value); };
  if (datatype == "FP32") return fixed_size_elements<float>(bytes, count, label, float_json);
  if (datatype == "FP64") return fixed_size_elements<double>(bytes, count, label, same);
  if (datatype == "FP16") {
    return fixed_size_elements<uint16_t>(bytes, count, label, [](uint16_t h) { return float_json(half_to_float(h)); });
  }
  if (datatype == "INT64") return fixed_size_elements<int64_t>(bytes, count, label, same);
  if (datatype == "INT32") return fixed_size_elements<int32_t>(bytes, count, label, same);
  if (datatype == "INT16") return fixed_size_elements<int16_t>(bytes, count, label, same);
  if (datatype == "INT8") return fixed_size_elements<int8_t>(bytes, count, label, same);
  if (datatype == "UINT64") return fixed_size_elements<uint64_t>(bytes, count, label, same);
  if (datatype == "UINT32") return fixed_size_elements<uint32_t>(bytes, count, label, same);
  if (datatype == "UINT16") return fixed_size_elements<uint16_t>(bytes, count, label, same);
  if (datatype == "UINT8") return fixed_size_elements<uint8_t>(bytes, count, label, same);
  if (datatype == "BOOL") return fixed_size_elements<uint8_t>(bytes, count, label, [](uint8_t b) { return b != 0; });
  if (datatype == "BYTES") return string_elements(bytes, count, label);
  return internal_error(label + " has the unknown datatype '" + datatype + "'");
}

std::string element_text(const json& value) {
  if (value.is_number_float()) {
    const double number = value.get<double>();
    if (std::isnan(number)) return "nan";
    if (std::isinf(number)) return number > 0 ? "inf" : "-inf";
  }
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

void append_values(std::string& out, const json& data, const std::vector<size_t>& dims, size_t depth, size_t offset,
                   bool summarize) {
  if (depth == dims.size()) {
    out += element_text(data[offset]);
    return;
  }
  size_t stride = 1;
  for (size_t i = depth + 1; i < dims.size(); ++i) stride *= dims[i];
  const size_t length = dims[depth];
  out += '[';
  for (size_t i = 0; i < length; ++i) {
    if (i > 0) out += ", ";
    if (summarize && length > 2 * kEdgeItems && i == kEdgeItems) {
      out += "..., ";
      i = length - kEdgeItems;
    }
    append_values(out, data, dims, depth + 1, offset + i * stride, summarize);
  }
  out += ']';
}

}  // namespace

Result<json> decode_infer_response(std::string_view body, std::optional<uint64_t> json_length) {
  size_t json_size = body.size();
  if (json_length) {
    if (*json_length > body.size()) {
      return internal_error("Inference-Header-Content-Length " + std::to_string(*json_length) +
                            " exceeds the response of " + std::to_string(body.size()) + " bytes");
    }
    json_size = static_cast<size_t>(*json_length);
  }
  json response = json::parse(body.substr(0, json_size), nullptr, /*allow_exceptions=*/false);
  if (response.is_discarded() || !response.is_object()) {
    return internal_error("the inference response is not a JSON object");
  }
  const std::string_view binary = body.substr(json_size);
  size_t offset = 0;
  auto outputs = response.find("outputs");
  if (outputs != response.end() && outputs->is_array()) {
    for (json& output : *outputs) {
      if (!output.is_object()) continue;
      auto parameters = output.find("parameters");
      if (parameters == output.end() || !parameters->is_object() || !parameters->contains("binary_data_size")) continue;
      const std::string label = "output " + field_text(output, "name");
      const json& size_value = (*parameters)["binary_data_size"];
      if (!size_value.is_number_unsigned()) return internal_error(label + ": binary_data_size is not a byte count");
      const auto size = size_value.get<uint64_t>();
      if (size > binary.size() - offset) {
        return internal_error(label + ": binary_data_size " + std::to_string(size) + " runs past the response");
      }
      MAAS_ASSIGN_OR_RETURN(uint64_t count, element_count(output.value("shape", json()), label));
      MAAS_ASSIGN_OR_RETURN(output["data"],
                            decode_elements(binary.substr(offset, size), output.value("datatype", ""), count, label));
      offset += size;
      parameters->erase("binary_data_size");
      if (parameters->empty()) output.erase("parameters");
    }
  }
  if (offset != binary.size()) {
    return internal_error("the inference response has " + std::to_string(binary.size() - offset) +
                          " bytes of binary data that no output claims");
  }
  return response;
}

std::string tensor_values_text(const json& data, const json& shape) {
  if (!data.is_array()) return element_text(data);
  std::vector<size_t> dims;
  size_t count = 1;
  bool shape_ok = shape.is_array();
  for (const json& dimension : shape.is_array() ? shape : json::array()) {
    if (!dimension.is_number_unsigned() && !(dimension.is_number_integer() && dimension >= 0)) {
      shape_ok = false;
      break;
    }
    dims.push_back(dimension.get<size_t>());
    count = dims.back() == 0 || count <= data.size() / dims.back() ? count * dims.back() : data.size() + 1;
  }
  if (!shape_ok || count != data.size()) dims = {data.size()};
  std::string out;
  append_values(out, data, dims, 0, 0, data.size() > kSummarizeAbove);
  return out;
}

std::string render_infer_outputs_table(const json& response) {
  Table table({"NAME", "DATATYPE", "SHAPE", "VALUES"});
  const json outputs = response.is_object() ? response.value("outputs", json::array()) : json::array();
  for (const json& output : outputs.is_array() ? outputs : json::array()) {
    const json data = output.is_object() ? output.value("data", json()) : json();
    table.add_row({field_text(output, "name"), field_text(output, "datatype"), field_text(output, "shape"),
                   data.is_null() ? "-" : tensor_values_text(data, output.value("shape", json()))});
  }
  return table.render();
}

}  // namespace maas::cli
