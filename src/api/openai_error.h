// OpenAI's error shape, {"error": {"message", "type", "param", "code"}}, for every error under /v1: those its
// handlers return and those the http layer raises before them (the router's error format for "/v1").
// Thread-safety: a pure function.
#pragma once

#include <string_view>

#include "common/status.h"
#include "http/request.h"

namespace maas::api {

// `type` follows the HTTP status (the SDKs pick their error classes by status); `code` is the stable code in lower
// case; `param` names the request field at fault (empty: null).
http::Response openai_error(const Status& status, std::string_view param = {});

}  // namespace maas::api
