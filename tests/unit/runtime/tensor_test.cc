#include "runtime/tensor.h"

#include <gtest/gtest.h>

namespace maas::runtime {
namespace {

TEST(Tensor, DatatypeNamesRoundTrip) {
  for (const char* name : {"BOOL", "UINT8", "UINT16", "UINT32", "UINT64", "INT8", "INT16", "INT32", "INT64", "FP16",
                           "FP32", "FP64", "BYTES"}) {
    auto t = parse_datatype(name);
    ASSERT_TRUE(t.has_value()) << name;
    EXPECT_EQ(datatype_name(*t), name);
  }
  EXPECT_FALSE(parse_datatype("FP31").has_value());
  EXPECT_EQ(datatype_size(DataType::kFp16), 2u);
}

TEST(Tensor, ValidationChecksBytesAgainstShape) {
  Tensor t;
  t.name = "x";
  t.shape = {2, 2};
  t.data = Buffer::adopt(std::string(16, '\0'));
  EXPECT_TRUE(validate_tensor(t).ok());
  t.shape = {2, 3};
  EXPECT_FALSE(validate_tensor(t).ok());
  Tensor s;
  s.name = "s";
  s.datatype = DataType::kBytes;
  s.shape = {1};
  s.data = Buffer::adopt(std::string("\x05\x00\x00\x00hi", 6));  // claims 5 bytes, has 2
  EXPECT_FALSE(validate_tensor(s).ok());
}

TEST(Tensor, ValidationRefusesShapesWhoseElementCountOverflows) {
  // 2^32 * 2^32 * 2^32 wraps to 0: an empty buffer must not pass for it.
  Tensor t;
  t.name = "x";
  t.datatype = DataType::kUint8;
  t.shape = {int64_t{1} << 32, int64_t{1} << 32, int64_t{1} << 32};
  EXPECT_EQ(t.element_count(), -1);
  EXPECT_FALSE(validate_tensor(t).ok());
  // 2^62 FP32 elements need 2^64 bytes, which wraps to 0 as well.
  t.datatype = DataType::kFp32;
  t.shape = {int64_t{1} << 62};
  EXPECT_FALSE(validate_tensor(t).ok());
}

TEST(Tensor, SlicesShareTheirOwner) {
  Buffer whole = Buffer::adopt(std::string("abcdef"));
  Buffer part = whole.slice(2, 3);
  whole = Buffer();
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(part.data()), part.size()), "cde");
}

}  // namespace
}  // namespace maas::runtime
