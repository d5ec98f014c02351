#include "features/serving/serving_pipeline.h"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstring>
#include <random>

#include "features/serving/raw_columns.h"

namespace maas::features {
namespace {

using nlohmann::json;
using runtime::Buffer;
using runtime::DataType;
using runtime::Tensor;
using runtime::TensorSpec;

json spec() {
  return json::parse(R"({"transformers": [
      {"name": "num", "columns": ["x", "n"], "steps": [{"step": "SimpleImputer"}, {"step": "StandardScaler"}]},
      {"name": "cat", "columns": ["c"], "steps": [{"step": "OneHotEncoder", "handle_unknown": "ignore"}]}]})");
}

Table training() {
  Table t;
  t.columns.push_back(Column::of_numbers("x", {1.5, 2.25, NAN, 4.0, 7.5}));
  Column n = Column::of_numbers("n", {3, 1, 4, 1, 5});
  n.integral = true;
  t.columns.push_back(n);
  t.columns.push_back(Column::of_texts("c", {"a", "b", "a", "c", "b"}));
  return t;
}

template <typename T>
Tensor numbers(const std::string& name, std::vector<T> values, std::vector<int64_t> shape, DataType type) {
  return {name, type, std::move(shape), Buffer::copy_of(values.data(), values.size() * sizeof(T))};
}

Tensor texts(const std::string& name, const std::vector<std::string>& values) {
  std::string bytes;
  for (const auto& v : values) {
    auto length = static_cast<uint32_t>(v.size());
    bytes.append(reinterpret_cast<const char*>(&length), 4);
    bytes += v;
  }
  return {name, DataType::kBytes, {static_cast<int64_t>(values.size())}, Buffer::adopt(std::move(bytes))};
}

Tensor texts_tensor(const std::vector<std::string>& values) { return texts("c", values); }

struct Fitted {
  Pipeline offline;
  ServingPipeline serving;
};

Fitted fit() {
  auto pipeline = Pipeline::from_spec(spec());
  EXPECT_TRUE(pipeline.ok());
  EXPECT_TRUE(pipeline->fit(training()).ok());
  auto serving = ServingPipeline::load(spec(), pipeline->state());
  EXPECT_TRUE(serving.ok()) << serving.status().message();
  return {std::move(*pipeline), std::move(*serving)};
}

TEST(ServingPipeline, RequestColumnsGiveTheOfflineFeaturesAsTheModelsDatatype) {
  Fitted f = fit();
  // The offline transform of the same rows, in doubles.
  Table rows;
  rows.columns.push_back(Column::of_numbers("x", {2.0, NAN, 9.125}));
  rows.columns.push_back(Column::of_numbers("n", {7, 1, 2}));
  rows.columns.push_back(Column::of_texts("c", {"b", "zzz", "a"}));
  auto offline = f.offline.transform(rows);
  ASSERT_TRUE(offline.ok());
  // The same rows as a request: FP32 where exact, INT32 for the integers, [N, 1] for the text, any order.
  std::vector<Tensor> request = {texts("c", {"b", "zzz", "a"}), numbers<int32_t>("n", {7, 1, 2}, {3}, DataType::kInt32),
                                 numbers<float>("x", {2.0F, NAN, 9.125F}, {3, 1}, DataType::kFp32)};
  request[0].shape = {3, 1};
  for (DataType type : {DataType::kFp32, DataType::kFp64}) {
    auto input = f.serving.to_model_input(request, TensorSpec{"input", type, {-1, 5}});
    ASSERT_TRUE(input.ok()) << input.status().message();
    EXPECT_EQ(input->name, "input");
    EXPECT_EQ(input->shape, (std::vector<int64_t>{3, 5}));
    for (size_t r = 0; r < 3; ++r) {
      for (size_t c = 0; c < 5; ++c) {
        double want = offline->columns[c].numbers[r];
        double got = type == DataType::kFp64 ? input->as<double>()[r * 5 + c] : input->as<float>()[r * 5 + c];
        if (type == DataType::kFp32) want = static_cast<float>(want);
        EXPECT_EQ(std::bit_cast<uint64_t>(want), std::bit_cast<uint64_t>(got)) << "row " << r << " column " << c;
      }
    }
  }
  // The unseen category "zzz" is all zeros (handle_unknown: ignore).
  auto input = f.serving.to_model_input(request, TensorSpec{"input", DataType::kFp64, {-1, 5}});
  EXPECT_EQ(input->as<double>()[5 + 2] + input->as<double>()[5 + 3] + input->as<double>()[5 + 4], 0.0);
}

