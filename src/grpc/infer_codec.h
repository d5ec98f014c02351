// Translation between the gRPC Open Inference Protocol's messages (grpc_predict_v2.proto) and the HTTP /v2 routes'
// bodies, so that a gRPC call is answered by the very routes an HTTP call is: a ModelInferRequest becomes the
// binary tensor extension's body (a JSON header, then each input's raw bytes; every output asked for in binary),
// and the routes' answers (JSON, or JSON and binary outputs) become the response messages. Pure functions.
#pragma once

#include <grpcpp/support/status.h>

#include <cstddef>
#include <optional>
#include <string>

#include "common/status.h"
#include "grpc/grpc_predict_v2.pb.h"
#include "http/request.h"

namespace maas::grpc_api {

struct HttpInferBody {
  std::string body;
  size_t json_length = 0;  // Inference-Header-Content-Length
};

// INVALID_ARGUMENT, in words a client can act on, for inputs whose data is missing, given twice, or of the wrong
// kind for their datatype.
Result<HttpInferBody> infer_body(const inference::ModelInferRequest& request);

// The infer route's successful answer as a ModelInferResponse (outputs in raw_output_contents).
Status read_infer_answer(const http::Response& answer, inference::ModelInferResponse* out);
Status read_model_metadata(const std::string& json, inference::ModelMetadataResponse* out);
Status read_server_metadata(const std::string& json, inference::ServerMetadataResponse* out);
Status read_statistics(const std::string& json, inference::ModelStatisticsResponse* out);
// `ready_only`: RepositoryIndexRequest.ready (only versions in state READY).
Status read_repository_index(const std::string& json, bool ready_only, inference::RepositoryIndexResponse* out);

// The repository load and unload body ({"parameters": {...}}) from the request's parameters; INVALID_ARGUMENT for
// a bytes parameter (maas loads registered versions, not files sent with the call).
Result<std::string> repository_body(const google::protobuf::Map<std::string, inference::ModelRepositoryParameter>& p);

// A route's error answer as a gRPC status: the code for its HTTP status, the message it carried.
grpc::Status grpc_status(const http::Response& answer);
grpc::Status grpc_status(const Status& status);
grpc::StatusCode grpc_code(int http_status);
std::string_view grpc_code_name(grpc::StatusCode code);

// A model name or version as one path segment: INVALID_ARGUMENT when empty (name) or holding a '/'.
Status check_segment(const std::string& value, const char* what, bool may_be_empty);

}  // namespace maas::grpc_api
