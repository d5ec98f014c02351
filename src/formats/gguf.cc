// GGUF (llama.cpp's format): validates the header, the metadata key-values and the tensor table, and checks that
// every tensor's data lies inside the file, without reading any tensor data.
#include <array>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <unordered_set>

#include "formats/inspectors.h"

namespace maas::formats {
namespace {

constexpr std::string_view kMagic = "GGUF";
constexpr uint32_t kDefaultAlignment = 32;
// ggml's GGML_MAX_DIMS and GGML_MAX_NAME (a name must leave room for its terminating NUL).
constexpr uint32_t kMaxDims = 4;
constexpr uint64_t kMaxTensorNameBytes = 63;
// Real models have a few hundred keys and a few thousand tensors; these only stop absurd counts early.
constexpr uint64_t kMaxKeyValues = 1 << 20;
constexpr uint64_t kMaxTensors = 1 << 20;
constexpr uint64_t kMaxKeyBytes = 64 << 10;
// Strings we keep (architecture, name) are cut to this; others are skipped, whatever their length.
constexpr size_t kMaxKeptStringBytes = 1024;

enum ValueType : uint32_t {
  kUint8 = 0,
  kInt8 = 1,
  kUint16 = 2,
  kInt16 = 3,
  kUint32 = 4,
  kInt32 = 5,
  kFloat32 = 6,
  kBool = 7,
  kString = 8,
  kArray = 9,
  kUint64 = 10,
  kInt64 = 11,
  kFloat64 = 12,
  kValueTypeCount = 13,
};

constexpr std::array<std::string_view, kValueTypeCount> kValueTypeNames = {
    "UINT8", "INT8",   "UINT16", "INT16",  "UINT32", "INT32",  "FLOAT32",
    "BOOL",  "STRING", "ARRAY",  "UINT64", "INT64",  "FLOAT64"};

// Encoded size of a scalar value type; 0 for STRING and ARRAY, whose size is in the data.
uint64_t scalar_bytes(uint32_t type) {
  switch (type) {
    case kUint8:
    case kInt8:
    case kBool:
      return 1;
    case kUint16:
    case kInt16:
      return 2;
    case kUint32:
    case kInt32:
    case kFloat32:
      return 4;
    case kUint64:
    case kInt64:
    case kFloat64:
      return 8;
    default:
      return 0;
  }
}

// A ggml tensor type: `block_elements` values are stored in `block_bytes` bytes.
struct GgmlType {
  std::string_view name;
  uint64_t block_elements = 0;  // 0: the id is unused or was removed
  uint64_t block_bytes = 0;
};

// Indexed by ggml_type id (ggml.h); ids 4, 5, 31-33 and 36-38 were removed from the format.
constexpr std::array<GgmlType, 40> kGgmlTypes = {{
    {"F32", 1, 4},      {"F16", 1, 2},        {"Q4_0", 32, 18},    {"Q4_1", 32, 20},     {"", 0, 0},
    {"", 0, 0},         {"Q5_0", 32, 22},     {"Q5_1", 32, 24},    {"Q8_0", 32, 34},     {"Q8_1", 32, 36},
    {"Q2_K", 256, 84},  {"Q3_K", 256, 110},   {"Q4_K", 256, 144},  {"Q5_K", 256, 176},   {"Q6_K", 256, 210},
    {"Q8_K", 256, 292}, {"IQ2_XXS", 256, 66}, {"IQ2_XS", 256, 74}, {"IQ3_XXS", 256, 98}, {"IQ1_S", 256, 50},
    {"IQ4_NL", 32, 18}, {"IQ3_S", 256, 110},  {"IQ2_S", 256, 82},  {"IQ4_XS", 256, 136}, {"I8", 1, 1},
    {"I16", 1, 2},      {"I32", 1, 4},        {"I64", 1, 8},       {"F64", 1, 8},        {"IQ1_M", 256, 56},
    {"BF16", 1, 2},     {"", 0, 0},           {"", 0, 0},          {"", 0, 0},           {"TQ1_0", 256, 54},
    {"TQ2_0", 256, 66}, {"", 0, 0},           {"", 0, 0},          {"", 0, 0},           {"MXFP4", 32, 17},
}};

// Messages are prefixed with "gguf: " once, by inspect_gguf.
Status invalid(const std::string& message) { return invalid_argument(message); }

// Multiplies without wrapping; nullopt on overflow.
std::optional<uint64_t> checked_multiply(uint64_t a, uint64_t b) {
  if (a != 0 && b > std::numeric_limits<uint64_t>::max() / a) return std::nullopt;
  return a * b;
}

// What the metadata section told us; only the keys the details need are kept.
struct Metadata {
  std::optional<std::string> architecture;
  std::optional<std::string> name;
  std::optional<uint32_t> file_type;
  std::optional<uint64_t> vocab_size;
  bool has_chat_template = false;
  uint32_t alignment = kDefaultAlignment;
  // Integer values of keys ending in ".context_length", ".embedding_length" or ".block_count", resolved against
  // the architecture once all keys are read (the architecture key need not come first).
  std::map<std::string, uint64_t> per_architecture;
};

class GgufParser {
 public:
  explicit GgufParser(FileReader& file) : file_(file) {}