TEST(ServingPipeline, BadColumnsAreErrorsNamingThem) {
  Fitted f = fit();
  const TensorSpec model{"input", DataType::kFp32, {-1, 5}};
  auto error = [&](const std::vector<Tensor>& request) {
    auto out = f.serving.to_model_input(request, model);
    return out.ok() ? std::string() : out.status().message();
  };
  auto x = numbers<double>("x", {1.0}, {1}, DataType::kFp64);
  auto n = numbers<int64_t>("n", {1}, {1}, DataType::kInt64);
  auto c = texts("c", {"a"});
  EXPECT_NE(error({x, n}).find("missing input column 'c'"), std::string::npos);
  EXPECT_NE(error({x, n, numbers<float>("c", {1.0F}, {1}, DataType::kFp32)}).find("'c' is a text column"),
            std::string::npos);
  EXPECT_NE(error({texts("x", {"1"}), n, c}).find("'x' is a number column"), std::string::npos);
  EXPECT_NE(error({numbers<double>("x", {1.0, 2.0}, {1, 2}, DataType::kFp64), n, c}).find("'x' must be one column"),
            std::string::npos);
  EXPECT_NE(error({numbers<double>("x", {1.0, 2.0}, {2}, DataType::kFp64), n, c}).find("'n' has 1 rows, 'x' has 2"),
            std::string::npos);
  EXPECT_NE(error({numbers<double>("x", {INFINITY}, {1}, DataType::kFp64), n, c}).find("'x'"), std::string::npos);
  EXPECT_EQ(error({x, n, c}), "");
}

TEST(ServingPipeline, ChecksTheModelTakesItsOutput) {
  Fitted f = fit();
  runtime::ModelSignature model;
  model.inputs = {{"input", DataType::kFp32, {-1, 5}}};
  EXPECT_TRUE(f.serving.check_model(model).ok());
  model.inputs = {{"input", DataType::kFp32, {-1, 4}}};
  EXPECT_NE(f.serving.check_model(model).message().find("outputs 5 columns"), std::string::npos);
  model.inputs = {{"input", DataType::kInt64, {-1, 5}}};
  EXPECT_NE(f.serving.check_model(model).message().find("FP32 or FP64"), std::string::npos);
  model.inputs = {{"a", DataType::kFp32, {-1, 5}}, {"b", DataType::kFp32, {-1, 5}}};
  EXPECT_NE(f.serving.check_model(model).message().find("exactly one input"), std::string::npos);
  model.inputs = {{"features", DataType::kFp32, {-1}, /*shape_known=*/false}};
  EXPECT_TRUE(f.serving.check_model(model).ok());
  runtime::ModelSignature seen = f.serving.client_signature(model);
  ASSERT_EQ(seen.inputs.size(), 3U);
  EXPECT_EQ(seen.inputs[0].name, "x");
  EXPECT_EQ(seen.inputs[0].datatype, DataType::kFp64);
  EXPECT_EQ(seen.inputs[2].datatype, DataType::kBytes);
  EXPECT_TRUE(seen.inputs[2].raw_column);
}

}  // namespace
}  // namespace maas::features

