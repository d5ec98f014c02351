#include "api/openai_error.h"

#include <cctype>
#include <string>

namespace maas::api {

http::Response openai_error(const Status& status, std::string_view param) {
  int http_status = http_status_for(status.code());
  const char* type = http_status == 401   ? "authentication_error"
                     : http_status == 403 ? "permission_error"
                     : http_status == 429 ? "rate_limit_error"
                     : http_status >= 500 ? "server_error"
                                          : "invalid_request_error";
  std::string code(status_code_name(status.code()));
  for (auto& c : code) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  nlohmann::json body = {{"error",
                          {{"message", status.message()},
                           {"type", type},
                           {"param", param.empty() ? nlohmann::json(nullptr) : nlohmann::json(param)},
                           {"code", code}}}};
  return http::Response::json(http_status, body);
}

}  // namespace maas::api
