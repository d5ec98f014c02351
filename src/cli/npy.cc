// The .npy format: a magic string, a version, a header length, a Python dictionary literal, then the raw elements.
// The header's grammar is the small subset of Python literals that numpy writes (numpy/lib/format.py).
#include "cli/npy.h"

#include <array>
#include <limits>
#include <set>

namespace maas::cli {
namespace {

constexpr std::string_view kMagic = "\x93NUMPY";

struct DescrEntry {
  std::string_view descr;
  NpyDatatype datatype;
};

// numpy writes '|' for one-byte dtypes, whose byte order does not matter, and '<' for little-endian ones.
constexpr std::array<DescrEntry, 12> kDescrs = {{
    {"<f4", {"FP32", 4}},
    {"<f8", {"FP64", 8}},
    {"<f2", {"FP16", 2}},
    {"<i8", {"INT64", 8}},
    {"<i4", {"INT32", 4}},
    {"<i2", {"INT16", 2}},
    {"|i1", {"INT8", 1}},
    {"<u8", {"UINT64", 8}},
    {"<u4", {"UINT32", 4}},
    {"<u2", {"UINT16", 2}},
    {"|u1", {"UINT8", 1}},
    {"|b1", {"BOOL", 1}},
}};

constexpr std::string_view kSupportedDescrs = "<f4 <f8 <f2 <i8 <i4 <i2 |i1 <u8 <u4 <u2 |u1 |b1";

std::string shape_text(const std::vector<int64_t>& shape) {
  std::string text = "(";
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i > 0) text += ", ";
    text += std::to_string(shape[i]);
  }
  if (shape.size() == 1) text += ",";
  return text + ")";
}

Status malformed(std::string_view what) { return invalid_argument("malformed .npy header: " + std::string(what)); }

// Reads the Python literals of a .npy header dictionary, left to right.
class LiteralReader {
 public:
  explicit LiteralReader(std::string_view text) : text_(text) {}

  char peek() {
    skip_space();
    return pos_ < text_.size() ? text_[pos_] : '\0';
  }
  bool consume(char c) {
    if (peek() != c) return false;
    ++pos_;
    return true;
  }
  bool at_end() {
    skip_space();
    return pos_ == text_.size();
  }

  Result<std::string> string() {
    const char quote = peek();
    if (quote != '\'' && quote != '"') return malformed("expected a quoted string");
    ++pos_;
    std::string value;
    while (pos_ < text_.size() && text_[pos_] != quote) {
      if (text_[pos_] == '\\' && pos_ + 1 < text_.size()) ++pos_;
      value += text_[pos_++];
    }
    if (pos_ == text_.size()) return malformed("a string is not closed");
    ++pos_;
    return value;
  }

  Result<bool> boolean() {
    skip_space();
    for (const auto& [word, value] : {std::pair{std::string_view("True"), true}, {"False", false}}) {
      if (text_.substr(pos_, word.size()) == word) {
        pos_ += word.size();
        return value;
      }
    }
    return malformed("fortran_order must be True or False");
  }

  // "()", "(3,)", "(3, 4)"; Python 2 wrote longs as "3L".
  Result<std::vector<int64_t>> dimensions() {
    if (!consume('(')) return malformed("shape must be a tuple");
    std::vector<int64_t> shape;
    while (!consume(')')) {
      if (peek() == '-') return invalid_argument("the .npy header has a negative dimension");
      MAAS_ASSIGN_OR_RETURN(int64_t dimension, integer());
      shape.push_back(dimension);
      consume('L');
      if (consume(')')) break;
      if (!consume(',')) return malformed("the dimensions of shape must be separated by commas");
    }
    return shape;
  }

 private:
  void skip_space() {
    while (pos_ < text_.size() &&
           (text_[pos_] == ' ' || text_[pos_] == '\n' || text_[pos_] == '\t' || text_[pos_] == '\r')) {
      ++pos_;
    }
  }

  Result<int64_t> integer() {
    skip_space();
    if (pos_ == text_.size() || text_[pos_] < '0' || text_[pos_] > '9') {
      return malformed("shape must hold integers");
    }
    int64_t value = 0;
    while (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9') {
      const int digit = text_[pos_++] - '0';
      if (value > (std::numeric_limits<int64_t>::max() - digit) / 10) return malformed("a dimension is too large");
      value = value * 10 + digit;
    }
    return value;
  }

  std::string_view text_;
  size_t pos_ = 0;
};

