#include "training/batch/prediction_columns.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

namespace maas::training::batch {
namespace {

using runtime::DataType;
using runtime::Tensor;

template <typename T>
Tensor tensor_of(std::string name, DataType datatype, std::vector<int64_t> shape, const std::vector<T>& values) {
  Tensor t;
  t.name = std::move(name);
  t.datatype = datatype;
  t.shape = std::move(shape);
  t.data = runtime::Buffer::copy_of(values.data(), values.size() * sizeof(T));
  return t;
}

TEST(PredictionColumns, OneOutputOfOneValuePerRowIsThePredictionColumn) {
  auto columns = prediction_columns({tensor_of<float>("output", DataType::kFp32, {3}, {0.25f, 0.5f, 1.0f})}, 3);
  ASSERT_TRUE(columns.ok()) << columns.status().message();
  ASSERT_EQ(columns->size(), 1u);
  EXPECT_EQ((*columns)[0].name, "prediction");
  EXPECT_FALSE((*columns)[0].integral);
  EXPECT_EQ((*columns)[0].numbers, (std::vector<double>{0.25, 0.5, 1.0}));
}

TEST(PredictionColumns, AMatrixOutputIsOneColumnPerClassAndSeveralOutputsKeepTheirNames) {
  auto columns = prediction_columns({tensor_of<float>("probs", DataType::kFp32, {2, 3}, {.1f, .2f, .7f, .6f, .3f, .1f}),
                                     tensor_of<int64_t>("label", DataType::kInt64, {2, 1}, {2, 0})},
                                    2);
  ASSERT_TRUE(columns.ok()) << columns.status().message();
  ASSERT_EQ(columns->size(), 4u);
  EXPECT_EQ((*columns)[0].name, "probs_0");
  EXPECT_EQ((*columns)[2].name, "probs_2");
  EXPECT_EQ((*columns)[2].numbers, (std::vector<double>{static_cast<double>(.7f), static_cast<double>(.1f)}));
  EXPECT_EQ((*columns)[3].name, "label");
  EXPECT_TRUE((*columns)[3].integral);
  EXPECT_EQ((*columns)[3].numbers, (std::vector<double>{2, 0}));
}

TEST(PredictionColumns, AnOutputThatIsNotPerRowOrNotNumericIsRefused) {
  EXPECT_FALSE(prediction_columns({tensor_of<float>("output", DataType::kFp32, {2}, {1, 2})}, 3).ok());
  Tensor text = tensor_of<char>("text", DataType::kBytes, {1}, {0, 0, 0, 0});
  auto refused = prediction_columns({text}, 1);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("numeric outputs only"), std::string::npos);
}

TEST(CodeFeatures, TextIsCodedByTheTrainingCategoriesAndUnseenValuesAreMissing) {
  features::Table raw;
  raw.columns.push_back(features::Column::of_numbers("x", {1.5, 2.5, 3.5}));
  raw.columns.push_back(features::Column::of_texts("city", {"Paris", std::nullopt, "Brest"}));
  auto coded = code_features({{"x", false, {}}, {"city", true, {"Lyon", "Paris"}}}, raw);
  ASSERT_TRUE(coded.ok()) << coded.status().message();
  EXPECT_EQ(coded->columns[0].numbers, (std::vector<double>{1.5, 2.5, 3.5}));
  const auto& city = coded->columns[1];
  ASSERT_EQ(city.type, features::ColumnType::kNumber);
  EXPECT_EQ(city.numbers[0], 1.0);
  EXPECT_TRUE(std::isnan(city.numbers[1]));
  EXPECT_TRUE(std::isnan(city.numbers[2]));
}

TEST(CodeFeatures, TextInANumericFeatureIsRefusedNamingIt) {
  features::Table raw;
  raw.columns.push_back(features::Column::of_texts("x", {"a"}));
  auto refused = code_features({{"x", false, {}}}, raw);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("'x'"), std::string::npos);
}

}  // namespace
}  // namespace maas::training::batch