  Result<ArtifactInfo> parse();

 private:
  Status read_header();
  Status read_key_value(uint64_t index);
  Status read_tensor_info(uint64_t index);
  // A u64-length-prefixed string; longer than `max_bytes` is an error, or with `truncate` cut to that length.
  Result<std::string> read_string(uint64_t max_bytes, std::string_view what, bool truncate = false);
  Status skip_string(std::string_view what);
  Result<uint64_t> read_integer(uint32_t type);
  Status skip_array(const std::string& key, uint64_t index);

  FileReader& file_;
  uint32_t version_ = 0;
  uint64_t tensor_count_ = 0;
  uint64_t kv_count_ = 0;
  Metadata metadata_;
  std::unordered_set<std::string> keys_;
  std::unordered_set<std::string> tensor_names_;
  uint64_t parameter_count_ = 0;
  // The tensor whose data ends last, relative to the start of the data section.
  std::string last_tensor_;
  uint64_t last_tensor_end_ = 0;
};

Status GgufParser::read_header() {
  MAAS_ASSIGN_OR_RETURN(std::string magic, file_.read_string(std::min<uint64_t>(4, file_.size())));
  if (magic != kMagic) return invalid("not a GGUF file: it does not start with the magic \"GGUF\"");
  MAAS_ASSIGN_OR_RETURN(version_, file_.read_le<uint32_t>());
  if (version_ == 1) return invalid("version 1 is not supported (only versions 2 and 3 are)");
  if (version_ != 2 && version_ != 3) {
    return invalid("unknown version " + std::to_string(version_) +
                   " (only versions 2 and 3 are supported; big-endian files are not)");
  }
  MAAS_ASSIGN_OR_RETURN(tensor_count_, file_.read_le<uint64_t>());
  MAAS_ASSIGN_OR_RETURN(kv_count_, file_.read_le<uint64_t>());
  // Each key-value takes at least 14 bytes (key length, one key byte, type, one value byte), and each tensor info
  // at least 25 (name length, one name byte, dims count, type, offset).
  if (kv_count_ > kMaxKeyValues || kv_count_ > file_.remaining() / 14) {
    return invalid("the header claims " + std::to_string(kv_count_) + " metadata key-values, more than the " +
                   std::to_string(file_.size()) + "-byte file can hold");
  }
  if (tensor_count_ > kMaxTensors || tensor_count_ > file_.remaining() / 25) {
    return invalid("the header claims " + std::to_string(tensor_count_) + " tensors, more than the " +
                   std::to_string(file_.size()) + "-byte file can hold");
  }
  return {};
}

Result<std::string> GgufParser::read_string(uint64_t max_bytes, std::string_view what, bool truncate) {
  uint64_t at = file_.position();
  MAAS_ASSIGN_OR_RETURN(uint64_t length, file_.read_le<uint64_t>());
  if (length > file_.remaining()) {
    return invalid(std::string(what) + " at byte " + std::to_string(at) + " claims " + std::to_string(length) +
                   " bytes, past the end of the file");
  }
  if (length > max_bytes && truncate) {
    MAAS_ASSIGN_OR_RETURN(std::string prefix, file_.read_string(max_bytes));
    MAAS_RETURN_IF_ERROR(file_.skip(length - max_bytes));
    return prefix;
  }
  if (length > max_bytes) {
    return invalid(std::string(what) + " at byte " + std::to_string(at) + " is " + std::to_string(length) +
                   " bytes long; the limit is " + std::to_string(max_bytes));
  }
  return file_.read_string(length);
}

Status GgufParser::skip_string(std::string_view what) {
  uint64_t at = file_.position();
  MAAS_ASSIGN_OR_RETURN(uint64_t length, file_.read_le<uint64_t>());
  if (length > file_.remaining()) {
    return invalid(std::string(what) + " at byte " + std::to_string(at) + " claims " + std::to_string(length) +
                   " bytes, past the end of the file");
  }
  return file_.skip(length);
}

Result<uint64_t> GgufParser::read_integer(uint32_t type) {
  switch (type) {
    case kUint8: {
      MAAS_ASSIGN_OR_RETURN(auto v, file_.read_le<uint8_t>());
      return uint64_t{v};
    }
    case kUint16: {
      MAAS_ASSIGN_OR_RETURN(auto v, file_.read_le<uint16_t>());
      return uint64_t{v};
    }
    case kUint32: {
      MAAS_ASSIGN_OR_RETURN(auto v, file_.read_le<uint32_t>());
      return uint64_t{v};
    }
    case kUint64:
      return file_.read_le<uint64_t>();
    case kInt8:
    case kInt16:
    case kInt32:
    case kInt64: {
      int64_t v = 0;
      if (type == kInt8) {
        MAAS_ASSIGN_OR_RETURN(uint8_t x, file_.read_le<uint8_t>());
        v = x < 128 ? int64_t{x} : int64_t{x} - 256;
      }
      if (type == kInt16) {
        MAAS_ASSIGN_OR_RETURN(auto x, file_.read_le<int16_t>());
        v = x;
      }
      if (type == kInt32) {
        MAAS_ASSIGN_OR_RETURN(auto x, file_.read_le<int32_t>());
        v = x;
      }
      if (type == kInt64) {
        MAAS_ASSIGN_OR_RETURN(auto x, file_.read_le<int64_t>());
        v = x;
      }
      if (v < 0) return invalid("negative value " + std::to_string(v) + " where a count was expected");
      return static_cast<uint64_t>(v);
    }
    default:
      return invalid("expected an integer value, found type " + std::string(kValueTypeNames[type]));
  }
}

Status GgufParser::skip_array(const std::string& key, uint64_t index) {
  std::string where = "array of key " + in_quotes(key) + " (key-value #" + std::to_string(index) + ")";
  MAAS_ASSIGN_OR_RETURN(uint32_t element_type, file_.read_le<uint32_t>());
  if (element_type >= kValueTypeCount) {
    return invalid(where + " has unknown element type " + std::to_string(element_type));
  }
  if (element_type == kArray) return invalid(where + " is an array of arrays, which GGUF readers do not support");
  MAAS_ASSIGN_OR_RETURN(uint64_t length, file_.read_le<uint64_t>());
  // A string element takes at least its 8-byte length.
  uint64_t min_element_bytes = element_type == kString ? 8 : scalar_bytes(element_type);
  if (length > file_.remaining() / min_element_bytes) {
    return invalid(where + " claims " + std::to_string(length) + " elements, more than the rest of the file holds");
  }
  if (key == "tokenizer.ggml.tokens") metadata_.vocab_size = length;
  if (element_type != kString) return file_.skip(length * min_element_bytes);
  for (uint64_t i = 0; i < length; ++i)
    MAAS_RETURN_IF_ERROR(skip_string("element " + std::to_string(i) + " of the " + where));
  return {};
}

Status GgufParser::read_key_value(uint64_t index) {
  std::string what = "the key of key-value #" + std::to_string(index);
  MAAS_ASSIGN_OR_RETURN(std::string key, read_string(kMaxKeyBytes, what));
  if (key.empty()) return invalid(what + " is empty");
  if (!keys_.insert(key).second) return invalid("duplicate key " + in_quotes(key));
  uint64_t at = file_.position();
  MAAS_ASSIGN_OR_RETURN(uint32_t type, file_.read_le<uint32_t>());
  if (type >= kValueTypeCount) {
    return invalid("key " + in_quotes(key) + " has unknown value type " + std::to_string(type) + " at byte " +
                   std::to_string(at));
  }
  if (type == kArray) return skip_array(key, index);
  if (type == kString) {
    if (key == "tokenizer.chat_template") metadata_.has_chat_template = true;
    if (key != "general.architecture" && key != "general.name")
      return skip_string("the value of key " + in_quotes(key));
    MAAS_ASSIGN_OR_RETURN(std::string value, read_string(kMaxKeptStringBytes, "the value of key " + in_quotes(key),
                                                         /*truncate=*/true));
    (key == "general.architecture" ? metadata_.architecture : metadata_.name) = std::move(value);
    return {};
  }
  bool is_integer = type != kFloat32 && type != kFloat64 && type != kBool;
  if (key == "general.alignment") {
    if (type != kUint32)
      return invalid("general.alignment must be a UINT32, not " + std::string(kValueTypeNames[type]));
    MAAS_ASSIGN_OR_RETURN(uint32_t alignment, file_.read_le<uint32_t>());
    if (alignment == 0 || (alignment & (alignment - 1)) != 0) {
      return invalid("general.alignment is " + std::to_string(alignment) + "; it must be a power of two");
    }
    metadata_.alignment = alignment;
    return {};
  }
  if (key == "general.file_type" && is_integer) {
    MAAS_ASSIGN_OR_RETURN(uint64_t file_type, read_integer(type));
    metadata_.file_type = static_cast<uint32_t>(std::min<uint64_t>(file_type, UINT32_MAX));
    return {};
  }
  auto ends_with = [&](std::string_view suffix) {
    return key.size() > suffix.size() && key.compare(key.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  if (is_integer && (ends_with(".context_length") || ends_with(".embedding_length") || ends_with(".block_count"))) {
    MAAS_ASSIGN_OR_RETURN(uint64_t value, read_integer(type));
    metadata_.per_architecture[key] = value;
    return {};
  }
  return file_.skip(scalar_bytes(type));
}

Status GgufParser::read_tensor_info(uint64_t index) {
  MAAS_ASSIGN_OR_RETURN(std::string name,
                        read_string(kMaxTensorNameBytes, "the name of tensor #" + std::to_string(index)));
  if (name.empty()) return invalid("tensor #" + std::to_string(index) + " has an empty name");
  if (!tensor_names_.insert(name).second) return invalid("duplicate tensor name " + in_quotes(name));
  std::string where = "tensor " + in_quotes(name);
  MAAS_ASSIGN_OR_RETURN(uint32_t dims, file_.read_le<uint32_t>());
  if (dims > kMaxDims) {
    return invalid(where + " has " + std::to_string(dims) + " dimensions; at most " + std::to_string(kMaxDims) +
                   " are allowed");
  }
  uint64_t elements = 1;
  uint64_t first_dim = 1;
  for (uint32_t d = 0; d < dims; ++d) {
    MAAS_ASSIGN_OR_RETURN(uint64_t size, file_.read_le<uint64_t>());
    if (size > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
      return invalid(where + " dimension " + std::to_string(d) + " is out of range (" + std::to_string(size) + ")");
    }
    if (d == 0) first_dim = size;
    auto product = checked_multiply(elements, size);
    if (!product || *product > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
      return invalid(where + " has more elements than fit in 63 bits");
    }
    elements = *product;
  }
  MAAS_ASSIGN_OR_RETURN(uint32_t type_id, file_.read_le<uint32_t>());
  if (type_id >= kGgmlTypes.size() || kGgmlTypes[type_id].block_elements == 0) {
    return invalid(where + " has unknown ggml type " + std::to_string(type_id));
  }
  const GgmlType& type = kGgmlTypes[type_id];
  if (first_dim % type.block_elements != 0) {
    return invalid(where + " of type " + std::string(type.name) + " has a first dimension of " +
                   std::to_string(first_dim) + ", not a multiple of the block size " +
                   std::to_string(type.block_elements));
  }
  MAAS_ASSIGN_OR_RETURN(uint64_t offset, file_.read_le<uint64_t>());
  if (offset % metadata_.alignment != 0) {
    return invalid(where + " has data offset " + std::to_string(offset) + ", not a multiple of the alignment " +
                   std::to_string(metadata_.alignment));
  }
  auto bytes = checked_multiply(elements / type.block_elements, type.block_bytes);
  if (!bytes || *bytes > std::numeric_limits<uint64_t>::max() - offset) {
    return invalid(where + " is too large to address");
  }
  if (offset + *bytes >= last_tensor_end_) {
    last_tensor_end_ = offset + *bytes;
    last_tensor_ = name;
  }
  parameter_count_ += elements;
  return {};
}

Result<ArtifactInfo> GgufParser::parse() {
  MAAS_RETURN_IF_ERROR(file_.seek(0));
  MAAS_RETURN_IF_ERROR(read_header());
  for (uint64_t i = 0; i < kv_count_; ++i) {
    MAAS_RETURN_IF_ERROR(with_context(read_key_value(i), "metadata key-value #" + std::to_string(i)));
  }
  for (uint64_t i = 0; i < tensor_count_; ++i) {
    MAAS_RETURN_IF_ERROR(with_context(read_tensor_info(i), "tensor info #" + std::to_string(i)));
  }
  uint64_t data_start = file_.position();
  data_start += (metadata_.alignment - data_start % metadata_.alignment) % metadata_.alignment;
  if (tensor_count_ > 0 && (last_tensor_end_ > file_.size() || data_start > file_.size() - last_tensor_end_)) {
    return invalid("file is truncated: tensor " + in_quotes(last_tensor_) + " ends at byte " +
                   std::to_string(data_start + last_tensor_end_) + " but the file has " + std::to_string(file_.size()) +
                   " bytes");
  }

  ArtifactInfo info;
  info.framework = Framework::kGguf;
  info.format = "gguf";
  auto& details = info.details;
  details["gguf_version"] = version_;
  if (metadata_.architecture) details["architecture"] = *metadata_.architecture;
  if (metadata_.name) details["name"] = *metadata_.name;
  if (metadata_.architecture) {
    for (std::string_view field : {"context_length", "embedding_length", "block_count"}) {
      auto it = metadata_.per_architecture.find(*metadata_.architecture + "." + std::string(field));
      if (it != metadata_.per_architecture.end()) details[std::string(field)] = it->second;
    }
  }
  if (metadata_.vocab_size) details["vocab_size"] = *metadata_.vocab_size;
  details["has_chat_template"] = metadata_.has_chat_template;
  if (metadata_.file_type) details["file_type"] = *metadata_.file_type;
  details["alignment"] = metadata_.alignment;
  details["tensor_count"] = tensor_count_;
  details["parameter_count"] = parameter_count_;
  return info;
}

}  // namespace

bool looks_like_gguf(std::string_view head) { return head.substr(0, kMagic.size()) == kMagic; }

Result<ArtifactInfo> inspect_gguf(FileReader& file) {
  GgufParser parser(file);
  auto result = parser.parse();
  if (!result.ok()) return with_context(result.status(), "gguf");
  return result;
}

}  // namespace maas::formats
