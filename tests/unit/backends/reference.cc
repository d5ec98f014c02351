// Reading reference.json and its raw arrays, and comparing tensors bitwise or within a tolerance.
#include "reference.h"

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <limits>
#include <sstream>

namespace maas::backends::testing {
namespace {

struct Loaded {
  bool should_fail = false;
  std::string why_not;
  std::unique_ptr<Reference> reference;
};

}  // namespace

const Reference* Reference::get(std::string* why_not, bool* should_fail) {
  static const Loaded loaded = [] {
    Loaded result;
    const char* dir = std::getenv("MAAS_FIXTURES_DIR");
    if (!dir || !*dir) {
      result.why_not =
          "MAAS_FIXTURES_DIR is unset; make the fixtures with tests/fixtures/make_models.py DIR and "
          "tests/fixtures/reference_outputs.py DIR, then set MAAS_FIXTURES_DIR=DIR";
      return result;
    }
    std::filesystem::path manifest = std::filesystem::path(dir) / "reference" / "reference.json";
    std::ifstream in(manifest);
    if (!in) {
      result.should_fail = true;
      result.why_not = "cannot read " + manifest.string() + "; run tests/fixtures/reference_outputs.py " + dir;
      return result;
    }
    result.reference.reset(new Reference());
    result.reference->fixtures_ = dir;
    try {
      result.reference->json_ = nlohmann::json::parse(in);
    } catch (const std::exception& e) {
      result.should_fail = true;
      result.why_not = manifest.string() + " is not JSON: " + e.what();
      result.reference.reset();
    }
    return result;
  }();
  *why_not = loaded.why_not;
  *should_fail = loaded.should_fail;
  return loaded.reference.get();
}

runtime::Tensor Reference::tensor(const nlohmann::json& entry, const std::string& name) const {
  runtime::Tensor tensor;
  tensor.name = name;
  tensor.shape = entry.at("shape").get<std::vector<int64_t>>();
  tensor.datatype = entry.at("dtype") == "int64" ? runtime::DataType::kInt64 : runtime::DataType::kFp32;
  std::ifstream in(fixtures_ / "reference" / entry.at("file").get<std::string>(), std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  tensor.data = runtime::Buffer::adopt(std::move(bytes));
  EXPECT_TRUE(runtime::validate_tensor(tensor).ok()) << entry.dump();
  return tensor;
}

double max_abs_difference(const runtime::Tensor& actual, const runtime::Tensor& expected) {
  if (actual.shape != expected.shape || actual.datatype != runtime::DataType::kFp32 ||
      expected.datatype != runtime::DataType::kFp32 || actual.data.size() != expected.data.size()) {
    return std::numeric_limits<double>::infinity();
  }
  double worst = 0;
  for (int64_t i = 0; i < expected.element_count(); ++i) {
    double a = actual.as<float>()[i];
    double b = expected.as<float>()[i];
    if (std::isnan(a) != std::isnan(b)) return std::numeric_limits<double>::infinity();
    if (!std::isnan(a)) worst = std::max(worst, std::abs(a - b));
  }
  return worst;
}

::testing::AssertionResult bitwise_equal(const runtime::Tensor& actual, const runtime::Tensor& expected) {
  if (actual.datatype != expected.datatype || actual.shape != expected.shape) {
    std::ostringstream out;
    out << "datatype/shape " << runtime::datatype_name(actual.datatype) << " " << nlohmann::json(actual.shape)
        << " != " << runtime::datatype_name(expected.datatype) << " " << nlohmann::json(expected.shape);
    return ::testing::AssertionFailure() << out.str();
  }
  if (actual.data.size() != expected.data.size()) return ::testing::AssertionFailure() << "byte sizes differ";
  size_t width = runtime::datatype_size(actual.datatype);
  for (size_t offset = 0; offset < actual.data.size(); offset += width) {
    if (std::memcmp(actual.data.data() + offset, expected.data.data() + offset, width) != 0) {
      auto failure = ::testing::AssertionFailure() << "element " << offset / width << " differs";
      if (actual.datatype == runtime::DataType::kFp32) {
        failure << ": " << actual.as<float>()[offset / width] << " vs " << expected.as<float>()[offset / width]
                << " (max abs difference " << max_abs_difference(actual, expected) << ")";
      }
      return failure;
    }
  }
  return ::testing::AssertionSuccess();
}

runtime::Tensor fp32_tensor(std::string name, std::vector<int64_t> shape, const std::vector<float>& values) {
  runtime::Tensor tensor;
  tensor.name = std::move(name);
  tensor.shape = std::move(shape);
  tensor.data = runtime::Buffer::copy_of(values.data(), values.size() * sizeof(float));
  return tensor;
}

}  // namespace maas::backends::testing
