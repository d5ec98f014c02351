#include "runtime/batching.h"

#include <gtest/gtest.h>

#include <cstring>

namespace maas::runtime {
namespace {

Tensor fp32(const std::string& name, std::vector<int64_t> shape, std::vector<float> values) {
  Tensor t;
  t.name = name;
  t.datatype = DataType::kFp32;
  t.shape = std::move(shape);
  t.data = Buffer::copy_of(values.data(), values.size() * sizeof(float));
  return t;
}

std::vector<float> floats(const Tensor& t) {
  std::vector<float> out(t.data.size() / sizeof(float));
  std::memcpy(out.data(), t.data.data(), t.data.size());
  return out;
}

TEST(Batching, KeysSeparateIncompatibleRequests) {
  ExecuteRequest a{{fp32("x", {1, 2}, {1, 2})}, {}, {}};
  ExecuteRequest b{{fp32("x", {3, 2}, {1, 2, 3, 4, 5, 6})}, {}, {}};
  ExecuteRequest c{{fp32("x", {1, 3}, {1, 2, 3})}, {}, {}};
  ExecuteRequest d{{fp32("x", {1, 2}, {1, 2})}, {}, {{"output", "margin"}}};
  EXPECT_EQ(batch_key(a), batch_key(b));  // rows may differ
  EXPECT_NE(batch_key(a), batch_key(c));  // other non-batch dims
  EXPECT_NE(batch_key(a), batch_key(d));  // other parameters
}

TEST(Batching, ConcatenatesAndSplitsBackExactly) {
  ExecuteRequest a{{fp32("x", {1, 2}, {1, 2})}, {}, {}};
  ExecuteRequest b{{fp32("x", {2, 2}, {3, 4, 5, 6})}, {}, {}};
  auto joined = concat_requests({&a, &b}, 3);
  ASSERT_EQ(joined.inputs.size(), 1u);
  EXPECT_EQ(joined.inputs[0].shape, (std::vector<int64_t>{3, 2}));
  EXPECT_EQ(floats(joined.inputs[0]), (std::vector<float>{1, 2, 3, 4, 5, 6}));
  // Pretend the model doubled its input.
  auto parts = split_outputs({fp32("y", {3, 2}, {2, 4, 6, 8, 10, 12})}, {1, 2});
  ASSERT_TRUE(parts.ok());
  EXPECT_EQ((*parts)[0][0].shape, (std::vector<int64_t>{1, 2}));
  EXPECT_EQ(floats((*parts)[0][0]), (std::vector<float>{2, 4}));
  EXPECT_EQ(floats((*parts)[1][0]), (std::vector<float>{6, 8, 10, 12}));
}

TEST(Batching, SplitsBytesTensorsByElements) {
  std::string bytes;
  for (std::string s : {"a", "bb", "ccc"}) {
    uint32_t n = static_cast<uint32_t>(s.size());
    bytes.append(reinterpret_cast<const char*>(&n), 4);
    bytes += s;
  }
  Tensor t;
  t.name = "s";
  t.datatype = DataType::kBytes;
  t.shape = {3};
  t.data = Buffer::adopt(bytes);
  auto parts = split_outputs({t}, {2, 1});
  ASSERT_TRUE(parts.ok());
  EXPECT_EQ((*parts)[0][0].data.size(), 4u + 1 + 4 + 2);
  EXPECT_EQ((*parts)[1][0].data.size(), 4u + 3);
}

TEST(Batching, RefusesOutputsWithoutTheBatchDimension) {
  auto parts = split_outputs({fp32("y", {2}, {1, 2})}, {1, 2});
  EXPECT_EQ(parts.status().code(), StatusCode::kInternal);
  ExecuteRequest mismatched{{fp32("a", {1, 1}, {1}), fp32("b", {2, 1}, {1, 2})}, {}, {}};
  EXPECT_EQ(batch_rows(mismatched).status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace maas::runtime
