// encode_infer_response: the response JSON appended to one reserved string (no DOM), numbers by std::to_chars,
// then the binary outputs after it.
#include <cstring>
#include <string>
#include <vector>

#include "protocol/json_number.h"
#include "protocol/json_text.h"
#include "protocol/kserve_v2.h"

namespace maas::protocol {
namespace {

using runtime::DataType;
using runtime::Tensor;

constexpr std::string_view kJsonContentType = "application/json";
constexpr std::string_view kBinaryContentType = "application/octet-stream";

struct SelectedOutput {
  const Tensor* tensor;
  bool binary;
  const SharedMemoryRef* shared_memory = nullptr;  // set: the caller wrote the bytes there
};

Status not_representable(const Tensor& output, size_t index, std::string_view what) {
  return invalid_argument("output " + quoted_name(output.name) + ": element " + std::to_string(index) + " is " +
                          std::string(what) +
                          ", which JSON cannot carry; ask for the output with \"binary_data\": true");
}

template <typename T>
T load(const std::byte* data, size_t index) {
  // Tensor bytes may be an unaligned slice of a request body.
  T value;
  std::memcpy(&value, data + index * sizeof(T), sizeof(T));
  return value;
}

template <typename T, typename Wide>
void append_integers(std::string& out, const Tensor& output, size_t count) {
  for (size_t i = 0; i < count; ++i) {
    if (i > 0) out.push_back(',');
    append_json_number(out, static_cast<Wide>(load<T>(output.data.data(), i)));
  }
}

template <typename T>
Status append_floats(std::string& out, const Tensor& output, size_t count) {
  for (size_t i = 0; i < count; ++i) {
    if (i > 0) out.push_back(',');
    const T value = load<T>(output.data.data(), i);
    if (!append_json_number(out, value)) return not_representable(output, i, value != value ? "NaN" : "infinite");
  }
  return {};
}

Status append_halves(std::string& out, const Tensor& output, size_t count) {
  for (size_t i = 0; i < count; ++i) {
    if (i > 0) out.push_back(',');
    const auto half = load<uint16_t>(output.data.data(), i);
    if (!append_json_fp16(out, half)) return not_representable(output, i, (half & 0x3ff) ? "NaN" : "infinite");
  }
  return {};
}

void append_bools(std::string& out, const Tensor& output, size_t count) {
  for (size_t i = 0; i < count; ++i) {
    if (i > 0) out.push_back(',');
    out.append(output.data.data()[i] != std::byte{0} ? "true" : "false");
  }
}

// The tensor was validated, so every length prefix lies inside the data.
Status append_strings(std::string& out, const Tensor& output, size_t count) {
  const auto* data = reinterpret_cast<const char*>(output.data.data());
  size_t offset = 0;
  for (size_t i = 0; i < count; ++i) {
    if (i > 0) out.push_back(',');
    unsigned char prefix[4];
    std::memcpy(prefix, data + offset, 4);
    const uint32_t length = prefix[0] | (prefix[1] << 8) | (prefix[2] << 16) | (uint32_t{prefix[3]} << 24);
    const std::string_view text(data + offset + 4, length);
    offset += 4 + length;
    if (!is_valid_utf8(text)) return not_representable(output, i, "BYTES that are not valid UTF-8");
    append_json_string(out, text);
  }
  return {};
}

Status append_data(std::string& out, const Tensor& output) {
  const auto count = static_cast<size_t>(output.element_count());
  out.append(",\"data\":[");
  switch (output.datatype) {
    case DataType::kBool:
      append_bools(out, output, count);
      break;
    case DataType::kUint8:
      append_integers<uint8_t, uint64_t>(out, output, count);
      break;
    case DataType::kUint16:
      append_integers<uint16_t, uint64_t>(out, output, count);
      break;
    case DataType::kUint32:
      append_integers<uint32_t, uint64_t>(out, output, count);
      break;
    case DataType::kUint64:
      append_integers<uint64_t, uint64_t>(out, output, count);
      break;
    case DataType::kInt8:
      append_integers<int8_t, int64_t>(out, output, count);
      break;
    case DataType::kInt16:
      append_integers<int16_t, int64_t>(out, output, count);
      break;
    case DataType::kInt32:
      append_integers<int32_t, int64_t>(out, output, count);
      break;
    case DataType::kInt64:
      append_integers<int64_t, int64_t>(out, output, count);
      break;
    case DataType::kFp16:
      MAAS_RETURN_IF_ERROR(append_halves(out, output, count));
      break;
    case DataType::kFp32:
      MAAS_RETURN_IF_ERROR(append_floats<float>(out, output, count));
      break;
    case DataType::kFp64:
      MAAS_RETURN_IF_ERROR(append_floats<double>(out, output, count));
      break;
    case DataType::kBytes:
      MAAS_RETURN_IF_ERROR(append_strings(out, output, count));
      break;
  }
  out.push_back(']');
  return {};
}

// Characters a JSON element of this type takes at most, give or take; the reserve needs no more precision.
size_t json_size_estimate(const Tensor& output) {
  const auto count = static_cast<size_t>(output.element_count());
  switch (output.datatype) {
    case DataType::kBool:
      return count * 6;
    case DataType::kFp32:
      return count * 16;
    case DataType::kFp64:
      return count * 25;
    case DataType::kBytes:
      return output.data.size() + count * 3;
    default:
      return count * (runtime::datatype_size(output.datatype) * 3 + 2);
  }
}

Result<std::vector<SelectedOutput>> select_outputs(const InferResponse& response, const InferRequest& request) {
  std::vector<SelectedOutput> selected;
  if (request.outputs.empty()) {
    for (const Tensor& output : response.outputs) selected.push_back({&output, request.binary_data_output});
  } else {
    for (const RequestedOutput& requested : request.outputs) {
      const Tensor* found = nullptr;
      for (const Tensor& output : response.outputs) {
        if (output.name == requested.name) found = &output;
      }
      if (found == nullptr) {
        return internal_error("the model did not produce the requested output " + quoted_name(requested.name));
      }
      auto in_region = request.shared_memory_outputs.find(requested.name);
      const SharedMemoryRef* shared_memory =
          in_region == request.shared_memory_outputs.end() ? nullptr : &in_region->second;
      selected.push_back(
          {found, !shared_memory && requested.binary_data.value_or(request.binary_data_output), shared_memory});
    }
  }
  for (const SelectedOutput& output : selected) {
    if (Status status = runtime::validate_tensor(*output.tensor); !status.ok()) {
      return internal_error("the model produced an inconsistent output: " + status.message());
    }
    if (!is_valid_utf8(output.tensor->name)) return internal_error("an output name is not valid UTF-8");
  }
  return selected;
}

}  // namespace

Result<EncodedResponse> encode_infer_response(const InferResponse& response, const InferRequest& request) {
  MAAS_ASSIGN_OR_RETURN(std::vector<SelectedOutput> selected, select_outputs(response, request));
  if (!is_valid_utf8(response.model_name) || !is_valid_utf8(response.model_version) || !is_valid_utf8(response.id)) {
    return internal_error("the response's model name, version or id is not valid UTF-8");
  }

  size_t reserve = 128 + response.model_name.size() + response.model_version.size() + response.id.size();
  for (const SelectedOutput& output : selected) {
    reserve += 96 + output.tensor->name.size() + output.tensor->shape.size() * 21 +
               (output.shared_memory != nullptr ? 0
                : output.binary                 ? output.tensor->data.size()
                                                : json_size_estimate(*output.tensor));
  }
  EncodedResponse encoded;
  std::string& body = encoded.body;
  body.reserve(reserve);

  body.append("{\"model_name\":");
  append_json_string(body, response.model_name);
  if (!response.model_version.empty()) {
    body.append(",\"model_version\":");
    append_json_string(body, response.model_version);
  }
  if (!response.id.empty()) {
    body.append(",\"id\":");
    append_json_string(body, response.id);
  }
  if (!response.parameters_json.empty()) body.append(",\"parameters\":").append(response.parameters_json);
  body.append(",\"outputs\":[");
  bool any_binary = false;
  for (size_t i = 0; i < selected.size(); ++i) {
    const Tensor& output = *selected[i].tensor;
    if (i > 0) body.push_back(',');
    body.append("{\"name\":");
    append_json_string(body, output.name);
    body.append(",\"datatype\":\"").append(runtime::datatype_name(output.datatype)).append("\",\"shape\":");
    append_shape(body, output.shape);
    if (selected[i].shared_memory != nullptr) {
      body.append(",\"parameters\":{\"shared_memory_region\":");
      append_json_string(body, selected[i].shared_memory->region);
      body.append(",\"shared_memory_byte_size\":");
      append_json_number(body, static_cast<uint64_t>(output.data.size()));
      body.push_back('}');
    } else if (selected[i].binary) {
      any_binary = true;
      body.append(",\"parameters\":{\"binary_data_size\":");
      append_json_number(body, static_cast<uint64_t>(output.data.size()));
      body.push_back('}');
    } else {
      MAAS_RETURN_IF_ERROR(append_data(body, output));
    }
    body.push_back('}');
  }
  body.append("]}");

  if (!any_binary) {
    encoded.content_type = kJsonContentType;
    return encoded;
  }
  encoded.json_length = body.size();
  encoded.content_type = kBinaryContentType;
  for (const SelectedOutput& output : selected) {
    if (output.binary)
      body.append(reinterpret_cast<const char*>(output.tensor->data.data()), output.tensor->data.size());
  }
  return encoded;
}

}  // namespace maas::protocol
