// Decoding of error responses into a Status: the management API's `{"error": {"code", "message"}}` and the Open
// Inference Protocol's `{"error": "message"}`.
#pragma once

#include <optional>
#include <string_view>

#include "common/status.h"

namespace maas::cli {

// The code a bare HTTP status stands for, used when the body does not say.
StatusCode status_code_from_http_status(int http_status);

// The Status a non-2xx response means. The body's `error.code` wins when this client knows it (it is the stable
// contract); otherwise the HTTP status decides, as it always does for the v2 shape. A body that is neither shape is
// quoted, shortened.
Status status_from_error_response(int http_status, std::string_view body);

}  // namespace maas::cli
