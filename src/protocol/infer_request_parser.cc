// parse_infer_request: the request JSON validated by simdjson's DOM parser, read with On-Demand, then its binary
// tensors.
#include <simdjson.h>

#include <algorithm>
#include <memory>
#include <set>
#include <string>

#include "common/element_count.h"
#include "common/json_parse.h"
#include "protocol/binary_tensors.h"
#include "protocol/json_tensor_data.h"
#include "protocol/json_text.h"
#include "protocol/kserve_v2.h"

namespace maas::protocol {
namespace {

using runtime::DataType;
using simdjson::ondemand::array;
using simdjson::ondemand::json_type;
using simdjson::ondemand::object;
using simdjson::ondemand::value;

// A parser reused per thread saves its allocations on every request; a rare larger request gets a parser of its
// own so that the thread does not keep that much memory.
constexpr size_t kMaxSharedParserBytes = size_t{16} << 20;
// The validating DOM parser keeps about 4x what it parsed: kept per thread only for small requests.
constexpr size_t kMaxSharedValidatorBytes = size_t{1} << 20;

// Nested data descends one JSON level per dimension; simdjson must not be asked to go deeper than its maximum
// depth (1024), and no model has anywhere near this many dimensions.
constexpr size_t kMaxRank = 64;

constexpr std::string_view kDatatypeList =
    "BOOL, UINT8, UINT16, UINT32, UINT64, INT8, INT16, INT32, INT64, FP16, FP32, FP64, BYTES";

Result<json_type> type_of(value& v) {
  json_type type;
  if (auto error = v.type().get(type)) return malformed_json(error);
  return type;
}

// The value of `key` in `container`, or nullopt when absent or null (v2 fields are optional or not; null counts
// as absent, which is how many clients write an unset optional).
Result<std::optional<value>> find_field(object& container, std::string_view key) {
  value found;
  auto error = container.find_field_unordered(key).get(found);
  if (error == simdjson::NO_SUCH_FIELD) return std::optional<value>();
  if (error) return malformed_json(error);
  MAAS_ASSIGN_OR_RETURN(json_type type, type_of(found));
  if (type == json_type::null) return std::optional<value>();
  return std::optional<value>(found);
}

// Calls fn(key, value) for each field of `container` in order, reading it to its end: an input's or output's
// parameters are read this way, all their fields in one pass, rather than looked up one name at a time.
template <typename Fn>
Status each_field(object& container, Fn&& fn) {
  for (auto field_result : container) {
    simdjson::ondemand::field field;
    if (auto error = std::move(field_result).get(field)) return malformed_json(error);
    std::string_view key;
    if (auto error = field.unescaped_key().get(key)) return malformed_json(error);
    MAAS_RETURN_IF_ERROR(fn(key, field.value()));
  }
  return {};
}

Result<std::string_view> string_of(value& v, const std::string& what) {
  MAAS_ASSIGN_OR_RETURN(json_type type, type_of(v));
  if (type != json_type::string) return invalid_argument(what + " must be a string");
  std::string_view text;
  if (auto error = v.get_string().get(text)) return malformed_json(error);
  return text;
}

Result<object> object_of(value& v, const std::string& what) {
  MAAS_ASSIGN_OR_RETURN(json_type type, type_of(v));
  if (type != json_type::object) return invalid_argument(what + " must be an object");
  object result;
  if (auto error = v.get_object().get(result)) return malformed_json(error);
  return result;
}

Result<array> array_of(value& v, const std::string& what) {
  MAAS_ASSIGN_OR_RETURN(json_type type, type_of(v));
  if (type != json_type::array) return invalid_argument(what + " must be an array");
  array result;
  if (auto error = v.get_array().get(result)) return malformed_json(error);
  return result;
}

Result<bool> bool_of(value& v, const std::string& what) {
  MAAS_ASSIGN_OR_RETURN(json_type type, type_of(v));
  if (type != json_type::boolean) return invalid_argument(what + " must be true or false");
  bool result = false;
  if (auto error = v.get_bool().get(result)) return malformed_json(error);
  return result;
}

// A non-negative integer such as a dimension or a byte count.
Result<uint64_t> count_of(value& v, const std::string& what) {
  MAAS_ASSIGN_OR_RETURN(json_type type, type_of(v));
  uint64_t result = 0;
  if (type != json_type::number || v.get_uint64().get(result)) {
    return invalid_argument(what + " must be a non-negative integer");
  }
  return result;
}

// The JSON text of an object or array, verbatim.
Result<std::string> raw_json_of(value& v, json_type type) {
  std::string_view raw;
  simdjson::error_code error;
  if (type == json_type::object) {
    object container;
    error = v.get_object().get(container);
    if (!error) error = container.raw_json().get(raw);
  } else {
    array container;
    error = v.get_array().get(container);
    if (!error) error = container.raw_json().get(raw);
  }
  if (error) return malformed_json(error);
  return std::string(raw);
}

std::string trimmed_token(value& v) {
  std::string_view token = v.raw_json_token();
  while (!token.empty() &&
         (token.back() == ' ' || token.back() == '\n' || token.back() == '\r' || token.back() == '\t')) {
    token.remove_suffix(1);
  }
  return std::string(token);
}

class RequestParser {
 public:
  RequestParser(std::string_view json, BinarySection binary, uint64_t max_tensor_elements)
      : json_(json), binary_(std::move(binary)), max_tensor_elements_(max_tensor_elements) {}

