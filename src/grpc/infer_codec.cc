#include "grpc/infer_codec.h"

#include <cstdint>
#include <cstring>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string_view>
#include <type_traits>

namespace maas::grpc_api {
namespace {
using nlohmann::json;

json parameter_json(const inference::InferParameter& p) {
  switch (p.parameter_choice_case()) {
    case inference::InferParameter::kBoolParam:
      return p.bool_param();
    case inference::InferParameter::kInt64Param:
      return p.int64_param();
    case inference::InferParameter::kStringParam:
      return p.string_param();
    case inference::InferParameter::kDoubleParam:
      return p.double_param();
    case inference::InferParameter::kUint64Param:
      return p.uint64_param();
    case inference::InferParameter::PARAMETER_CHOICE_NOT_SET:
      break;
  }
  return nullptr;
}

json parameters_json(const google::protobuf::Map<std::string, inference::InferParameter>& params) {
  json out = json::object();
  for (const auto& [name, value] : params) out[name] = parameter_json(value);
  return out;
}

// Appends each element as the binary extension carries it: `Wire` bytes, little-endian (the host's order here).
template <class Wire, class Field>
void append_as(const Field& values, std::string* out) {
  const size_t start = out->size();
  out->resize(start + static_cast<size_t>(values.size()) * sizeof(Wire));
  char* p = out->data() + start;
  for (const auto& v : values) {
    Wire w = static_cast<Wire>(v);
    std::memcpy(p, &w, sizeof w);
    p += sizeof w;
  }
}

// An input's typed contents in the binary extension's layout; INVALID_ARGUMENT for a datatype with no typed field.
Status append_contents(const inference::ModelInferRequest::InferInputTensor& in, std::string* out) {
  const auto& c = in.contents();
  const std::string& t = in.datatype();
  if (t == "BOOL")
    append_as<uint8_t>(c.bool_contents(), out);
  else if (t == "INT8")
    append_as<int8_t>(c.int_contents(), out);
  else if (t == "INT16")
    append_as<int16_t>(c.int_contents(), out);
  else if (t == "INT32")
    append_as<int32_t>(c.int_contents(), out);
  else if (t == "INT64")
    append_as<int64_t>(c.int64_contents(), out);
  else if (t == "UINT8")
    append_as<uint8_t>(c.uint_contents(), out);
  else if (t == "UINT16")
    append_as<uint16_t>(c.uint_contents(), out);
  else if (t == "UINT32")
    append_as<uint32_t>(c.uint_contents(), out);
  else if (t == "UINT64")
    append_as<uint64_t>(c.uint64_contents(), out);
  else if (t == "FP32")
    append_as<float>(c.fp32_contents(), out);
  else if (t == "FP64")
    append_as<double>(c.fp64_contents(), out);
  else if (t == "BYTES") {
    for (const auto& element : c.bytes_contents()) {
      if (element.size() > UINT32_MAX) return invalid_argument("input '" + in.name() + "' has an element over 4 GiB");
      uint32_t n = static_cast<uint32_t>(element.size());
      out->append(reinterpret_cast<const char*>(&n), sizeof n);
      out->append(element);
    }
  } else {
    return invalid_argument("input '" + in.name() + "' (" + t +
                            ") has no typed contents field; send it in raw_input_contents");
  }
  return {};
}

const std::string* header_value(const http::Response& r, std::string_view name) {
  for (const auto& [k, v] : r.headers) {
    if (k.size() == name.size() && std::equal(k.begin(), k.end(), name.begin(), [](char a, char b) {
          return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
        })) {
      return &v;
    }
  }
  return nullptr;
}

void set_parameter(const json& value, inference::InferParameter* p) {
  if (value.is_boolean())
    p->set_bool_param(value.get<bool>());
  else if (value.is_number_unsigned())
    p->set_uint64_param(value.get<uint64_t>());
  else if (value.is_number_integer())
    p->set_int64_param(value.get<int64_t>());
  else if (value.is_number_float())
    p->set_double_param(value.get<double>());
  else if (value.is_string())
    p->set_string_param(value.get<std::string>());
  else
    p->set_string_param(value.dump());  // an object or array (a graph's trace): its JSON text
}

template <class Repeated>
void read_shape(const json& shape, Repeated* out) {
  for (const auto& d : shape) out->Add(d.get<int64_t>());
}

// Our own routes' JSON, read with at(): a mismatch is a bug here, reported as INTERNAL rather than thrown on.
template <class Fn>
Status read_json(std::string_view text, Fn&& fn) {
  json doc = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return internal_error("the /v2 route answered with malformed JSON");
  try {
    fn(doc);
  } catch (const std::exception& e) {  // a type mismatch, or a binary output past the body
    return internal_error(std::string("unexpected /v2 answer: ") + e.what());
  }
  return {};
}

void read_duration(const json& d, inference::StatisticDuration* out) {
  out->set_count(d.at("count").get<uint64_t>());
  out->set_ns(d.at("ns").get<uint64_t>());
}

}  // namespace

Result<HttpInferBody> infer_body(const inference::ModelInferRequest& request) {
  const int n_inputs = request.inputs_size();
  const bool raw = request.raw_input_contents_size() > 0;
  if (raw && request.raw_input_contents_size() != n_inputs) {
    return invalid_argument("raw_input_contents has " + std::to_string(request.raw_input_contents_size()) +
                            " entries for " + std::to_string(n_inputs) + " inputs; send one per input, in order");
  }
  json header = json::object();
  if (!request.id().empty()) header["id"] = request.id();
  json params = parameters_json(request.parameters());
  params["binary_data_output"] = true;
  header["parameters"] = std::move(params);
  json inputs = json::array();
  std::string tensors;  // typed contents in the binary layout; raw entries are appended to the body directly
  for (int i = 0; i < n_inputs; ++i) {
    const auto& in = request.inputs(i);
    json p = parameters_json(in.parameters());
    // An input in a registered shared memory region (Triton's extension) carries no bytes here.
    const bool in_region = p.contains("shared_memory_region");
    if (raw && in.has_contents()) {
      return invalid_argument("input '" + in.name() +
                              "' has contents while the request uses raw_input_contents; use one or the other");
    }
    if (in_region && (in.has_contents() || (raw && !request.raw_input_contents(i).empty()))) {
      return invalid_argument("input '" + in.name() + "' is in shared memory and must not also carry its bytes");
    }
    if (!in_region) {
      const size_t start = tensors.size();
      if (!raw) MAAS_RETURN_IF_ERROR(append_contents(in, &tensors));
      p["binary_data_size"] = raw ? request.raw_input_contents(i).size() : tensors.size() - start;
    }
    json shape = json::array();
    for (int64_t d : in.shape()) shape.push_back(d);
    inputs.push_back(
        {{"name", in.name()}, {"datatype", in.datatype()}, {"shape", std::move(shape)}, {"parameters", std::move(p)}});
  }
  header["inputs"] = std::move(inputs);
  if (request.outputs_size() > 0) {
    json outputs = json::array();
    for (const auto& o : request.outputs()) {
      json p = parameters_json(o.parameters());
      p["binary_data"] = true;
      outputs.push_back({{"name", o.name()}, {"parameters", std::move(p)}});
    }
    header["outputs"] = std::move(outputs);
  }
  HttpInferBody out;
  out.body = header.dump();
  out.json_length = out.body.size();
  if (raw) {
    size_t bytes = 0;
    for (const auto& r : request.raw_input_contents()) bytes += r.size();
    out.body.reserve(out.body.size() + bytes);
    for (const auto& r : request.raw_input_contents()) out.body += r;
  } else {
    out.body += tensors;
  }
  return out;
}

Status read_infer_answer(const http::Response& answer, inference::ModelInferResponse* out) {
  size_t json_length = answer.body.size();
  if (const std::string* h = header_value(answer, "Inference-Header-Content-Length")) {
    json_length = std::min<size_t>(std::strtoull(h->c_str(), nullptr, 10), answer.body.size());
  }
  return read_json(std::string_view(answer.body).substr(0, json_length), [&](const json& doc) {
    out->set_model_name(doc.at("model_name").get<std::string>());
    if (doc.contains("model_version")) out->set_model_version(doc.at("model_version").get<std::string>());
    if (doc.contains("id")) out->set_id(doc.at("id").get<std::string>());
    if (doc.contains("parameters")) {
      for (const auto& [k, v] : doc.at("parameters").items()) set_parameter(v, &(*out->mutable_parameters())[k]);
    }
    size_t offset = json_length;
    for (const auto& o : doc.at("outputs")) {
      auto* t = out->add_outputs();
      t->set_name(o.at("name").get<std::string>());
      t->set_datatype(o.at("datatype").get<std::string>());
      read_shape(o.at("shape"), t->mutable_shape());
      const json& parameters = o.at("parameters");
      if (parameters.contains("shared_memory_region")) {  // written to the client's region: no bytes here
        for (const auto& [k, v] : parameters.items()) set_parameter(v, &(*t->mutable_parameters())[k]);
        out->add_raw_output_contents();
        continue;
      }
      const size_t size = parameters.at("binary_data_size").get<size_t>();
      if (size > answer.body.size() - offset) throw std::out_of_range("binary outputs overrun the body");
      out->add_raw_output_contents(answer.body.data() + offset, size);
      offset += size;
    }
  });
}

Status read_model_metadata(const std::string& text, inference::ModelMetadataResponse* out) {
  return read_json(text, [&](const json& doc) {
    out->set_name(doc.at("name").get<std::string>());
    for (const auto& v : doc.at("versions")) out->add_versions(v.get<std::string>());
    out->set_platform(doc.at("platform").get<std::string>());
    auto tensors = [](const json& list, auto* repeated) {
      for (const auto& t : list) {
        auto* m = repeated->Add();
        m->set_name(t.at("name").get<std::string>());
        m->set_datatype(t.at("datatype").get<std::string>());
        read_shape(t.at("shape"), m->mutable_shape());
      }
    };
    tensors(doc.at("inputs"), out->mutable_inputs());
    tensors(doc.at("outputs"), out->mutable_outputs());
  });
}

Status read_server_metadata(const std::string& text, inference::ServerMetadataResponse* out) {
  return read_json(text, [&](const json& doc) {
    out->set_name(doc.at("name").get<std::string>());
    out->set_version(doc.at("version").get<std::string>());
    for (const auto& e : doc.at("extensions")) out->add_extensions(e.get<std::string>());
  });
}

Status read_statistics(const std::string& text, inference::ModelStatisticsResponse* out) {
  return read_json(text, [&](const json& doc) {
    for (const auto& s : doc.at("model_stats")) {
      auto* m = out->add_model_stats();
      m->set_name(s.at("name").get<std::string>());
      m->set_version(s.at("version").get<std::string>());
      m->set_last_inference(s.at("last_inference").get<uint64_t>());
      m->set_inference_count(s.at("inference_count").get<uint64_t>());
      m->set_execution_count(s.at("execution_count").get<uint64_t>());
      const json& st = s.at("inference_stats");
      auto* is = m->mutable_inference_stats();
      read_duration(st.at("success"), is->mutable_success());
      read_duration(st.at("fail"), is->mutable_fail());
      read_duration(st.at("queue"), is->mutable_queue());
      read_duration(st.at("compute_input"), is->mutable_compute_input());
      read_duration(st.at("compute_infer"), is->mutable_compute_infer());
      read_duration(st.at("compute_output"), is->mutable_compute_output());
      for (const auto& b : s.at("batch_stats")) {
        auto* bs = m->add_batch_stats();
        bs->set_batch_size(b.at("batch_size").get<uint64_t>());
        read_duration(b.at("compute_infer"), bs->mutable_compute_infer());
      }
    }
  });
}

Status read_repository_index(const std::string& text, bool ready_only, inference::RepositoryIndexResponse* out) {
  return read_json(text, [&](const json& doc) {
    for (const auto& e : doc) {
      const std::string state = e.at("state").get<std::string>();
      if (ready_only && state != "READY") continue;
      auto* m = out->add_models();
      m->set_name(e.at("name").get<std::string>());
      m->set_version(e.at("version").get<std::string>());
      m->set_state(state);
      if (e.contains("reason")) m->set_reason(e.at("reason").get<std::string>());
    }
  });
}

Result<std::string> repository_body(
    const google::protobuf::Map<std::string, inference::ModelRepositoryParameter>& params) {
  json p = json::object();
  for (const auto& [name, value] : params) {
    switch (value.parameter_choice_case()) {
      case inference::ModelRepositoryParameter::kBoolParam:
        p[name] = value.bool_param();
        break;
      case inference::ModelRepositoryParameter::kInt64Param:
        p[name] = value.int64_param();
        break;
      case inference::ModelRepositoryParameter::kStringParam:
        p[name] = value.string_param();
        break;
      case inference::ModelRepositoryParameter::kBytesParam:
        return invalid_argument("parameter '" + name +
                                "' is bytes: maas loads registered versions; upload files with POST /api/v1/models");
      case inference::ModelRepositoryParameter::PARAMETER_CHOICE_NOT_SET:
        break;
    }
  }
  return json{{"parameters", std::move(p)}}.dump();
}

grpc::StatusCode grpc_code(int http_status) {
  switch (http_status) {
    case 200:
      return grpc::StatusCode::OK;
    case 400:
    case 415:
      return grpc::StatusCode::INVALID_ARGUMENT;
    case 401:
      return grpc::StatusCode::UNAUTHENTICATED;
    case 403:
      return grpc::StatusCode::PERMISSION_DENIED;
    case 404:
      return grpc::StatusCode::NOT_FOUND;
    case 405:
    case 501:
      return grpc::StatusCode::UNIMPLEMENTED;
    case 409:
      return grpc::StatusCode::FAILED_PRECONDITION;
    case 413:
    case 429:
      return grpc::StatusCode::RESOURCE_EXHAUSTED;
    case 500:
      return grpc::StatusCode::INTERNAL;
    case 503:
      return grpc::StatusCode::UNAVAILABLE;
    case 504:
      return grpc::StatusCode::DEADLINE_EXCEEDED;
    default:
      return grpc::StatusCode::UNKNOWN;
  }
}

std::string_view grpc_code_name(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::OK:
      return "OK";
    case grpc::StatusCode::CANCELLED:
      return "CANCELLED";
    case grpc::StatusCode::INVALID_ARGUMENT:
      return "INVALID_ARGUMENT";
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return "DEADLINE_EXCEEDED";
    case grpc::StatusCode::NOT_FOUND:
      return "NOT_FOUND";
    case grpc::StatusCode::ALREADY_EXISTS:
      return "ALREADY_EXISTS";
    case grpc::StatusCode::PERMISSION_DENIED:
      return "PERMISSION_DENIED";
    case grpc::StatusCode::UNAUTHENTICATED:
      return "UNAUTHENTICATED";
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      return "RESOURCE_EXHAUSTED";
    case grpc::StatusCode::FAILED_PRECONDITION:
      return "FAILED_PRECONDITION";
    case grpc::StatusCode::UNIMPLEMENTED:
      return "UNIMPLEMENTED";
    case grpc::StatusCode::INTERNAL:
      return "INTERNAL";
    case grpc::StatusCode::UNAVAILABLE:
      return "UNAVAILABLE";
    default:
      return "UNKNOWN";
  }
}

grpc::Status grpc_status(const Status& status) {
  if (status.ok()) return grpc::Status::OK;
  return grpc::Status(grpc_code(http_status_for(status.code())), status.message());
}

grpc::Status grpc_status(const http::Response& answer) {
  const grpc::StatusCode code = grpc_code(answer.status);
  // The /v2 shape {"error": "message"} or the management shape {"error": {"code", "message"}}.
  std::string message = answer.body;
  json doc = json::parse(answer.body, nullptr, /*allow_exceptions=*/false);
  if (doc.is_object() && doc.contains("error")) {
    const json& e = doc["error"];
    if (e.is_string())
      message = e.get<std::string>();
    else if (e.is_object() && e.contains("message") && e["message"].is_string())
      message = e["message"].get<std::string>();
  }
  return grpc::Status(code, message);
}

Status check_segment(const std::string& value, const char* what, bool may_be_empty) {
  if (value.empty() && !may_be_empty) return invalid_argument(std::string(what) + " is required");
  if (value.find('/') != std::string::npos) {
    return invalid_argument(std::string(what) + " '" + value + "' must not contain '/'");
  }
  return {};
}

}  // namespace maas::grpc_api
