// The in-process floor for bench/run.sh: one thread calling libxgboost's XGBoosterPredictFromDense on one row in a
// loop, with the same array interface and predict config as maasd's XGBoost backend, and no HTTP, JSON or IPC.
//
// Build: g++ -O2 -std=c++20 bench/inprocess_xgboost.cc -lxgboost -o inprocess_xgboost
// Run:   inprocess_xgboost MODEL.json SECONDS 'v1,v2,...'   (the row; prints one BENCH_RESULT JSON line)
#include <xgboost/c_api.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <sstream>
#include <string>
#include <vector>

namespace {

void check(int rc, const char* what) {
  if (rc != 0) {
    std::fprintf(stderr, "inprocess_xgboost: %s: %s\n", what, XGBGetLastError());
    std::exit(1);
  }
}

std::vector<float> parse_row(const std::string& text) {
  std::vector<float> row;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ',')) row.push_back(std::stof(item));
  return row;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: inprocess_xgboost MODEL.json SECONDS 'v1,v2,...'\n");
    return 2;
  }
  const double seconds = std::atof(argv[2]);
  std::vector<float> row = parse_row(argv[3]);

  BoosterHandle booster = nullptr;
  check(XGBoosterCreate(nullptr, 0, &booster), "create");
  check(XGBoosterLoadModel(booster, argv[1]), "load");
  check(XGBoosterSetParam(booster, "nthread", "1"), "nthread");
  bst_ulong num_feature = 0;
  check(XGBoosterGetNumFeature(booster, &num_feature), "num_feature");
  if (row.size() != num_feature) {
    std::fprintf(stderr, "inprocess_xgboost: the row has %zu values, the model takes %lu\n", row.size(),
                 static_cast<unsigned long>(num_feature));
    return 2;
  }

  // The same strings maasd's backend builds for a [1, num_feature] FP32 input (it builds them per request).
  const std::string array_interface = "{\"data\": [" + std::to_string(reinterpret_cast<uintptr_t>(row.data())) +
                                      ", true], \"shape\": [1, " + std::to_string(num_feature) +
                                      "], \"typestr\": \"<f4\", \"version\": 3}";
  const char* predict_config =
      R"({"type": 0, "training": false, "iteration_begin": 0, "iteration_end": 0, "strict_shape": false, )"
      R"("cache_id": 0, "missing": NaN})";

  using Clock = std::chrono::steady_clock;
  std::vector<uint32_t> latencies_ns;
  latencies_ns.reserve(1 << 22);
  float last = 0;
  const std::clock_t cpu_start = std::clock();
  const auto start = Clock::now();
  const auto end = start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
  auto now = start;
  while (now < end) {
    const bst_ulong* shape = nullptr;
    bst_ulong dim = 0;
    const float* result = nullptr;
    check(XGBoosterPredictFromDense(booster, array_interface.c_str(), predict_config, nullptr, &shape, &dim, &result),
          "predict");
    last = result[0];
    const auto after = Clock::now();
    latencies_ns.push_back(
        static_cast<uint32_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(after - now).count()));
    now = after;
  }
  const double elapsed = std::chrono::duration<double>(now - start).count();
  const double cpu_seconds = static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC;
  std::sort(latencies_ns.begin(), latencies_ns.end());
  auto pct = [&](double p) {
    size_t i = std::min(latencies_ns.size() - 1, static_cast<size_t>(p / 100.0 * latencies_ns.size()));
    return latencies_ns[i] / 1000.0;
  };
  std::printf(
      "BENCH_RESULT {\"requests\": %zu, \"seconds\": %.3f, \"rps\": %.1f, \"server_cpu_s\": %.2f, "
      "\"prediction\": %.9g, "
      "\"latency_us\": {\"p50\": %.2f, \"p90\": %.2f, \"p99\": %.2f, \"p999\": %.2f, \"max\": %.2f}}\n",
      latencies_ns.size(), elapsed, latencies_ns.size() / elapsed, cpu_seconds, last, pct(50), pct(90), pct(99),
      pct(99.9), latencies_ns.back() / 1000.0);
  XGBoosterFree(booster);
  return 0;
}
