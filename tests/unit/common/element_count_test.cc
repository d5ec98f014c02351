#include "common/element_count.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

namespace maas {
namespace {

using Shape = std::vector<int64_t>;

TEST(ElementCount, MultipliesTheDimensions) {
  EXPECT_EQ(element_count(Shape{}), 1u);
  EXPECT_EQ(element_count(Shape{2, 3, 4}), 24u);
  EXPECT_EQ(element_count(Shape{0, 7}), 0u);
  // Empty whatever the other dimensions multiply to, wherever the 0 is.
  EXPECT_EQ(element_count(Shape{int64_t{1} << 40, int64_t{1} << 40, 0}), 0u);
  EXPECT_FALSE(element_count(Shape{0, -1}));
  EXPECT_EQ(element_count(Shape{INT64_MAX}), static_cast<uint64_t>(INT64_MAX));
}

TEST(ElementCount, RefusesNegativeDimensionsAndOverflow) {
  EXPECT_FALSE(element_count(Shape{-1, 3}));
  EXPECT_FALSE(element_count(Shape{int64_t{1} << 32, int64_t{1} << 32}));
  // Wraps to exactly 0 in 64-bit arithmetic: must not read as an empty tensor.
  EXPECT_FALSE(element_count(Shape{int64_t{1} << 32, int64_t{1} << 32, int64_t{1} << 32}));
  EXPECT_FALSE(element_count(Shape{INT64_MAX, 2}));
  EXPECT_FALSE(element_count(Shape{3, INT64_MAX / 2}));
  EXPECT_EQ(element_count(Shape{2, INT64_MAX / 2}), static_cast<uint64_t>(INT64_MAX - 1));
}

TEST(ElementCount, ClaimedElementsCountZeroAndVariableDimensionsAsOne) {
  EXPECT_EQ(claimed_elements(Shape{-1, 2147483647, 16}), uint64_t{2147483647} * 16);
  EXPECT_EQ(claimed_elements(Shape{0, int64_t{1} << 40}), uint64_t{1} << 40);
  EXPECT_EQ(claimed_elements(Shape{-1}), 1u);
  EXPECT_EQ(claimed_elements(Shape{}), 1u);
  EXPECT_FALSE(claimed_elements(Shape{0, int64_t{1} << 32, int64_t{1} << 32}));
}

TEST(ElementCount, DeclaredInputsOverTheLimitAreNamedWithTheirShapeAndTheLimit) {
  EXPECT_TRUE(check_declared_input("x", Shape{-1, 4}, 4).ok());
  EXPECT_TRUE(check_declared_input("x", Shape{-1, 16384, 16384}, kDefaultMaxTensorElements).ok());
  Status s = check_declared_input("x", Shape{-1, 2147483647, 16}, kDefaultMaxTensorElements);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(),
            "input 'x' declares shape [-1,2147483647,16]: 34359738352 elements per row, over the limit of 268435456 "
            "(limits.max_tensor_elements); no request or warm-up could be that large");
  s = check_declared_input("big", Shape{int64_t{1} << 40, int64_t{1} << 40}, kDefaultMaxTensorElements);
  EXPECT_EQ(s.message(),
            "input 'big' declares shape [1099511627776,1099511627776]: more than 2^63 elements per row, over the "
            "limit of 268435456 (limits.max_tensor_elements); no request or warm-up could be that large");
}

}  // namespace
}  // namespace maas
