#include "data/engine/engine_error.h"

namespace maas::data::engine {

Status engine_error(duckdb_error_type type, std::string_view message, std::string_view context) {
  std::string text = context.empty() ? std::string(message) : std::string(context) + ": " + std::string(message);
  // DuckDB's messages end with a newline and a caret line pointing into the SQL; keep them (they help), trim the end.
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  switch (type) {
    case DUCKDB_ERROR_PERMISSION:
      return permission_denied(std::move(text));
    case DUCKDB_ERROR_OUT_OF_MEMORY:
      return resource_exhausted(std::move(text));
    case DUCKDB_ERROR_INTERRUPT:
      return deadline_exceeded(std::move(text));
    case DUCKDB_ERROR_INTERNAL:
    case DUCKDB_ERROR_FATAL:
    case DUCKDB_ERROR_SERIALIZATION:
    case DUCKDB_ERROR_NULL_POINTER:
    case DUCKDB_ERROR_SCHEDULER:
      return internal_error(std::move(text));
    case DUCKDB_ERROR_IO:
      // A missing or unreadable input file is the caller's to fix; a full disk is not, but DuckDB reports both as IO.
      if (text.find("No space left") != std::string::npos) return unavailable(std::move(text));
      return invalid_argument(std::move(text));
    default:
      return invalid_argument(std::move(text));
  }
}

Status engine_error(std::string_view message, std::string_view context) {
  static const std::pair<std::string_view, duckdb_error_type> kPrefixes[] = {
      {"Permission Error", DUCKDB_ERROR_PERMISSION},
      {"Out of Memory Error", DUCKDB_ERROR_OUT_OF_MEMORY},
      {"INTERRUPT Error", DUCKDB_ERROR_INTERRUPT},
      {"INTERNAL Error", DUCKDB_ERROR_INTERNAL},
      {"FATAL Error", DUCKDB_ERROR_FATAL},
      {"IO Error", DUCKDB_ERROR_IO},
  };
  for (const auto& [prefix, type] : kPrefixes) {
    if (message.starts_with(prefix)) return engine_error(type, message, context);
  }
  return engine_error(DUCKDB_ERROR_INVALID_INPUT, message, context);
}

}  // namespace maas::data::engine
