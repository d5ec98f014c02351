#include "common/paging.h"

#include "common/names.h"

namespace maas {

Status check_page_limit(int limit) {
  if (limit < 1 || limit > kMaxPageSize) {
    return invalid_argument("limit must be between 1 and " + std::to_string(kMaxPageSize) + ", got " +
                            std::to_string(limit));
  }
  return {};
}

Result<std::string> name_from_page_token(const std::string& token) {
  // Names are validated, so a token that is not a valid name was not issued by a page.
  if (!validate_name(token, "page_token").ok()) return invalid_argument("page_token is not one this server issued");
  return token;
}

Result<int64_t> version_from_page_token(const std::string& token) {
  long long before = 0;
  if (!parse_version_number(token, &before)) return invalid_argument("page_token is not one this server issued");
  return static_cast<int64_t>(before);
}

}  // namespace maas
