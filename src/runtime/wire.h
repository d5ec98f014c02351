// The framing between maasd and a worker process over a Unix stream socket. A message is a fixed frame, a small
// JSON header (names, datatypes, shapes, byte lengths, parameters) and the tensor bytes back to back. Senders
// gather the tensor buffers with writev (no copy into a staging buffer); receivers read the payload into one
// allocation and hand out tensors that are slices of it. So tensor bytes are copied only by the kernel, once
// each way. (Shared memory would remove that copy too; at the sizes served here the socket is not the limit.)
// The framing itself is the supervisor's, shared by every supervised process (supervisor/channel.h); this file
// defines the model worker's message kinds and how tensors travel in a message.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/status.h"
#include "runtime/tensor.h"
#include "supervisor/channel.h"

namespace maas::runtime::wire {

inline constexpr uint32_t kMagic = supervisor::kFrameMagic;
inline constexpr uint64_t kMaxHeaderBytes = supervisor::kMaxHeaderBytes;
inline constexpr uint64_t kMaxPayloadBytes = supervisor::kMaxPayloadBytes;

enum class Kind : uint32_t {
  kReady = 1,       // worker -> maasd: loaded; header {"signature": ...}
  kLoadFailed = 2,  // worker -> maasd: header {"code", "message"}
  kExecute = 3,     // maasd -> worker: header {"inputs", "outputs", "parameters", optional "deadline_ns"}
  kResult = 4,      // worker -> maasd: header {"outputs": [...]}
  kError = 5,       // worker -> maasd: header {"code", "message"}
  // maasd -> worker, once after READY: run the model on zeros the worker makes itself from its signature (one row
  // of every input), under its own memory limit. The answer is kResult without tensors, or kError.
  kWarmUp = 6,
};

using Frame = supervisor::Frame;

struct Message {
  Kind kind = Kind::kExecute;
  uint64_t request_id = 0;
  nlohmann::json header = nlohmann::json::object();
  std::vector<Tensor> tensors;  // described in header["tensors"], their bytes in the payload
};

// Describes `tensors` into header["tensors"] and returns the frame plus the serialized header; the caller sends
// frame, header and then each tensor's bytes in order.
std::string encode_head(const Message& message, Frame* frame);
// Rebuilds a message from a received frame, header text and payload (the tensors become slices of `payload`).
Result<Message> decode(const Frame& frame, std::string_view header_text, Buffer payload);

// Blocking helpers for the worker side (whole messages over a file descriptor).
Status write_message(int fd, const Message& message);
Status write_bytes(int fd, std::string_view bytes);  // e.g. several frames encoded back to back
Result<Message> read_message(int fd);

// A request's deadline as CLOCK_MONOTONIC nanoseconds (std::chrono::steady_clock), which every process on the
// host shares: maasd and its workers compare it without clock skew.
int64_t deadline_to_ns(std::chrono::steady_clock::time_point deadline);
std::chrono::steady_clock::time_point deadline_from_ns(int64_t ns);

// Status <-> header {"code", "message"}
nlohmann::json status_to_json(const Status& status);
Status status_from_json(const nlohmann::json& j);
nlohmann::json signature_to_json(const ModelSignature& signature);
Result<ModelSignature> signature_from_json(const nlohmann::json& j);

}  // namespace maas::runtime::wire