  Result<InferRequest> parse(object& root) {
    std::set<std::string, std::less<>> seen;
    for (auto field_result : root) {
      simdjson::ondemand::field field;
      if (auto error = std::move(field_result).get(field)) return malformed_json(error);
      std::string_view key;
      if (auto error = field.unescaped_key().get(key)) return malformed_json(error);
      if (key != "id" && key != "parameters" && key != "inputs" && key != "outputs") continue;  // v2 allows extras
      if (!seen.emplace(key).second)
        return invalid_argument("the request has more than one '" + std::string(key) + "'");
      value& v = field.value();
      MAAS_ASSIGN_OR_RETURN(json_type type, type_of(v));
      if (type == json_type::null && key != "inputs") continue;
      if (key == "id") {
        MAAS_ASSIGN_OR_RETURN(std::string_view id, string_of(v, "'id'"));
        request_.id = id;
      } else if (key == "parameters") {
        MAAS_RETURN_IF_ERROR(parse_parameters(v));
      } else if (key == "inputs") {
        MAAS_RETURN_IF_ERROR(parse_inputs(v));
      } else {
        MAAS_RETURN_IF_ERROR(parse_outputs(v));
      }
    }
    if (!seen.contains("inputs")) return invalid_argument("the request has no 'inputs'");
    MAAS_RETURN_IF_ERROR(binary_.finish());
    return std::move(request_);
  }

 private:
  Status parse_parameters(value& v) {
    MAAS_ASSIGN_OR_RETURN(object parameters, object_of(v, "'parameters'"));
    for (auto field_result : parameters) {
      simdjson::ondemand::field field;
      if (auto error = std::move(field_result).get(field)) return malformed_json(error);
      std::string_view key_view;
      if (auto error = field.unescaped_key().get(key_view)) return malformed_json(error);
      std::string key(key_view);
      value& parameter = field.value();
      if (key == "binary_data_output") {
        MAAS_ASSIGN_OR_RETURN(request_.binary_data_output, bool_of(parameter, "parameter 'binary_data_output'"));
        continue;
      }
      MAAS_ASSIGN_OR_RETURN(json_type type, type_of(parameter));
      std::string text;
      if (type == json_type::string) {
        MAAS_ASSIGN_OR_RETURN(std::string_view s, string_of(parameter, "parameter"));
        text = s;
      } else if (type == json_type::object || type == json_type::array) {
        // Not v2 parameter values, but kept verbatim rather than refused: a backend may understand them.
        MAAS_ASSIGN_OR_RETURN(text, raw_json_of(parameter, type));
      } else {
        text = trimmed_token(parameter);
      }
      request_.parameters[std::move(key)] = std::move(text);
    }
    return {};
  }

  Status parse_inputs(value& v) {
    MAAS_ASSIGN_OR_RETURN(array inputs, array_of(v, "'inputs'"));
    size_t index = 0;
    for (auto input_result : inputs) {
      value input;
      if (auto error = input_result.get(input)) return malformed_json(error);
      MAAS_ASSIGN_OR_RETURN(runtime::Tensor tensor, parse_input(input, index));
      request_.inputs.push_back(std::move(tensor));
      ++index;
    }
    return {};
  }

