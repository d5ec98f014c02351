#include "formats/protobuf_reader.h"

#include <gtest/gtest.h>

#include "test_bytes.h"

namespace maas::formats {
namespace {

using testing::failed_with;
using testing::write_temp;
namespace pb = testing::pb;

FileReader open_bytes(std::string_view name, const std::string& bytes) {
  auto reader = FileReader::open(write_temp(name, bytes));
  EXPECT_TRUE(reader.ok());
  return std::move(reader).value();
}

TEST(ProtoReader, WalksScalarAndNestedFields) {
  std::string inner = pb::field_bytes(1, "name") + pb::field_varint(2, 300);
  std::string message = pb::field_varint(1, 7) + pb::field_bytes(7, inner) + pb::varint(3 << 3 | 5) +
                        "\x01\x02\x03\x04" + pb::field_varint(4, static_cast<uint64_t>(-2));
  auto file = open_bytes("proto_nested", message);
  ProtoReader reader(file, 0, file.size());

  auto first = reader.next();
  ASSERT_TRUE(first.ok() && first->has_value());
  EXPECT_EQ((*first)->number, 1u);
  EXPECT_EQ((*first)->value, 7u);

  auto second = reader.next();
  ASSERT_TRUE(second.ok() && second->has_value());
  EXPECT_EQ((*second)->wire_type, WireType::kLengthDelimited);
  ProtoReader nested = reader.message(**second);
  auto name = nested.next();
  ASSERT_TRUE(name.ok() && name->has_value());
  EXPECT_EQ(*nested.read_bytes(**name, 100), "name");
  auto number = nested.next();
  EXPECT_EQ((*number)->value, 300u);
  EXPECT_FALSE(nested.next()->has_value());

  auto fixed = reader.next();
  EXPECT_EQ((*fixed)->wire_type, WireType::kFixed32);
  EXPECT_EQ((*fixed)->value, 0x04030201u);
  auto negative = reader.next();
  EXPECT_EQ(static_cast<int64_t>((*negative)->value), -2);
  EXPECT_FALSE(reader.next()->has_value());
}

TEST(ProtoReader, RejectsALengthPastTheEndOfItsMessage) {
  auto file = open_bytes("proto_long", pb::varint(7 << 3 | 2) + pb::varint(1000) + "abc");
  ProtoReader reader(file, 0, file.size());
  EXPECT_TRUE(failed_with(reader.next(), "field 7 at byte 0 claims 1000 bytes, past the end of its message"));
}

TEST(ProtoReader, RejectsGroupsBadFieldNumbersAndOverlongVarints) {
  auto group = open_bytes("proto_group", pb::varint(2 << 3 | 3));
  EXPECT_TRUE(failed_with(ProtoReader(group, 0, group.size()).next(), "wire type 3"));
  auto zero = open_bytes("proto_zero", pb::field_varint(0, 1));
  EXPECT_TRUE(failed_with(ProtoReader(zero, 0, zero.size()).next(), "invalid field number 0"));
  auto overlong = open_bytes("proto_overlong", pb::varint(1 << 3) + std::string(11, '\xff'));
  EXPECT_TRUE(failed_with(ProtoReader(overlong, 0, overlong.size()).next(), "malformed varint at byte 1"));
  auto cut = open_bytes("proto_cut", pb::varint(1 << 3) + "\xff");
  EXPECT_TRUE(failed_with(ProtoReader(cut, 0, cut.size()).next(), "runs past the end of its message"));
}

TEST(ProtoReader, ReadBytesEnforcesTheLimit) {
  auto file = open_bytes("proto_limit", pb::field_bytes(2, std::string(50, 'x')));
  ProtoReader reader(file, 0, file.size());
  auto field = reader.next();
  ASSERT_TRUE(field.ok() && field->has_value());
  EXPECT_TRUE(failed_with(reader.read_bytes(**field, 10), "is 50 bytes long; the limit is 10"));
}

}  // namespace
}  // namespace maas::formats
