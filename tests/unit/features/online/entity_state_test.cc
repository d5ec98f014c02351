// The online running state against the offline computation (timeseries::compute_features) on random series:
// every row's features, bit for bit, with NaNs, repeated values, equal times and gaps longer than time windows.
#include "features/online/entity_state.h"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <random>

#include "features/online/feature_view.h"
#include "features/timeseries/compute.h"

namespace maas::features::online {
namespace {

using nlohmann::json;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

json all_features() {
  json f = json::array();
  auto add = [&f](json feature) { f.push_back(std::move(feature)); };
  add({{"name", "lag0"}, {"kind", "lag"}, {"column", "y"}, {"periods", 0}});
  add({{"name", "lag1"}, {"kind", "lag"}, {"column", "y"}});
  add({{"name", "lag3"}, {"kind", "lag"}, {"column", "z"}, {"periods", 3}});
  add({{"name", "diff0"}, {"kind", "diff"}, {"column", "y"}, {"periods", 0}});
  add({{"name", "diff2"}, {"kind", "diff"}, {"column", "y"}, {"periods", 2}});
  int n = 0;
  for (const char* statistic : {"mean", "sum", "var", "std", "count", "min", "max", "median", "quantile"}) {
    for (const json& window : {json(1), json(3), json(7), json("5s"), json("1min")}) {
      json r = {{"name", "r" + std::to_string(n++)},
                {"kind", "rolling"},
                {"column", n % 2 ? "y" : "z"},
                {"window", window},
                {"statistic", statistic}};
      if (std::string(statistic) == "quantile") r["quantile"] = 0.3;
      add(r);
      if (window.is_number() && window.get<int>() > 1) {
        r["name"] = "r" + std::to_string(n++);
        r["min_periods"] = 1;
        add(r);
      }
    }
  }
  add({{"name", "std0"}, {"kind", "rolling"}, {"column", "y"}, {"window", 4}, {"statistic", "std"}, {"ddof", 0}});
  add({{"name", "e1"}, {"kind", "ewm"}, {"column", "y"}, {"com", 2.5}});
  add({{"name", "e2"}, {"kind", "ewm"}, {"column", "y"}, {"span", 4}, {"adjust", false}});
  add({{"name", "e3"}, {"kind", "ewm"}, {"column", "z"}, {"alpha", 0.3}, {"ignore_na", true}, {"min_periods", 3}});
  add({{"name", "e4"}, {"kind", "ewm"}, {"column", "y"}, {"halflife", 2}, {"statistic", "std"}});
  add({{"name", "e5"},
       {"kind", "ewm"},
       {"column", "z"},
       {"com", 1},
       {"statistic", "std"},
       {"adjust", false},
       {"ignore_na", true}});
  add({{"name", "hour"}, {"kind", "calendar"}, {"field", "hour_sin"}});
  return f;
}

FeatureView view_of(const json& features) {
  auto view = parse_feature_view("v", {{"entity", "k"}, {"time", "t"}, {"features", features}}, 10'000, 0);
  EXPECT_TRUE(view.ok()) << view.status().message();
  return *view;
}

// Rows in time order across entities; per entity, times that repeat and jump past the time windows.
timeseries::SeriesTable random_table(uint32_t seed, size_t rows) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> entity(0, 3), step(0, 9), pick(0, 9);
  std::normal_distribution<double> noise(0, 1);
  timeseries::SeriesTable t;
  int64_t now = 1'700'000'000'000'000;
  for (size_t i = 0; i < rows; ++i) {
    const int s = step(rng);
    now += s == 0 ? 0 : s < 8 ? s * 1'000'000 : 120'000'000;
    t.entity.push_back("e" + std::to_string(entity(rng)));
    t.time_us.push_back(now);
    const int p = pick(rng);
    // Large offsets stress the compensated sums; repeats hit pandas' equal-run rule; NaN are missing values.
    t.columns["y"].push_back(p == 0 ? kNaN : p == 1 ? 5.0 : 1e6 + noise(rng));
    t.columns["z"].push_back(p == 2 ? kNaN : noise(rng) * 10);
  }
  return t;
}

bool same(double a, double b) {
  return (std::isnan(a) && std::isnan(b)) || std::bit_cast<uint64_t>(a) == std::bit_cast<uint64_t>(b);
}

TEST(EntityState, EqualsOfflineBitForBitOnRandomSeries) {
  const FeatureView view = view_of(all_features());
  for (uint32_t seed = 1; seed <= 5; ++seed) {
    const auto table = random_table(seed, 600);
    auto offline = timeseries::compute_features(view.spec, table, {});
    ASSERT_TRUE(offline.ok()) << offline.status().message();
    std::map<std::string, EntityState> states;
    for (size_t row = 0; row < table.time_us.size(); ++row) {
      auto [it, added] = states.try_emplace(table.entity[row], view);
      EntityState& state = it->second;
      ASSERT_TRUE(state.check(table.time_us[row], 10'000).ok());
      const std::vector<double> values = {table.columns.at("y")[row], table.columns.at("z")[row]};
      state.append(table.time_us[row], values);
      for (size_t f = 0; f < view.spec.features.size(); ++f) {
        ASSERT_TRUE(same(state.features()[f], (*offline)[f][row]))
            << "seed " << seed << " row " << row << " feature " << view.spec.features[f].name << ": online "
            << state.features()[f] << " offline " << (*offline)[f][row];
      }
    }
  }
}

TEST(EntityState, RefusesAnOlderRowAndChangesNothing) {
  const FeatureView view =
      view_of({{{"name", "m"}, {"kind", "rolling"}, {"column", "y"}, {"window", 2}, {"statistic", "mean"}}});
  EntityState state(view);
  const std::vector<double> one = {1.0}, three = {3.0};
  state.append(10, one);
  state.append(20, three);
  const Status older = state.check(15, 100);
  EXPECT_EQ(older.code(), StatusCode::kFailedPrecondition);
  EXPECT_TRUE(state.check(20, 100).ok());  // an equal time is in order (a stable sort keeps arrival order)
  EXPECT_EQ(state.features()[0], 2.0);
  EXPECT_EQ(state.rows(), 2);
}

TEST(EntityState, TimeWindowBoundedByMaxWindow) {
  const FeatureView view =
      view_of({{{"name", "c"}, {"kind", "rolling"}, {"column", "y"}, {"window", "1h"}, {"statistic", "count"}}});
  EntityState state(view);
  const std::vector<double> v = {1.0};
  for (int64_t t = 0; t < 3; ++t) {
    ASSERT_TRUE(state.check(t, 3).ok());
    state.append(t, v);
  }
  const Status full = state.check(3, 3);
  EXPECT_EQ(full.code(), StatusCode::kResourceExhausted);
  EXPECT_NE(full.message().find("'c'"), std::string::npos) << full.message();
  EXPECT_TRUE(state.check(3'600'000'001, 3).ok());  // the window's rows have left it by then
}

}  // namespace
}  // namespace maas::features::online
