// One request's raw columns through a fitted pipeline, as maas-worker runs it (features/serving/): 20 numeric
// columns standard-scaled and 5 text columns one-hot encoded, one row (and 16 rows, a dynamic batch). Run:
//   build/release/bin/maas-bench-features-serving
#include <benchmark/benchmark.h>

#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "features/serving/serving_pipeline.h"

namespace {
using maas::features::Column;
using maas::features::Pipeline;
using maas::features::ServingPipeline;
using maas::features::Table;
using maas::runtime::Buffer;
using maas::runtime::DataType;
using maas::runtime::Tensor;

constexpr int kNumeric = 20;
constexpr int kText = 5;
constexpr int kCategories = 8;

std::string numeric_name(int i) { return "x" + std::to_string(i); }
std::string text_name(int i) { return "c" + std::to_string(i); }

nlohmann::json spec() {
  nlohmann::json numeric = nlohmann::json::array();
  nlohmann::json text = nlohmann::json::array();
  for (int i = 0; i < kNumeric; ++i) numeric.push_back(numeric_name(i));
  for (int i = 0; i < kText; ++i) text.push_back(text_name(i));
  return {
      {"transformers",
       {{{"name", "num"}, {"columns", numeric}, {"steps", {{{"step", "StandardScaler"}}}}},
        {{"name", "cat"}, {"columns", text}, {"steps", {{{"step", "OneHotEncoder"}, {"handle_unknown", "ignore"}}}}}}}};
}

Table training_data(size_t rows) {
  std::mt19937_64 rng(7);
  std::normal_distribution<double> normal(3, 2);
  Table table;
  for (int i = 0; i < kNumeric; ++i) {
    std::vector<double> values(rows);
    for (auto& v : values) v = normal(rng);
    table.columns.push_back(Column::of_numbers(numeric_name(i), std::move(values)));
  }
  for (int i = 0; i < kText; ++i) {
    std::vector<std::optional<std::string>> values(rows);
    for (size_t r = 0; r < rows; ++r) values[r] = "category-" + std::to_string(rng() % kCategories);
    table.columns.push_back(Column::of_texts(text_name(i), std::move(values)));
  }
  return table;
}

// A request of `rows` rows: FP64 numbers and BYTES strings, as the protocol front end hands them over.
std::vector<Tensor> request(size_t rows) {
  std::vector<Tensor> tensors;
  for (int i = 0; i < kNumeric; ++i) {
    std::vector<double> values(rows, 1.5 + i);
    tensors.push_back({numeric_name(i),
                       DataType::kFp64,
                       {static_cast<int64_t>(rows)},
                       Buffer::copy_of(values.data(), values.size() * sizeof(double))});
  }
  for (int i = 0; i < kText; ++i) {
    std::string bytes;
    for (size_t r = 0; r < rows; ++r) {
      std::string value = "category-" + std::to_string((r + i) % kCategories);
      auto length = static_cast<uint32_t>(value.size());
      bytes.append(reinterpret_cast<const char*>(&length), 4);
      bytes += value;
    }
    tensors.push_back({text_name(i), DataType::kBytes, {static_cast<int64_t>(rows)}, Buffer::adopt(std::move(bytes))});
  }
  return tensors;
}

const ServingPipeline& fitted() {
  static const ServingPipeline kServing = [] {
    auto pipeline = Pipeline::from_spec(spec());
    if (!pipeline.ok() || !pipeline->fit(training_data(1000)).ok()) std::abort();
    auto loaded = ServingPipeline::load(spec(), pipeline->state());
    if (!loaded.ok() || !loaded->compiled()) std::abort();
    return std::move(*loaded);
  }();
  return kServing;
}

void request_to_model_input(benchmark::State& state) {
  const ServingPipeline& serving = fitted();
  const std::vector<Tensor> columns = request(static_cast<size_t>(state.range(0)));
  const maas::runtime::TensorSpec input{"input", DataType::kFp32, {-1, -1}};
  for (auto _ : state) {
    auto out = serving.to_model_input(columns, input);
    if (!out.ok()) state.SkipWithError(out.status().message().c_str());
    benchmark::DoNotOptimize(out);
  }
}
BENCHMARK(request_to_model_input)->Arg(1)->Arg(16);

void pipeline_transform(benchmark::State& state) {
  const ServingPipeline& serving = fitted();
  Table row = training_data(static_cast<size_t>(state.range(0)));
  for (auto _ : state) {
    auto out = serving.pipeline().transform(row);
    benchmark::DoNotOptimize(out);
  }
}
BENCHMARK(pipeline_transform)->Arg(1)->Arg(16);

}  // namespace

BENCHMARK_MAIN();