namespace maas::features {
namespace {

// Random rows (NaNs, categories seen and unseen) through the fast form and through Pipeline::transform.
void expect_fast_form_equals_transform(const json& spec, bool compiled) {
  std::mt19937_64 rng(11);
  std::normal_distribution<double> normal(2, 3);
  const std::vector<std::string> seen = {"a", "b", "b", "c", "c", "c", "d", "d", "d", "d"};
  auto rows = [&](size_t count, bool unseen) {
    Table t;
    std::vector<double> x(count), y(count);
    std::vector<std::optional<std::string>> c(count);
    for (size_t r = 0; r < count; ++r) {
      x[r] = r % 5 == 0 ? NAN : normal(rng);
      y[r] = normal(rng);
      c[r] = unseen && r % 4 == 0 ? "zz" : seen[rng() % seen.size()];
    }
    t.columns.push_back(Column::of_numbers("x", x));
    t.columns.push_back(Column::of_numbers("y", y));
    t.columns.push_back(Column::of_texts("c", c));
    return t;
  };
  auto pipeline = Pipeline::from_spec(spec);
  ASSERT_TRUE(pipeline.ok()) << pipeline.status().message();
  ASSERT_TRUE(pipeline->fit(rows(200, false)).ok());
  auto serving = ServingPipeline::load(spec, pipeline->state());
  ASSERT_TRUE(serving.ok()) << serving.status().message();
  EXPECT_EQ(serving->compiled(), compiled);
  Table request = rows(64, true);
  auto offline = pipeline->transform(request);
  ASSERT_TRUE(offline.ok()) << offline.status().message();
  std::vector<std::string> texts;
  for (const auto& v : request.columns[2].texts) texts.push_back(*v);
  std::vector<Tensor> tensors = {numbers<double>("x", request.columns[0].numbers, {64}, DataType::kFp64),
                                 numbers<double>("y", request.columns[1].numbers, {64}, DataType::kFp64),
                                 texts_tensor(texts)};
  const size_t width = offline->columns.size();
  // The fast form itself answers (not transform behind it) exactly when the pipeline compiles.
  auto program =
      RowProgram::compile(spec, pipeline->state(),
                          {{"x", ColumnType::kNumber}, {"y", ColumnType::kNumber}, {"c", ColumnType::kText}}, width);
  ASSERT_EQ(program.has_value(), compiled);
  if (program) {
    ASSERT_TRUE(program->run(tensors, TensorSpec{"input", DataType::kFp64, {-1, -1}}).has_value());
  }
  auto input = serving->to_model_input(tensors, TensorSpec{"input", DataType::kFp64, {-1, -1}});
  ASSERT_TRUE(input.ok()) << input.status().message();
  ASSERT_EQ(input->shape, (std::vector<int64_t>{64, static_cast<int64_t>(width)}));
  for (size_t r = 0; r < 64; ++r) {
    for (size_t c = 0; c < width; ++c) {
      const double want = offline->columns[c].numbers[r];
      const double got = input->as<double>()[r * width + c];
      EXPECT_EQ(std::bit_cast<uint64_t>(want), std::bit_cast<uint64_t>(got))
          << "row " << r << " column " << c << ": " << got;
    }
  }
}

TEST(ServingPipelineFastForm, EqualsTransformBitForBit) {
  expect_fast_form_equals_transform(json::parse(R"({"transformers": [
      {"name": "num", "columns": ["x"], "steps": [{"step": "SimpleImputer", "strategy": "median"},
                                                 {"step": "RobustScaler"}, {"step": "MaxAbsScaler"}]},
      {"name": "cat", "columns": ["c"], "steps": [{"step": "OneHotEncoder", "handle_unknown": "infrequent_if_exist",
                                                  "min_frequency": 0.15, "drop": "first"}]}],
      "remainder": "passthrough"})"),
                                    true);
  expect_fast_form_equals_transform(json::parse(R"({"transformers": [
      {"name": "num", "columns": ["y", "x"], "steps": [{"step": "StandardScaler", "with_mean": false}]},
      {"name": "cat", "columns": ["c"], "steps": [{"step": "OneHotEncoder", "handle_unknown": "ignore"}]},
      {"name": "raw", "columns": ["x"], "steps": []}]})"),
                                    true);
}

TEST(ServingPipelineFastForm, OtherStepsAndRefusedValuesGoThroughTransform) {
  // MinMaxScaler has no fast form: the whole pipeline is served by transform, with the same answers.
  expect_fast_form_equals_transform(json::parse(R"({"transformers": [
      {"name": "num", "columns": ["x", "y"], "steps": [{"step": "SimpleImputer"}, {"step": "MinMaxScaler"}]},
      {"name": "cat", "columns": ["c"], "steps": [{"step": "OneHotEncoder", "handle_unknown": "ignore"}]}]})"),
                                    false);
  // An unseen category under handle_unknown: error, and infinity: transform's errors, naming the column.
  json spec = json::parse(R"({"transformers": [
      {"name": "num", "columns": ["x"], "steps": [{"step": "StandardScaler"}]},
      {"name": "cat", "columns": ["c"], "steps": [{"step": "OneHotEncoder"}]}]})");
  auto pipeline = Pipeline::from_spec(spec);
  Table t;
  t.columns.push_back(Column::of_numbers("x", {1, 2, 3}));
  t.columns.push_back(Column::of_texts("c", {"a", "b", "a"}));
  ASSERT_TRUE(pipeline->fit(t).ok());
  auto serving = ServingPipeline::load(spec, pipeline->state());
  ASSERT_TRUE(serving.ok() && serving->compiled());
  const TensorSpec model{"input", DataType::kFp32, {-1, 3}};
  auto unseen =
      serving->to_model_input({numbers<double>("x", {1.0}, {1}, DataType::kFp64), texts_tensor({"q"})}, model);
  ASSERT_FALSE(unseen.ok());
  EXPECT_NE(unseen.status().message().find("'c'"), std::string::npos) << unseen.status().message();
  auto infinite =
      serving->to_model_input({numbers<double>("x", {INFINITY}, {1}, DataType::kFp64), texts_tensor({"a"})}, model);
  ASSERT_FALSE(infinite.ok());
  EXPECT_NE(infinite.status().message().find("'x'"), std::string::npos) << infinite.status().message();
}

}  // namespace
}  // namespace maas::features
