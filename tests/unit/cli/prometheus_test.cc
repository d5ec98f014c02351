#include "cli/prometheus.h"

#include <gtest/gtest.h>

#include <cmath>

namespace maas::cli {
namespace {

constexpr std::string_view kText = R"(# HELP maas_worker_resident_memory_bytes Resident memory of each worker process
# TYPE maas_worker_resident_memory_bytes gauge
maas_worker_resident_memory_bytes{model="m",version="1",instance="0"} 12345678
maas_worker_resident_memory_bytes{model="m",version="1",instance="1"} 1.5e+07
maas_worker_resident_memory_bytes_total{model="m",version="1"} 99
maas_worker_resident_memory_bytes{model="a \"quoted\" \\ name",version="2",instance="0",} 7 1700000000000
maas_worker_resident_memory_bytes{model="broken,version="1"} 5
maas_worker_resident_memory_bytes{model="m",version="3",instance="0"} not-a-number
maas_worker_resident_memory_bytes NaN
maas_worker_cpu_seconds{model="m",version="1",instance="0"} 3.5
)";

TEST(ParseMetricSamples, ReadsTheSamplesOfOneMetric) {
  const auto samples = parse_metric_samples(kText, "maas_worker_resident_memory_bytes");
  ASSERT_EQ(samples.size(), 4u);
  EXPECT_EQ(samples[0].labels,
            (std::map<std::string, std::string>{{"model", "m"}, {"version", "1"}, {"instance", "0"}}));
  EXPECT_EQ(samples[0].value, 12345678);
  EXPECT_EQ(samples[1].labels.at("instance"), "1");
  EXPECT_EQ(samples[1].value, 1.5e7);
  // Escaped label values, a trailing comma and a timestamp.
  EXPECT_EQ(samples[2].labels.at("model"), "a \"quoted\" \\ name");
  EXPECT_EQ(samples[2].value, 7);
  EXPECT_TRUE(samples[3].labels.empty());
  EXPECT_TRUE(std::isnan(samples[3].value));
}

TEST(ParseMetricSamples, FindsNothingInOtherText) {
  EXPECT_TRUE(parse_metric_samples("", "x").empty());
  EXPECT_TRUE(parse_metric_samples("<html>nope</html>", "x").empty());
  EXPECT_EQ(parse_metric_samples("x{a=\"1\"} +Inf\r\nx -Inf", "x").size(), 2u);
}

}  // namespace
}  // namespace maas::cli
