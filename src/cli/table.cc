// Column alignment and the human forms of sizes, digests and timestamps.
#include "cli/table.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>

namespace maas::cli {
namespace {

constexpr std::string_view kColumnGap = "  ";
constexpr size_t kShortDigestLength = 12;

void append_padded(std::string& out, std::string_view cell, size_t width) {
  out += cell;
  out.append(width - std::min(width, display_width(cell)), ' ');
}

void strip_trailing_blanks(std::string& line) {
  while (!line.empty() && line.back() == ' ') line.pop_back();
}

}  // namespace

Table::Table(std::vector<std::string> headers) : headers_(std::move(headers)) {}

void Table::add_row(std::vector<std::string> cells) {
  cells.resize(headers_.size());
  rows_.push_back(std::move(cells));
}

std::string Table::render() const {
  std::vector<size_t> widths(headers_.size(), 0);
  for (size_t i = 0; i < headers_.size(); ++i) widths[i] = display_width(headers_[i]);
  for (const auto& row : rows_) {
    for (size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], display_width(row[i]));
  }

  std::string out;
  auto render_line = [&](const std::vector<std::string>& cells) {
    std::string line;
    for (size_t i = 0; i < cells.size(); ++i) {
      if (i > 0) line += kColumnGap;
      append_padded(line, cells[i], widths[i]);
    }
    strip_trailing_blanks(line);
    out += line;
    out += '\n';
  };
  render_line(headers_);
  for (const auto& row : rows_) render_line(row);
  return out;
}

std::string render_fields(const std::vector<std::pair<std::string, std::string>>& fields) {
  size_t width = 0;
  for (const auto& [name, value] : fields) width = std::max(width, display_width(name) + 1);

  std::string out;
  for (const auto& [name, value] : fields) {
    std::string line;
    append_padded(line, name + ":", width);
    line += kColumnGap;
    const std::string indent(width + kColumnGap.size(), ' ');
    size_t start = 0;
    while (true) {
      const size_t newline = value.find('\n', start);
      line += std::string_view(value).substr(start, newline == std::string::npos ? std::string::npos : newline - start);
      if (newline == std::string::npos) break;
      strip_trailing_blanks(line);
      line += '\n';
      line += indent;
      start = newline + 1;
    }
    strip_trailing_blanks(line);
    out += line;
    out += '\n';
  }
  return out;
}

size_t display_width(std::string_view text) {
  size_t width = 0;
  for (char c : text) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++width;
  }
  return width;
}

std::string format_size(uint64_t bytes) {
  static constexpr std::array<const char*, 6> kUnits = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  if (bytes < 1024) return fmt::format("{} B", bytes);
  double value = static_cast<double>(bytes) / 1024.0;
  size_t unit = 0;
  // Move up a unit before rounding would print "1024.0".
  while (value >= 1023.95 && unit + 1 < kUnits.size()) {
    value /= 1024.0;
    ++unit;
  }
  return fmt::format("{:.1f} {}", value, kUnits[unit]);
}

std::string short_digest(std::string_view digest) {
  const size_t colon = digest.find(':');
  if (colon != std::string_view::npos) digest.remove_prefix(colon + 1);
  return std::string(digest.substr(0, kShortDigestLength));
}

std::string format_timestamp(std::string_view rfc3339) {
  // Only the exact shape the API documents is rewritten; anything else is shown as the server sent it.
  if (rfc3339.size() < 20 || rfc3339[10] != 'T' || rfc3339.back() != 'Z') return std::string(rfc3339);
  std::string out(rfc3339.substr(0, 19));
  out[10] = ' ';
  return out + "Z";
}

}  // namespace maas::cli
