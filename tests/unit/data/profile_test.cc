#include "data/datasets/profile.h"

#include <cmath>

#include "data_test_support.h"

namespace maas::data {
namespace {

class ProfileTest : public testing::DataTest {
 protected:
  void SetUp() override {
    DataTest::SetUp();
    ASSERT_TRUE(connection_->execute(
        "CREATE TABLE t AS SELECT * FROM (VALUES "
        "(1.0::DOUBLE, 'a', true, NULL::DOUBLE, 5, DATE '2024-01-03'), "
        "(2.0, 'bb', false, NULL, 5, DATE '2024-01-01'), "
        "(3.0, 'a', true, NULL, 5, NULL), "
        "('nan'::DOUBLE, NULL, NULL, NULL, 5, DATE '2024-01-02'), "
        "(NULL, 'ccc', true, NULL, 5, DATE '2024-01-02'), "
        "(4.0, 'a', NULL, NULL, 5, NULL)) v(x, s, b, empty, constant, day)").ok());
  }

  const ColumnProfile& column(const TableProfile& p, const std::string& name) {
    for (const auto& c : p.columns) {
      if (c.name == name) return c;
    }
    ADD_FAILURE() << "no column " << name;
    return p.columns.front();
  }
};

TEST_F(ProfileTest, NumericColumnMatchesPandasDefinitions) {
  ProfileOptions options;
  options.histogram_bins = 3;
  auto p = profile_table(*connection_, "t", options);
  ASSERT_TRUE(p.ok()) << p.status().to_string();
  EXPECT_EQ(p->rows, 6);
  const ColumnProfile& x = column(*p, "x");
  EXPECT_EQ(x.category, ColumnCategory::kNumeric);
  EXPECT_EQ(x.count, 4);
  EXPECT_EQ(x.nulls, 1);
  EXPECT_EQ(x.nans, 1);
  EXPECT_EQ(x.distinct, 4);
  EXPECT_DOUBLE_EQ(*x.min, 1.0);
  EXPECT_DOUBLE_EQ(*x.max, 4.0);
  EXPECT_DOUBLE_EQ(*x.mean, 2.5);
  EXPECT_NEAR(*x.std, std::sqrt(5.0 / 3.0), 1e-15);  // ddof = 1
  ASSERT_EQ(x.quantiles.size(), 7u);
  // Linear interpolation at q*(n-1) over 1, 2, 3, 4.
  EXPECT_NEAR(x.quantiles[0].second, 1.03, 1e-12);  // p01
  EXPECT_NEAR(x.quantiles[2].second, 1.75, 1e-12);  // p25
  EXPECT_NEAR(x.quantiles[3].second, 2.5, 1e-12);   // p50
  EXPECT_NEAR(x.quantiles[6].second, 3.97, 1e-12);  // p99
  ASSERT_TRUE(x.histogram);
  EXPECT_EQ(x.histogram->edges, (std::vector<double>{1, 2, 3, 4}));
  EXPECT_EQ(x.histogram->counts, (std::vector<int64_t>{1, 1, 2}));  // the last bin is closed
  ASSERT_EQ(x.top_values.size(), 4u);
}

TEST_F(ProfileTest, ConstantAndEmptyColumns) {
  auto p = profile_table(*connection_, "t");
  ASSERT_TRUE(p.ok()) << p.status().to_string();
  const ColumnProfile& constant = column(*p, "constant");
  EXPECT_DOUBLE_EQ(*constant.std, 0.0);
  EXPECT_EQ(constant.distinct, 1);
  ASSERT_TRUE(constant.histogram);
  // numpy widens a zero range to [v - 0.5, v + 0.5]; 5 falls in the middle bin.
  EXPECT_DOUBLE_EQ(constant.histogram->edges.front(), 4.5);
  EXPECT_DOUBLE_EQ(constant.histogram->edges.back(), 5.5);
  EXPECT_EQ(constant.histogram->counts[10], 6);
  const ColumnProfile& empty = column(*p, "empty");
  EXPECT_EQ(empty.count, 0);
  EXPECT_EQ(empty.nulls, 6);
  EXPECT_FALSE(empty.mean);
  EXPECT_FALSE(empty.histogram);
  nlohmann::json j = profile_to_json(*p);
  for (const auto& c : j["columns"]) {
    if (c["name"] == "empty") {
      EXPECT_FALSE(c.contains("mean"));
      EXPECT_EQ(c["missing"], 6);
    }
  }
}

TEST_F(ProfileTest, StringBooleanAndDateColumns) {
  auto p = profile_table(*connection_, "t");
  ASSERT_TRUE(p.ok()) << p.status().to_string();
  const ColumnProfile& s = column(*p, "s");
  EXPECT_EQ(s.category, ColumnCategory::kString);
  EXPECT_EQ(s.count, 5);
  EXPECT_EQ(s.distinct, 3);
  EXPECT_EQ(*s.min_text, "a");
  EXPECT_EQ(*s.max_text, "ccc");
  EXPECT_DOUBLE_EQ(*s.min_length, 1);
  EXPECT_DOUBLE_EQ(*s.max_length, 3);
  EXPECT_DOUBLE_EQ(*s.mean_length, (1 + 2 + 1 + 3 + 1) / 5.0);
  ASSERT_FALSE(s.top_values.empty());
  EXPECT_EQ(s.top_values[0].first, "a");
  EXPECT_EQ(s.top_values[0].second, 3);
  const ColumnProfile& b = column(*p, "b");
  EXPECT_EQ(b.category, ColumnCategory::kBoolean);
  EXPECT_EQ(b.count, 4);
  EXPECT_EQ(b.top_values[0].first, true);
  EXPECT_EQ(b.top_values[0].second, 3);
  const ColumnProfile& day = column(*p, "day");
  EXPECT_EQ(day.category, ColumnCategory::kTemporal);
  EXPECT_EQ(*day.min_text, "2024-01-01");
  EXPECT_EQ(*day.max_text, "2024-01-03");
  EXPECT_EQ(day.top_values[0].first, "2024-01-02");
}

TEST_F(ProfileTest, DistinctIsExactOnManyValues) {
  ASSERT_TRUE(connection_->execute("CREATE TABLE big AS SELECT range % 50000 AS v, (range % 3)::VARCHAR AS s "
                                   "FROM range(200000)").ok());
  auto p = profile_table(*connection_, "big");
  ASSERT_TRUE(p.ok()) << p.status().to_string();
  EXPECT_EQ(p->columns[0].distinct, 50000);
  EXPECT_EQ(p->columns[1].distinct, 3);
  ASSERT_EQ(p->columns[1].top_values.size(), 3u);
  EXPECT_EQ(p->columns[1].top_values[0], (std::pair<nlohmann::json, int64_t>("0", 66667)));
}

TEST_F(ProfileTest, InfinitiesStayOutOfTheHistogramAndAreWrittenAsText) {
  ASSERT_TRUE(connection_->execute("CREATE TABLE inf AS SELECT * FROM (VALUES (1.0::DOUBLE), (2.0), ('inf'::DOUBLE)) v(x)").ok());
  auto p = profile_table(*connection_, "inf");
  ASSERT_TRUE(p.ok()) << p.status().to_string();
  const ColumnProfile& x = p->columns[0];
  EXPECT_TRUE(std::isinf(*x.max));
  ASSERT_TRUE(x.histogram);
  EXPECT_DOUBLE_EQ(x.histogram->edges.back(), 2.0);
  int64_t total = 0;
  for (int64_t c : x.histogram->counts) total += c;
  EXPECT_EQ(total, 2);
  nlohmann::json j = profile_to_json(*p);
  EXPECT_EQ(j["columns"][0]["max"], "Infinity");
  EXPECT_EQ(j["columns"][0]["mean"], "Infinity");  // pandas: inf
  EXPECT_EQ(j["columns"][0]["std"], "NaN");        // pandas: NaN
  EXPECT_NO_THROW((void)j.dump());
}

TEST_F(ProfileTest, ColumnNamesNeedNoQuotingByTheCaller) {
  ASSERT_TRUE(connection_->execute("CREATE TABLE odd AS SELECT 1 AS \"we\"\"ird name\", 'x' AS \"select\"").ok());
  auto p = profile_table(*connection_, "odd");
  ASSERT_TRUE(p.ok()) << p.status().to_string();
  EXPECT_EQ(p->columns[0].name, "we\"ird name");
  EXPECT_EQ(p->columns[0].count, 1);
}

}  // namespace
}  // namespace maas::data
