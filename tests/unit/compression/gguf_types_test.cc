#include "compression/gguf_types.h"

#include <gtest/gtest.h>

namespace maas::compression {
namespace {

TEST(GgufTypes, FindsLlamaQuantizeNamesInAnyCase) {
  ASSERT_TRUE(find_gguf_type("Q8_0"));
  EXPECT_EQ(find_gguf_type("q8_0")->ftype, 7);
  EXPECT_STREQ(find_gguf_type("q4_k_m")->name, "Q4_K_M");
  EXPECT_EQ(find_gguf_type("Q4_K_M")->ftype, 15);
  EXPECT_EQ(find_gguf_type("f16")->ftype, 1);
}

TEST(GgufTypes, RefusesUnknownNamesAndTypesThatNeedAnImportanceMatrix) {
  EXPECT_FALSE(find_gguf_type("Q9_9"));
  EXPECT_FALSE(find_gguf_type(""));
  EXPECT_FALSE(find_gguf_type("Q8"));
  EXPECT_FALSE(find_gguf_type("IQ2_XXS"));
}

TEST(GgufTypes, NamesListEveryOfferedType) {
  const std::string names = gguf_type_names();
  for (const GgufType& type : gguf_types()) EXPECT_NE(names.find(type.name), std::string::npos) << type.name;
  EXPECT_EQ(names.rfind("F32, F16, BF16, Q8_0", 0), 0u);
}

}  // namespace
}  // namespace maas::compression