  // JSON objects are unordered, and "data" needs the datatype and shape: look fields up by name.
  Result<runtime::Tensor> parse_input(value& v, size_t index) {
    MAAS_ASSIGN_OR_RETURN(object input, object_of(v, "input " + std::to_string(index)));
    runtime::Tensor tensor;

    MAAS_ASSIGN_OR_RETURN(std::optional<value> name, find_field(input, "name"));
    if (!name) return invalid_argument("input " + std::to_string(index) + " has no 'name'");
    MAAS_ASSIGN_OR_RETURN(std::string_view name_text, string_of(*name, "the name of input " + std::to_string(index)));
    tensor.name = name_text;
    const std::string label = "input " + quoted_name(tensor.name);
    if (!input_names_.insert(tensor.name).second) return invalid_argument("duplicate " + label);

    MAAS_ASSIGN_OR_RETURN(std::optional<value> datatype, find_field(input, "datatype"));
    if (!datatype) return invalid_argument(label + " has no 'datatype'");
    MAAS_ASSIGN_OR_RETURN(std::string_view datatype_text, string_of(*datatype, label + ": datatype"));
    std::optional<DataType> parsed_type = runtime::parse_datatype(datatype_text);
    if (!parsed_type) {
      return invalid_argument(label + ": datatype " + quoted_name(datatype_text) + " is not one of " +
                              std::string(kDatatypeList));
    }
    tensor.datatype = *parsed_type;

    MAAS_ASSIGN_OR_RETURN(std::optional<value> shape, find_field(input, "shape"));
    if (!shape) return invalid_argument(label + " has no 'shape'");
    MAAS_ASSIGN_OR_RETURN(uint64_t element_count, parse_shape(*shape, label, tensor.shape));

    InputParameters input_parameters;
    MAAS_ASSIGN_OR_RETURN(std::optional<value> parameters, find_field(input, "parameters"));
    if (parameters) {
      MAAS_ASSIGN_OR_RETURN(input_parameters, parse_input_parameters(*parameters, label));
    }
    const std::optional<uint64_t>& binary_data_size = input_parameters.binary_data_size;

    MAAS_ASSIGN_OR_RETURN(std::optional<value> data, find_field(input, "data"));
    if (data && binary_data_size) return invalid_argument(label + " has both data and binary_data_size");
    if (input_parameters.shared_memory) {
      if (data || binary_data_size) {
        return invalid_argument(label + " is in shared memory and must not also have data or binary_data_size");
      }
      // Checked before the caller reads the region: it reads what shared_memory_byte_size says.
      MAAS_RETURN_IF_ERROR(check_byte_count(tensor.name, tensor.datatype, tensor.shape, element_count,
                                            input_parameters.shared_memory->byte_size, "shared_memory_byte_size"));
      request_.shared_memory_inputs[tensor.name] = std::move(*input_parameters.shared_memory);
      return tensor;
    }
    if (binary_data_size) {
      MAAS_ASSIGN_OR_RETURN(tensor.data, binary_.take(tensor.name, *binary_data_size));
      MAAS_RETURN_IF_ERROR(check_binary_tensor(tensor.name, tensor.datatype, tensor.shape, element_count, tensor.data));
      return tensor;
    }
    if (!data) return invalid_argument(label + " has neither data nor binary_data_size");
    // Every JSON element takes at least one byte, so this bounds the buffer allocated from the shape.
    if (element_count > json_.size()) {
      return invalid_argument(label + ": shape " + shape_text(tensor.shape) + " needs " +
                              std::to_string(element_count) + " elements, more than the " +
                              std::to_string(json_.size()) + "-byte JSON can hold");
    }
    MAAS_ASSIGN_OR_RETURN(tensor.data, read_json_tensor_data(*data, tensor.name, tensor.datatype, tensor.shape,
                                                             static_cast<size_t>(element_count)));
    return tensor;
  }

