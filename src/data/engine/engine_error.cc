#include "data/engine/engine_error.h"

namespace maas::data::engine {

namespace {

// DuckDB quotes the offending input line in some messages (a CSV line of megabytes); a message stays readable.
constexpr size_t kMaxMessageBytes = 4096;
constexpr size_t kMaxQuotedLineBytes = 256;

// Cuts `text` to at most `max` bytes, not inside a UTF-8 sequence (continuation bytes are 10xxxxxx).
std::string_view cut_utf8(std::string_view text, size_t max) {
  if (text.size() <= max) return text;
  size_t end = max;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return text.substr(0, end);
}

// Shortens the "Original Line: ..." line of a CSV error to its start.
std::string shorten_quoted_line(std::string_view message) {
  constexpr std::string_view kMarker = "Original Line: ";
  size_t at = message.find(kMarker);
  if (at == std::string_view::npos) return std::string(message);
  size_t start = at + kMarker.size();
  size_t end = message.find('\n', start);
  if (end == std::string_view::npos) end = message.size();
  std::string_view line = message.substr(start, end - start);
  if (line.size() <= kMaxQuotedLineBytes) return std::string(message);
  return std::string(message.substr(0, start)) + std::string(cut_utf8(line, kMaxQuotedLineBytes)) + "... (" +
         std::to_string(line.size()) + " bytes)" + std::string(message.substr(end));
}

}  // namespace

Status engine_error(duckdb_error_type type, std::string_view message, std::string_view context) {
  std::string shortened = shorten_quoted_line(message);
  bool cut = shortened.size() > kMaxMessageBytes;
  std::string_view kept = cut_utf8(shortened, kMaxMessageBytes);
  std::string text = context.empty() ? std::string(kept) : std::string(context) + ": " + std::string(kept);
  if (cut) text += " [...]";
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
