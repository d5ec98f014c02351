// One pass over a JSON "data" array with simdjson On-Demand: no DOM, each element parsed from its token and
// stored at its row-major index.
#include "protocol/json_tensor_data.h"

#include <bit>
#include <cmath>
#include <cstring>
#include <limits>
#include <memory>
#include <string>
#include <type_traits>

#include "protocol/fp16.h"
#include "protocol/json_number.h"
#include "protocol/json_text.h"

namespace maas::protocol {
namespace {

using runtime::DataType;
using simdjson::ondemand::array;
using simdjson::ondemand::value;

constexpr size_t kMaxTokenInMessage = 40;

// A token without the whitespace simdjson leaves after it.
std::string_view trim(std::string_view token) {
  while (!token.empty() &&
         (token.back() == ' ' || token.back() == '\n' || token.back() == '\r' || token.back() == '\t')) {
    token.remove_suffix(1);
  }
  return token;
}

std::string_view token_of(value& element) { return trim(element.raw_json_token()); }

// How a message shows an element: numbers and literals as written, containers by kind.
std::string describe(std::string_view token) {
  if (token.empty()) return "empty";
  switch (token[0]) {
    case '"':
      return "a string";
    case '[':
      return "an array";
    case '{':
      return "an object";
    default:
      if (token.size() > kMaxTokenInMessage) return std::string(token.substr(0, kMaxTokenInMessage)) + "...";
      return std::string(token);
  }
}

// What the walker shares with the element sinks: where the data goes and how messages name it.
struct Target {
  std::string_view input_name;
  DataType datatype;
  std::span<const int64_t> shape;
  size_t element_count;

  Status element_error(size_t index, std::string_view token, std::string_view problem) const {
    return invalid_argument("input " + quoted_name(input_name) + ": element " + std::to_string(index) + " is " +
                            describe(token) + ", " + std::string(problem));
  }
};

// simdjson's own number parser: strict JSON grammar and correctly rounded doubles, and fast. False leaves the
// element to the slower, exact parse of its token, which also tells which error it is.
bool fast_parse(value& element, double& out) { return !element.get_double().get(out); }

bool fast_parse(value& element, float& out) {
  double wide = 0;
  if (element.get_double().get(wide)) return false;
  // Rounding the double is the float nearest the decimal unless the double sits exactly halfway between two floats
  // (then the decimal may have been on either side); outside the normal float range the exact parse decides too.
  const double magnitude = std::fabs(wide);
  const bool halfway = (std::bit_cast<uint64_t>(wide) & 0x1fffffff) == 0x10000000;
  if (magnitude != 0 &&
      (magnitude < std::numeric_limits<float>::min() || magnitude > std::numeric_limits<float>::max() || halfway)) {
    return false;
  }
  out = static_cast<float>(wide);
  return true;
}

template <typename T>
bool fast_parse(value& element, T& out) {
  if constexpr (std::is_signed_v<T>) {
    int64_t wide = 0;
    if (element.get_int64().get(wide) || wide < std::numeric_limits<T>::min() || wide > std::numeric_limits<T>::max()) {
      return false;
    }
    out = static_cast<T>(wide);
  } else {
    uint64_t wide = 0;
    if (element.get_uint64().get(wide) || wide > std::numeric_limits<T>::max()) return false;
    out = static_cast<T>(wide);
  }
  return true;
}

// Numbers of type T (or FP16 bits, when Half) into a fixed-size buffer.
template <typename T, bool Half = false>
class NumberSink {
 public:
  explicit NumberSink(const Target& target)
      : target_(target), bytes_(std::make_shared_for_overwrite<std::byte[]>(target.element_count * sizeof(T))) {}

  Status put(value& element, size_t index) {
    // The token is taken first: once simdjson has consumed the element, it is gone.
    const std::string_view raw_token = element.raw_json_token();
    T number{};
    if (!fast_put(element, number)) {
      const std::string_view token = trim(raw_token);
      // Strings, literals and containers fail the number grammar too, and come back as kMalformed.
      switch (exact_parse(token, number)) {
        case NumberError::kNone:
          break;
        case NumberError::kMalformed:
          return target_.element_error(index, token, "but " + type_name() + " data must be numbers");
        case NumberError::kNotInteger:
          return target_.element_error(index, token, "but " + type_name() + " data must be integers");
        case NumberError::kOutOfRange:
          return target_.element_error(index, token, "out of range for " + type_name());
      }
    }
    std::memcpy(bytes_.get() + index * sizeof(T), &number, sizeof(T));
    return {};
  }