  // Fills `shape` and returns its element count.
  Result<uint64_t> parse_shape(value& v, const std::string& label, std::vector<int64_t>& shape) {
    const std::string what = label + ": shape";
    MAAS_ASSIGN_OR_RETURN(array dimensions, array_of(v, what));
    bool negative = false;
    for (auto dimension_result : dimensions) {
      value dimension;
      if (auto error = dimension_result.get(dimension)) return malformed_json(error);
      int64_t size = 0;
      MAAS_ASSIGN_OR_RETURN(json_type type, type_of(dimension));
      if (type != json_type::number || dimension.get_int64().get(size)) {
        return invalid_argument(what + " must be an array of non-negative integers");
      }
      negative = negative || size < 0;
      shape.push_back(size);
      if (shape.size() > kMaxRank) {
        return invalid_argument(what + " has more than " + std::to_string(kMaxRank) + " dimensions");
      }
    }
    if (negative) return invalid_argument(what + " " + shape_text(shape) + " has a negative dimension");
    // Counting a 0 as 1 bounds the dimensions themselves too: [0, 2^40] holds nothing but is no tensor a
    // backend should be handed.
    std::optional<uint64_t> claimed = claimed_elements(shape);
    if (!claimed || *claimed > max_tensor_elements_) {
      return invalid_argument(what + " " + shape_text(shape) + " has more than the " +
                              std::to_string(max_tensor_elements_) +
                              " elements a tensor may have (limits.max_tensor_elements)");
    }
    return *element_count(shape);
  }

  // Triton's shared memory parameters of an input or an output: the region and the byte size together or neither;
  // the offset defaults to 0.
  struct SharedMemoryParameters {
    std::optional<std::string> region;
    std::optional<uint64_t> byte_size;
    std::optional<uint64_t> offset;

    // One parameter of the tensor's; any other than the three is left alone.
    Status read(std::string_view key, value& parameter, const std::string& label) {
      if (key != "shared_memory_region" && key != "shared_memory_byte_size" && key != "shared_memory_offset") {
        return {};
      }
      MAAS_ASSIGN_OR_RETURN(json_type type, type_of(parameter));
      if (type == json_type::null) return {};
      const std::string what = label + ": " + std::string(key);
      if (key == "shared_memory_region") {
        MAAS_ASSIGN_OR_RETURN(std::string_view name, string_of(parameter, what));
        region = std::string(name);
      } else if (key == "shared_memory_byte_size") {
        MAAS_ASSIGN_OR_RETURN(byte_size, count_of(parameter, what));
      } else {
        MAAS_ASSIGN_OR_RETURN(offset, count_of(parameter, what));
      }
      return {};
    }

    Result<std::optional<SharedMemoryRef>> take(const std::string& label) {
      if (!region && !byte_size && !offset) return std::optional<SharedMemoryRef>();
      if (!region || !byte_size) {
        return invalid_argument(label +
                                ": shared_memory_region and shared_memory_byte_size must be given together "
                                "(shared_memory_offset is optional)");
      }
      return std::optional<SharedMemoryRef>(SharedMemoryRef{std::move(*region), offset.value_or(0), *byte_size});
    }
  };

  struct InputParameters {
    std::optional<uint64_t> binary_data_size;
    std::optional<SharedMemoryRef> shared_memory;
  };

  // binary_data_size and the shared memory parameters; other input parameters are ignored.
  Result<InputParameters> parse_input_parameters(value& v, const std::string& label) {
    MAAS_ASSIGN_OR_RETURN(object parameters, object_of(v, label + ": parameters"));
    InputParameters result;
    SharedMemoryParameters shared;
    MAAS_RETURN_IF_ERROR(each_field(parameters, [&](std::string_view key, value& parameter) -> Status {
      if (key == "binary_data_size") {
        MAAS_ASSIGN_OR_RETURN(json_type type, type_of(parameter));
        if (type == json_type::null) return {};
        MAAS_ASSIGN_OR_RETURN(result.binary_data_size, count_of(parameter, label + ": binary_data_size"));
        return {};
      }
      return shared.read(key, parameter, label);
    }));
    MAAS_ASSIGN_OR_RETURN(result.shared_memory, shared.take(label));
    return result;
  }

