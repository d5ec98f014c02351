#include "metrics/metrics.h"

#include <gtest/gtest.h>

namespace maas::metrics {
namespace {

TEST(Metrics, RendersThePrometheusTextFormat) {
  Registry r;
  auto& c = r.counter("maas_test_requests_total", "Requests", {"model", "code"});
  c.with({"iris", "200"}).inc();
  c.with({"iris", "200"}).inc(2);
  auto& h = r.histogram("maas_test_duration_seconds", "Latency", {"model"}, {0.1, 1});
  h.with({"iris"}).observe(0.05);
  h.with({"iris"}).observe(0.5);
  h.with({"iris"}).observe(5);
  r.gauge("maas_test_depth", "Depth", {}).with({}).set(3);
  std::string text = r.render();
  EXPECT_NE(text.find("# TYPE maas_test_requests_total counter\n"), std::string::npos);
  EXPECT_NE(text.find("maas_test_requests_total{model=\"iris\",code=\"200\"} 3\n"), std::string::npos);
  EXPECT_NE(text.find("maas_test_duration_seconds_bucket{model=\"iris\",le=\"0.1\"} 1\n"), std::string::npos);
  EXPECT_NE(text.find("maas_test_duration_seconds_bucket{model=\"iris\",le=\"1\"} 2\n"), std::string::npos);
  EXPECT_NE(text.find("maas_test_duration_seconds_bucket{model=\"iris\",le=\"+Inf\"} 3\n"), std::string::npos);
  EXPECT_NE(text.find("maas_test_duration_seconds_count{model=\"iris\"} 3\n"), std::string::npos);
  EXPECT_NE(text.find("maas_test_depth 3\n"), std::string::npos);
}

TEST(Metrics, EscapesLabelValues) {
  Registry r;
  r.counter("maas_x_total", "X", {"v"}).with({"a\"b\\c\nd"}).inc();
  EXPECT_NE(r.render().find("maas_x_total{v=\"a\\\"b\\\\c\\nd\"} 1"), std::string::npos);
}

}  // namespace
}  // namespace maas::metrics
