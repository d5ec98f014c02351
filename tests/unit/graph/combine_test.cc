#include "graph/combine.h"

#include <gtest/gtest.h>

namespace maas::graph {
namespace {
using runtime::DataType;
using runtime::Tensor;

template <typename T>
Tensor tensor(std::vector<int64_t> shape, std::vector<T> values, DataType type) {
  Tensor t;
  t.name = "out";
  t.datatype = type;
  t.shape = std::move(shape);
  t.data = runtime::Buffer::copy_of(values.data(), values.size() * sizeof(T));
  return t;
}
Tensor fp32(std::vector<int64_t> shape, std::vector<float> v) { return tensor(std::move(shape), v, DataType::kFp32); }

template <typename T>
std::vector<T> values(const Tensor& t) {
  return std::vector<T>(t.as<T>(), t.as<T>() + t.element_count());
}

TEST(Combine, AveragesWithWeightsInDoubleRoundedOnce) {
  std::vector<Part> parts = {{"a", fp32({1, 2}, {0.1f, 0.9f}), 1}, {"b", fp32({1, 2}, {0.7f, 0.3f}), 3}};
  auto out = average(parts, "p");
  ASSERT_TRUE(out.ok()) << out.status().message();
  EXPECT_EQ(out->name, "p");
  EXPECT_EQ(out->datatype, DataType::kFp32);
  auto v = values<float>(*out);
  EXPECT_EQ(v[0], static_cast<float>((1.0 * double(0.1f) + 3.0 * double(0.7f)) / 4.0));
  EXPECT_EQ(v[1], static_cast<float>((1.0 * double(0.9f) + 3.0 * double(0.3f)) / 4.0));
}

TEST(Combine, AverageRefusesDifferentShapesNamingTheStep) {
  std::vector<Part> parts = {{"a", fp32({1, 2}, {0, 1}), 1}, {"b", fp32({2, 1}, {0, 1}), 1}};
  auto out = average(parts, "p");
  ASSERT_FALSE(out.ok());
  EXPECT_NE(out.status().message().find("step 'b'"), std::string::npos);
}

TEST(Combine, VotesByArgmaxOrLabelAndTiesGoToTheSmallestLabel) {
  std::vector<Part> parts = {{"scores", fp32({2, 3}, {0.1f, 0.8f, 0.1f, 0.5f, 0.2f, 0.3f}), 1},  // labels 1, 0
                             {"labels", tensor<int64_t>({2}, {2, 2}, DataType::kInt64), 1},      // labels 2, 2
                             {"again", fp32({2, 1}, {1.0f, 2.0f}), 1}};                          // labels 1, 2
  auto out = vote(parts, "label");
  ASSERT_TRUE(out.ok()) << out.status().message();
  EXPECT_EQ(out->datatype, DataType::kInt64);
  EXPECT_EQ(values<int64_t>(*out), (std::vector<int64_t>{1, 2}));
  std::vector<Part> tie = {{"a", fp32({1}, {3}), 1}, {"b", fp32({1}, {1}), 1}};
  EXPECT_EQ(values<int64_t>(*vote(tie, "l")), (std::vector<int64_t>{1}));
  std::vector<Part> weighted = {{"a", fp32({1}, {3}), 2}, {"b", fp32({1}, {1}), 1}};
  EXPECT_EQ(values<int64_t>(*vote(weighted, "l")), (std::vector<int64_t>{3}));
  std::vector<Part> fractional = {{"a", fp32({1}, {0.5f}), 1}};
  EXPECT_FALSE(vote(fractional, "l").ok());
}

TEST(Combine, StacksSideBySide) {
  std::vector<Part> parts = {{"a", fp32({2}, {1, 2}), 1}, {"b", fp32({2, 2}, {3, 4, 5, 6}), 1}};
  auto out = stack(parts, "s");
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->shape, (std::vector<int64_t>{2, 3}));
  EXPECT_EQ(values<float>(*out), (std::vector<float>{1, 3, 4, 2, 5, 6}));
  std::vector<Part> rows = {{"a", fp32({2}, {1, 2}), 1}, {"b", fp32({3}, {1, 2, 3}), 1}};
  EXPECT_FALSE(stack(rows, "s").ok());
}

}  // namespace
}  // namespace maas::graph