  Status parse_outputs(value& v) {
    MAAS_ASSIGN_OR_RETURN(array outputs, array_of(v, "'outputs'"));
    std::set<std::string, std::less<>> names;
    size_t index = 0;
    for (auto output_result : outputs) {
      value output_value;
      if (auto error = output_result.get(output_value)) return malformed_json(error);
      MAAS_ASSIGN_OR_RETURN(object output, object_of(output_value, "output " + std::to_string(index)));
      RequestedOutput requested;
      MAAS_ASSIGN_OR_RETURN(std::optional<value> name, find_field(output, "name"));
      if (!name) return invalid_argument("output " + std::to_string(index) + " has no 'name'");
      MAAS_ASSIGN_OR_RETURN(std::string_view name_text,
                            string_of(*name, "the name of output " + std::to_string(index)));
      requested.name = name_text;
      const std::string label = "output " + quoted_name(requested.name);
      if (!names.insert(requested.name).second) return invalid_argument("duplicate " + label);
      MAAS_ASSIGN_OR_RETURN(std::optional<value> parameters_value, find_field(output, "parameters"));
      if (parameters_value) {
        MAAS_ASSIGN_OR_RETURN(object parameters, object_of(*parameters_value, label + ": parameters"));
        SharedMemoryParameters shared;
        MAAS_RETURN_IF_ERROR(each_field(parameters, [&](std::string_view key, value& parameter) -> Status {
          if (key == "binary_data") {
            MAAS_ASSIGN_OR_RETURN(json_type type, type_of(parameter));
            if (type == json_type::null) return {};
            MAAS_ASSIGN_OR_RETURN(requested.binary_data, bool_of(parameter, label + ": binary_data"));
            return {};
          }
          return shared.read(key, parameter, label);
        }));
        MAAS_ASSIGN_OR_RETURN(std::optional<SharedMemoryRef> shared_memory, shared.take(label));
        if (shared_memory) request_.shared_memory_outputs[requested.name] = std::move(*shared_memory);
      }
      request_.outputs.push_back(std::move(requested));
      ++index;
    }
    return {};
  }

  std::string_view json_;
  BinarySection binary_;
  uint64_t max_tensor_elements_;
  InferRequest request_;
  std::set<std::string, std::less<>> input_names_;
};

}  // namespace

Result<InferRequest> parse_infer_request(const runtime::Buffer& body, std::optional<size_t> json_length,
                                         uint64_t max_tensor_elements) {
  size_t json_size = body.size();
  if (json_length) {
    if (*json_length > body.size()) {
      return invalid_argument("Inference-Header-Content-Length " + std::to_string(*json_length) +
                              " exceeds the body of " + std::to_string(body.size()) + " bytes");
    }
    json_size = *json_length;
  }
  const std::string_view json(reinterpret_cast<const char*>(body.data()), json_size);
  if (Status depth = check_json_depth(json); !depth.ok()) return invalid_argument("the request: " + depth.message());

  // simdjson reads up to SIMDJSON_PADDING bytes past the end: it gets a padded copy of the JSON part only.
  const simdjson::padded_string padded(json.data(), json.size());
  thread_local simdjson::ondemand::parser shared_parser;
  std::unique_ptr<simdjson::ondemand::parser> own_parser;
  if (json.size() > kMaxSharedParserBytes) own_parser = std::make_unique<simdjson::ondemand::parser>();
  simdjson::ondemand::parser& parser = own_parser ? *own_parser : shared_parser;

  simdjson::ondemand::document document;
  if (auto error = parser.iterate(padded).get(document)) return malformed_json(error);
  json_type type;
  if (auto error = document.type().get(type)) return malformed_json(error);
  if (type != json_type::object) return invalid_argument("the request must be a JSON object");
  // On-Demand's lookups by name (an input's fields come in any order) assume well-formed JSON where they wrap
  // around an object: on a missing value, stray bytes or a ']' closing an object they reach a SIMDJSON_ASSUME,
  // undefined behaviour in a release build (found by fuzz/). So the JSON part is validated whole first (simdjson's
  // DOM parser: full grammar, numbers included) and the walk meets only valid JSON.
  thread_local simdjson::dom::parser shared_validator;
  std::unique_ptr<simdjson::dom::parser> own_validator;
  if (json.size() > kMaxSharedValidatorBytes) own_validator = std::make_unique<simdjson::dom::parser>();
  simdjson::dom::parser& validator = own_validator ? *own_validator : shared_validator;
  if (auto error = validator.parse(padded).error()) return malformed_json(error);
  object root;
  if (auto error = document.get_object().get(root)) return malformed_json(error);

  RequestParser request_parser(json,
                               BinarySection(body.slice(json_size, body.size() - json_size), json_length.has_value()),
                               std::min(max_tensor_elements, kMaxTensorElementsCeiling));
  return request_parser.parse(root);  // content after the object failed the validation
}

}  // namespace maas::protocol
