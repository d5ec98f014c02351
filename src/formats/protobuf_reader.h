// Reads the protocol buffers wire format field by field straight from a file, so that a message of any size can be
// walked without loading it and large fields skipped by seeking. No schema: callers interpret field numbers.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "common/status.h"
#include "formats/file_reader.h"

namespace maas::formats {

enum class WireType : uint8_t {
  kVarint = 0,
  kFixed64 = 1,
  kLengthDelimited = 2,
  kStartGroup = 3,
  kEndGroup = 4,
  kFixed32 = 5,
};

// One field as found on the wire. For kVarint, kFixed64 and kFixed32 `value` holds the number; for
// kLengthDelimited the payload occupies [offset, offset + length) of the file and has not been read.
struct ProtoField {
  uint32_t number = 0;
  WireType wire_type = WireType::kVarint;
  uint64_t value = 0;
  uint64_t offset = 0;
  uint64_t length = 0;
};

// Iterates over the fields of one message occupying bytes [begin, end) of `file`. Groups (wire types 3 and 4,
// deprecated and unused by ONNX) are rejected. Errors are INVALID_ARGUMENT naming the byte where decoding failed.
// Holds a reference to `file`, which must outlive it; several readers may share one file (each seeks before it
// reads). Not thread-safe.
class ProtoReader {
 public:
  ProtoReader(FileReader& file, uint64_t begin, uint64_t end) : file_(file), position_(begin), end_(end) {}

  // The next field, or nullopt at the end of the message. A length-delimited payload is skipped, not read.
  Result<std::optional<ProtoField>> next();
  // The payload of a length-delimited field, when it is at most `max_bytes` long.
  Result<std::string> read_bytes(const ProtoField& field, uint64_t max_bytes);
  // A reader over the payload of a length-delimited field (an embedded message).
  ProtoReader message(const ProtoField& field) const;

 private:
  Result<uint64_t> read_varint();

  FileReader& file_;
  uint64_t position_;
  uint64_t end_;
};

// "varint", "fixed64", "length-delimited", ... for messages.
std::string_view wire_type_name(WireType type);

}  // namespace maas::formats