  runtime::Buffer finish() {
    const std::byte* data = bytes_.get();
    return runtime::Buffer(std::move(bytes_), data, target_.element_count * sizeof(T));
  }

 private:
  static bool fast_put(value& element, T& number) {
    if constexpr (Half) {
      double wide = 0;
      if (!fast_parse(element, wide)) return false;
      number = fp16_from_double(wide);
      return fp16_is_finite(number);
    } else {
      return fast_parse(element, number);
    }
  }

  static NumberError exact_parse(std::string_view token, T& number) {
    if constexpr (Half) {
      return parse_json_fp16(token, number);
    } else {
      return parse_json_number(token, number);
    }
  }

  std::string type_name() const { return std::string(runtime::datatype_name(target_.datatype)); }

  const Target& target_;
  std::shared_ptr<std::byte[]> bytes_;
};

class BoolSink {
 public:
  explicit BoolSink(const Target& target)
      : target_(target), bytes_(std::make_shared_for_overwrite<std::byte[]>(target.element_count)) {}

  Status put(value& element, size_t index) {
    const std::string_view token = token_of(element);
    if (token != "true" && token != "false") {
      return target_.element_error(index, token, "but BOOL data must be true or false");
    }
    bytes_.get()[index] = std::byte{token == "true"};
    return {};
  }

  runtime::Buffer finish() {
    const std::byte* data = bytes_.get();
    return runtime::Buffer(std::move(bytes_), data, target_.element_count);
  }

 private:
  const Target& target_;
  std::shared_ptr<std::byte[]> bytes_;
};

// BYTES elements in Triton's layout: a 4-byte little-endian length, then the (unescaped, UTF-8) bytes.
class BytesSink {
 public:
  // The length prefixes are known up front; the strings' bytes grow the buffer as they come.
  explicit BytesSink(const Target& target) : target_(target) { bytes_.reserve(target.element_count * 4); }

  Status put(value& element, size_t index) {
    if (!element.raw_json_token().starts_with('"')) {
      return target_.element_error(index, token_of(element), "but BYTES data must be strings");
    }
    std::string_view text;
    if (auto error = element.get_string().get(text)) return malformed_json(error);
    // simdjson takes documents below 4 GiB, so every string's length fits the 32-bit prefix.
    const auto length = static_cast<uint32_t>(text.size());
    const unsigned char prefix[4] = {static_cast<unsigned char>(length), static_cast<unsigned char>(length >> 8),
                                     static_cast<unsigned char>(length >> 16),
                                     static_cast<unsigned char>(length >> 24)};
    bytes_.append(reinterpret_cast<const char*>(prefix), 4);
    bytes_.append(text);
    return {};
  }

  runtime::Buffer finish() { return runtime::Buffer::adopt(std::move(bytes_)); }

 private:
  const Target& target_;
  std::string bytes_;
};

// Walks the data array. Flat data lists every element; nested data has one array level per dimension, each of
// exactly that dimension's length. The first element decides which form the data takes.
template <typename Sink>
class DataWalker {
 public:
  explicit DataWalker(const Target& target) : target_(target), sink_(target) {}

  Result<runtime::Buffer> read(value& data) {
    array top;
    if (token_of(data).starts_with('[')) {
      if (auto error = data.get_array().get(top)) return malformed_json(error);
    } else {
      return invalid_argument("input " + quoted_name(target_.input_name) + ": data must be an array");
    }
    std::string path;
    MAAS_RETURN_IF_ERROR(walk(top, 0, path));
    if (leaves_ != target_.element_count) {
      return invalid_argument("input " + quoted_name(target_.input_name) + ": shape " + shape_text(target_.shape) +
                              " needs " + std::to_string(target_.element_count) + " elements but data has " +
                              std::to_string(leaves_));
    }
    return sink_.finish();
  }

 private:
  enum class Form { kUndecided, kFlat, kNested };

