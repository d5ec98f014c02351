#include "runtime/wire.h"

#include "common/json_parse.h"

namespace maas::runtime::wire {
using nlohmann::json;

std::string encode_head(const Message& message, Frame* frame) {
  json header = message.header;
  json tensors = json::array();
  uint64_t payload = 0;
  for (const auto& t : message.tensors) {
    tensors.push_back({{"name", t.name}, {"datatype", datatype_name(t.datatype)}, {"shape", t.shape}, {"bytes", t.data.size()}});
    payload += t.data.size();
  }
  header["tensors"] = std::move(tensors);
  std::string text = header.dump();
  frame->magic = kMagic;
  frame->kind = static_cast<uint32_t>(message.kind);
  frame->request_id = message.request_id;
  frame->header_bytes = text.size();
  frame->payload_bytes = payload;
  return text;
}

Result<Message> decode(const Frame& frame, std::string_view header_text, Buffer payload) {
  if (frame.magic != kMagic) return internal_error("worker channel: bad frame magic");
  Message m;
  m.kind = static_cast<Kind>(frame.kind);
  m.request_id = frame.request_id;
  m.header = parse_json_or(header_text, json());
  if (!m.header.is_object()) return internal_error("worker channel: bad header");
  size_t offset = 0;
  for (const auto& d : m.header.value("tensors", json::array())) {
    Tensor t;
    t.name = d.value("name", "");
    auto type = parse_datatype(d.value("datatype", ""));
    if (!type) return internal_error("worker channel: bad datatype");
    t.datatype = *type;
    t.shape = d.value("shape", std::vector<int64_t>{});
    size_t bytes = d.value("bytes", size_t{0});
    if (offset + bytes > payload.size()) return internal_error("worker channel: tensor runs past the payload");
    t.data = payload.slice(offset, bytes);
    offset += bytes;
    m.tensors.push_back(std::move(t));
  }
  m.header.erase("tensors");
  return m;
}

Status write_message(int fd, const Message& message) {
  Frame frame;
  std::string head = encode_head(message, &frame);
  std::vector<std::span<const std::byte>> parts;
  parts.reserve(message.tensors.size());
  for (const auto& t : message.tensors) parts.emplace_back(t.data.data(), t.data.size());
  return supervisor::write_frame(fd, frame.kind, frame.request_id, head, parts);
}

Status write_bytes(int fd, std::string_view bytes) {
  return supervisor::write_all(fd, {{const_cast<char*>(bytes.data()), bytes.size()}});
}

Result<Message> read_message(int fd) {
  MAAS_ASSIGN_OR_RETURN(supervisor::Envelope envelope, supervisor::read_frame(fd));
  return decode(envelope.frame, envelope.header, Buffer::adopt(std::move(envelope.payload)));
}

json status_to_json(const Status& status) {
  return {{"code", status_code_name(status.code())}, {"message", status.message()}};
}

Status status_from_json(const json& j) {
  static const std::pair<const char*, StatusCode> kCodes[] = {
      {"INVALID_ARGUMENT", StatusCode::kInvalidArgument}, {"NOT_FOUND", StatusCode::kNotFound},
      {"RESOURCE_EXHAUSTED", StatusCode::kResourceExhausted}, {"UNAVAILABLE", StatusCode::kUnavailable},
      {"DEADLINE_EXCEEDED", StatusCode::kDeadlineExceeded}, {"FAILED_PRECONDITION", StatusCode::kFailedPrecondition}};
  std::string code = j.value("code", "INTERNAL");
  std::string message = j.value("message", "worker error");
  for (const auto& [name, value] : kCodes) {
    if (code == name) return Status(value, message);
  }
  return internal_error(message);
}

json signature_to_json(const ModelSignature& signature) {
  auto specs = [](const std::vector<TensorSpec>& list) {
    json out = json::array();
    for (const auto& s : list) {
      json spec = {{"name", s.name},
                   {"datatype", datatype_name(s.datatype)},
                   {"shape", s.shape},
                   {"shape_known", s.shape_known}};
      if (s.raw_column) spec["raw_column"] = true;
      out.push_back(std::move(spec));
    }
    return out;
  };
  return {{"inputs", specs(signature.inputs)}, {"outputs", specs(signature.outputs)}, {"batchable", signature.batchable}};
}

Result<ModelSignature> signature_from_json(const json& j) {
  ModelSignature s;
  auto read = [](const json& list, std::vector<TensorSpec>& out) -> Status {
    for (const auto& e : list) {
      TensorSpec spec;
      spec.name = e.value("name", "");
      auto type = parse_datatype(e.value("datatype", "FP32"));
      if (!type) return internal_error("worker sent a bad signature datatype");
      spec.datatype = *type;
      spec.shape = e.value("shape", std::vector<int64_t>{});
      spec.shape_known = e.value("shape_known", true);
      spec.raw_column = e.value("raw_column", false);
      out.push_back(std::move(spec));
    }
    return {};
  };
  MAAS_RETURN_IF_ERROR(read(j.value("inputs", json::array()), s.inputs));
  MAAS_RETURN_IF_ERROR(read(j.value("outputs", json::array()), s.outputs));
  s.batchable = j.value("batchable", true);
  return s;
}

int64_t deadline_to_ns(std::chrono::steady_clock::time_point deadline) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(deadline.time_since_epoch()).count();
}

std::chrono::steady_clock::time_point deadline_from_ns(int64_t ns) {
  return std::chrono::steady_clock::time_point(
      std::chrono::duration_cast<std::chrono::steady_clock::duration>(std::chrono::nanoseconds(ns)));
}

}  // namespace maas::runtime::wire