uint32_t little_endian(std::string_view bytes) {
  uint32_t value = 0;
  for (size_t i = bytes.size(); i-- > 0;) value = (value << 8) | static_cast<unsigned char>(bytes[i]);
  return value;
}

}  // namespace

Result<NpyHeader> parse_npy_header(std::string_view text) {
  LiteralReader reader(text);
  if (!reader.consume('{')) return malformed("it is not a dictionary");
  NpyHeader header;
  std::set<std::string> seen;
  while (!reader.consume('}')) {
    MAAS_ASSIGN_OR_RETURN(std::string key, reader.string());
    if (!reader.consume(':')) return malformed("expected ':' after '" + key + "'");
    if (key == "descr") {
      if (reader.peek() == '[') {
        return invalid_argument("structured .npy arrays (a list of fields as dtype) are not supported");
      }
      MAAS_ASSIGN_OR_RETURN(header.descr, reader.string());
    } else if (key == "fortran_order") {
      MAAS_ASSIGN_OR_RETURN(header.fortran_order, reader.boolean());
    } else if (key == "shape") {
      MAAS_ASSIGN_OR_RETURN(header.shape, reader.dimensions());
    } else {
      return malformed("unknown key '" + key + "'");
    }
    if (!seen.insert(key).second) return malformed("'" + key + "' is given twice");
    if (!reader.consume(',')) {
      if (!reader.consume('}')) return malformed("expected ',' or '}' after '" + key + "'");
      break;
    }
  }
  if (!reader.at_end()) return malformed("text follows the dictionary");
  for (const char* key : {"descr", "fortran_order", "shape"}) {
    if (!seen.contains(key)) return malformed(std::string("'") + key + "' is missing");
  }
  return header;
}

std::optional<NpyDatatype> npy_datatype(std::string_view descr) {
  for (const auto& entry : kDescrs) {
    if (entry.descr == descr) return entry.datatype;
  }
  return std::nullopt;
}

bool has_npy_magic(std::string_view bytes) { return bytes.substr(0, kMagic.size()) == kMagic; }

Result<NpyArray> parse_npy(std::string_view file) {
  if (!has_npy_magic(file) || file.size() < 10) return invalid_argument("not a .npy file (no \\x93NUMPY magic)");
  const int major = static_cast<unsigned char>(file[6]);
  const int minor = static_cast<unsigned char>(file[7]);
  // Version 1 has a 2-byte header length; 2 and 3 (whose header may be UTF-8) a 4-byte one.
  size_t length_bytes = 0;
  if (major == 1) {
    length_bytes = 2;
  } else if (major == 2 || major == 3) {
    length_bytes = 4;
  } else {
    return invalid_argument("unsupported .npy format version " + std::to_string(major) + "." + std::to_string(minor));
  }
  if (file.size() < 8 + length_bytes) return invalid_argument("the .npy file ends inside its preamble");
  const size_t header_start = 8 + length_bytes;
  const size_t header_length = little_endian(file.substr(8, length_bytes));
  if (header_length > file.size() - header_start) return invalid_argument("the .npy file ends inside its header");

  MAAS_ASSIGN_OR_RETURN(NpyHeader header, parse_npy_header(file.substr(header_start, header_length)));
  if (header.fortran_order) {
    return invalid_argument(
        "the .npy array is stored in Fortran order, and only C order can be sent unconverted: save "
        "np.ascontiguousarray(a)");
  }
  const std::optional<NpyDatatype> datatype = npy_datatype(header.descr);
  if (!datatype) {
    std::string message = "the .npy dtype '" + header.descr + "' has no Open Inference Protocol datatype";
    if (!header.descr.empty() && header.descr[0] == '>') {
      message += "; it is big-endian: save a.astype(a.dtype.newbyteorder('<'))";
    } else {
      message += " (supported: " + std::string(kSupportedDescrs) + ")";
    }
    return invalid_argument(message);
  }

  const std::string_view data = file.substr(header_start + header_length);
  uint64_t bytes = datatype->element_size;
  for (int64_t dimension : header.shape) {
    const auto size = static_cast<uint64_t>(dimension);
    if (size != 0 && bytes > std::numeric_limits<uint64_t>::max() / size) {
      return invalid_argument("the .npy shape " + shape_text(header.shape) + " is too large");
    }
    bytes *= size;
  }
  if (bytes != data.size()) {
    return invalid_argument("the .npy data is " + std::to_string(data.size()) + " bytes, but shape " +
                            shape_text(header.shape) + " of " + header.descr + " needs " + std::to_string(bytes));
  }
  return NpyArray{std::string(datatype->datatype), std::move(header.shape), data};
}

}  // namespace maas::cli