  Status walk(array& level_array, size_t level, std::string& path) {
    size_t index = 0;
    for (auto element_result : level_array) {
      value element;
      if (auto error = element_result.get(element)) return malformed_json(error);
      const bool is_array = element.raw_json_token().starts_with('[');
      if (form_ == Form::kUndecided) form_ = is_array && target_.shape.size() >= 2 ? Form::kNested : Form::kFlat;

      if (form_ == Form::kFlat) {
        if (is_array) {
          return invalid_argument("input " + quoted_name(target_.input_name) + ": data[" + std::to_string(index) +
                                  "] is an array; data must be a flat list of values, or nested to match shape " +
                                  shape_text(target_.shape));
        }
        // Past the shape's count the elements are only counted, for the message.
        if (leaves_ < target_.element_count) MAAS_RETURN_IF_ERROR(sink_.put(element, leaves_));
        ++leaves_;
      } else if (index < static_cast<size_t>(target_.shape[level])) {
        MAAS_RETURN_IF_ERROR(nested_element(element, is_array, level, index, path));
      }
      ++index;
    }
    if (form_ == Form::kNested && index != static_cast<size_t>(target_.shape[level])) {
      return invalid_argument("input " + quoted_name(target_.input_name) + ": data" + path + " has " +
                              std::to_string(index) + " elements but shape " + shape_text(target_.shape) + " needs " +
                              std::to_string(target_.shape[level]) + " there");
    }
    return {};
  }

  Status nested_element(value& element, bool is_array, size_t level, size_t index, std::string& path) {
    const bool wants_array = level + 1 < target_.shape.size();
    const size_t path_length = path.size();
    path += "[" + std::to_string(index) + "]";
    if (is_array != wants_array) {
      return invalid_argument("input " + quoted_name(target_.input_name) + ": data" + path + " is " +
                              (is_array ? "an array" : "a value") + " but shape " + shape_text(target_.shape) +
                              " needs " + (wants_array ? "an array" : "a value") + " there");
    }
    if (wants_array) {
      array inner;
      if (auto error = element.get_array().get(inner)) return malformed_json(error);
      MAAS_RETURN_IF_ERROR(walk(inner, level + 1, path));
    } else {
      // Each level visits at most its dimension's length, so leaves_ stays below element_count here.
      MAAS_RETURN_IF_ERROR(sink_.put(element, leaves_));
      ++leaves_;
    }
    path.resize(path_length);
    return {};
  }

  const Target& target_;
  Sink sink_;
  Form form_ = Form::kUndecided;
  size_t leaves_ = 0;
};

template <typename Sink>
Result<runtime::Buffer> read_with(value& data, const Target& target) {
  return DataWalker<Sink>(target).read(data);
}

template <typename T>
Result<runtime::Buffer> read_numbers(value& data, const Target& target) {
  return read_with<NumberSink<T>>(data, target);
}

}  // namespace

Status malformed_json(simdjson::error_code error) {
  return invalid_argument(std::string("the request is not valid JSON: ") + simdjson::error_message(error));
}

Result<runtime::Buffer> read_json_tensor_data(value data, std::string_view input_name, DataType datatype,
                                              std::span<const int64_t> shape, size_t element_count) {
  const Target target{input_name, datatype, shape, element_count};
  switch (datatype) {
    case DataType::kBool:
      return read_with<BoolSink>(data, target);
    case DataType::kUint8:
      return read_numbers<uint8_t>(data, target);
    case DataType::kUint16:
      return read_numbers<uint16_t>(data, target);
    case DataType::kUint32:
      return read_numbers<uint32_t>(data, target);
    case DataType::kUint64:
      return read_numbers<uint64_t>(data, target);
    case DataType::kInt8:
      return read_numbers<int8_t>(data, target);
    case DataType::kInt16:
      return read_numbers<int16_t>(data, target);
    case DataType::kInt32:
      return read_numbers<int32_t>(data, target);
    case DataType::kInt64:
      return read_numbers<int64_t>(data, target);
    case DataType::kFp16:
      return read_with<NumberSink<uint16_t, /*Half=*/true>>(data, target);
    case DataType::kFp32:
      return read_numbers<float>(data, target);
    case DataType::kFp64:
      return read_numbers<double>(data, target);
    case DataType::kBytes:
      return read_with<BytesSink>(data, target);
  }
  return internal_error("unhandled datatype");
}

}  // namespace maas::protocol
