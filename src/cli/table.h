// Plain-text building blocks of table output: aligned columns, aligned key/value lists, and the human forms of
// sizes, digests and timestamps.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace maas::cli {

// Columns are left-aligned and separated by two spaces; the last column is not padded, so no line has trailing
// blanks. Widths count UTF-8 code points, not bytes, so descriptions in any language stay aligned.
class Table {
 public:
  explicit Table(std::vector<std::string> headers);

  // A row with fewer cells than headers is padded with empty cells; extra cells are dropped.
  void add_row(std::vector<std::string> cells);
  size_t row_count() const { return rows_.size(); }
  // The header line then one line per row, each ending in '\n'.
  std::string render() const;

 private:
  std::vector<std::string> headers_;
  std::vector<std::vector<std::string>> rows_;
};

// "NAME:   value" lines with the values aligned; a value with newlines continues on indented lines.
std::string render_fields(const std::vector<std::pair<std::string, std::string>>& fields);

// Number of UTF-8 code points in `text` (a stray continuation byte counts as one, so widths never go negative).
size_t display_width(std::string_view text);

// 1023 -> "1023 B", 1536 -> "1.5 KiB", 5 * 2^30 -> "5.0 GiB" (binary units, one decimal above bytes).
std::string format_size(uint64_t bytes);

// "sha256:9f2c4e..." -> the first 12 hex digits, "9f2c4e..."; other text is shortened the same way.
std::string short_digest(std::string_view digest);

// "2026-11-25T01:02:03.456Z" -> "2026-11-25 01:02:03Z": milliseconds are noise in a table. Other text is kept.
std::string format_timestamp(std::string_view rfc3339);

}  // namespace maas::cli
