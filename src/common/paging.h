// Keyset pagination as the registries do it: a bounded page size, opaque page tokens (the last name, or the last
// version number, of the previous page), and one extra row fetched to learn whether another page exists.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"

namespace maas {

inline constexpr int kMaxPageSize = 1000;

// INVALID_ARGUMENT unless 1 <= limit <= kMaxPageSize.
Status check_page_limit(int limit);
// The name a page token carries (a valid name); INVALID_ARGUMENT for a token no page returned.
Result<std::string> name_from_page_token(const std::string& token);
// The version number a page token carries; INVALID_ARGUMENT for a token no page returned.
Result<int64_t> version_from_page_token(const std::string& token);

// Calls fetch(limit + 1) (a Result<std::vector<Record>>), keeps the first `limit` records and sets *more when there
// were more.
template <typename Fetch>
auto fetch_page(int limit, Fetch&& fetch, bool* more) -> decltype(fetch(limit)) {
  auto records = fetch(limit + 1);
  if (!records.ok()) return records;
  *more = static_cast<int>(records->size()) > limit;
  if (*more) records->resize(static_cast<size_t>(limit));
  return records;
}

}  // namespace maas
