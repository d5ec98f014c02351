// Protocol buffers wire-format decoding over a FileReader: tags, varints, fixed-width values and length prefixes.
#include "formats/protobuf_reader.h"

namespace maas::formats {
namespace {

constexpr uint32_t kMaxFieldNumber = (1u << 29) - 1;

}  // namespace

std::string_view wire_type_name(WireType type) {
  switch (type) {
    case WireType::kVarint:
      return "varint";
    case WireType::kFixed64:
      return "fixed64";
    case WireType::kLengthDelimited:
      return "length-delimited";
    case WireType::kStartGroup:
      return "start-group";
    case WireType::kEndGroup:
      return "end-group";
    case WireType::kFixed32:
      return "fixed32";
  }
  return "unknown";
}

Result<uint64_t> ProtoReader::read_varint() {
  uint64_t start = position_;
  MAAS_RETURN_IF_ERROR(file_.seek(position_));
  uint64_t value = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (position_ >= end_) {
      return invalid_argument("varint at byte " + std::to_string(start) + " runs past the end of its message (byte " +
                              std::to_string(end_) + ")");
    }
    MAAS_ASSIGN_OR_RETURN(uint8_t byte, file_.read_le<uint8_t>());
    ++position_;
    // The tenth byte may only carry the top bit of a 64-bit value.
    if (shift == 63 && byte > 1) break;
    value |= static_cast<uint64_t>(byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) return value;
  }
  return invalid_argument("malformed varint at byte " + std::to_string(start) + " (longer than 10 bytes)");
}

Result<std::optional<ProtoField>> ProtoReader::next() {
  if (position_ >= end_) return std::optional<ProtoField>();
  uint64_t tag_at = position_;
  MAAS_ASSIGN_OR_RETURN(uint64_t tag, read_varint());
  ProtoField field;
  field.wire_type = static_cast<WireType>(tag & 7);
  uint64_t number = tag >> 3;
  if (number == 0 || number > kMaxFieldNumber) {
    return invalid_argument("invalid field number " + std::to_string(number) + " at byte " + std::to_string(tag_at));
  }
  field.number = static_cast<uint32_t>(number);
  auto fixed = [&](uint64_t bytes) -> Status {
    if (bytes > end_ - position_) {
      return invalid_argument("field " + std::to_string(number) + " at byte " + std::to_string(tag_at) +
                              " runs past the end of its message (byte " + std::to_string(end_) + ")");
    }
    MAAS_RETURN_IF_ERROR(file_.seek(position_));
    if (bytes == 8) {
      MAAS_ASSIGN_OR_RETURN(field.value, file_.read_le<uint64_t>());
    } else {
      MAAS_ASSIGN_OR_RETURN(uint32_t value, file_.read_le<uint32_t>());
      field.value = value;
    }
    position_ += bytes;
    return {};
  };
  switch (field.wire_type) {
    case WireType::kVarint: {
      MAAS_ASSIGN_OR_RETURN(field.value, read_varint());
      break;
    }
    case WireType::kFixed64:
      MAAS_RETURN_IF_ERROR(fixed(8));
      break;
    case WireType::kFixed32:
      MAAS_RETURN_IF_ERROR(fixed(4));
      break;
    case WireType::kLengthDelimited: {
      MAAS_ASSIGN_OR_RETURN(field.length, read_varint());
      if (field.length > end_ - position_) {
        return invalid_argument("field " + std::to_string(number) + " at byte " + std::to_string(tag_at) + " claims " +
                                std::to_string(field.length) + " bytes, past the end of its message (byte " +
                                std::to_string(end_) + ")");
      }
      field.offset = position_;
      position_ += field.length;
      break;
    }
    default:
      return invalid_argument("field " + std::to_string(number) + " at byte " + std::to_string(tag_at) +
                              " has wire type " + std::to_string(tag & 7) + ", which is not valid here");
  }
  return std::optional<ProtoField>(field);
}

Result<std::string> ProtoReader::read_bytes(const ProtoField& field, uint64_t max_bytes) {
  if (field.wire_type != WireType::kLengthDelimited) {
    return invalid_argument("field " + std::to_string(field.number) + " is a " +
                            std::string(wire_type_name(field.wire_type)) + ", not a string or message");
  }
  if (field.length > max_bytes) {
    return invalid_argument("field " + std::to_string(field.number) + " at byte " + std::to_string(field.offset) +
                            " is " + std::to_string(field.length) + " bytes long; the limit is " +
                            std::to_string(max_bytes));
  }
  MAAS_RETURN_IF_ERROR(file_.seek(field.offset));
  return file_.read_string(field.length);
}

ProtoReader ProtoReader::message(const ProtoField& field) const {
  assert(field.wire_type == WireType::kLengthDelimited);
  return ProtoReader(file_, field.offset, field.offset + field.length);
}

}  // namespace maas::formats
