#include "features/dataset/table_io.h"

#include <gtest/gtest.h>

#include <cmath>

#include "data/engine/database.h"
#include "features/pipeline.h"

namespace maas::features {
namespace {

using data::engine::Database;
using data::engine::EngineOptions;

class TableIoTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = Database::open(EngineOptions{});
    ASSERT_TRUE(db.ok()) << db.status().message();
    db_ = std::move(db).value();
    auto c = db_->connect();
    ASSERT_TRUE(c.ok());
    connection_ = std::make_unique<data::engine::Connection>(std::move(c).value());
    ASSERT_TRUE(connection_
                    ->execute("CREATE TABLE raw AS SELECT * FROM (VALUES (1, 1.5, 'a', true, 2.25::DECIMAL(6,2)), "
                              "(NULL, NULL, NULL, false, NULL), (3, -2.0, 'b', NULL, 1.00)) t(i, d, s, b, m)")
                    .ok());
  }
  std::unique_ptr<Database> db_;
  std::unique_ptr<data::engine::Connection> connection_;
};

TEST_F(TableIoTest, ReadsDuckDbTypesAsFeatureColumns) {
  auto t = read_table(*connection_, "SELECT * FROM raw", 100);
  ASSERT_TRUE(t.ok()) << t.status().message();
  const Table& table = t.value();
  ASSERT_EQ(table.rows(), 3u);
  EXPECT_TRUE(table.find("i")->integral);
  EXPECT_TRUE(std::isnan(table.find("i")->numbers[1]));
  EXPECT_EQ(table.find("d")->numbers[2], -2.0);
  EXPECT_FALSE(table.find("d")->integral);
  EXPECT_EQ(table.find("s")->type, ColumnType::kText);
  EXPECT_FALSE(table.find("s")->texts[1].has_value());
  EXPECT_EQ(table.find("b")->numbers[0], 1.0);
  EXPECT_EQ(table.find("m")->numbers[0], 2.25);
}

TEST_F(TableIoTest, RefusesTooManyRowsAndTypesItCannotHold) {
  EXPECT_EQ(read_table(*connection_, "SELECT * FROM raw", 2).status().code(), StatusCode::kResourceExhausted);
  auto dated = read_table(*connection_, "SELECT DATE '2024-01-01' AS day", 10);
  ASSERT_FALSE(dated.ok());
  EXPECT_NE(dated.status().message().find("day"), std::string::npos) << dated.status().message();
}

TEST_F(TableIoTest, ATransformedTableRoundTripsThroughDuckDb) {
  auto t = read_table(*connection_, "SELECT i, d, s FROM raw", 100);
  ASSERT_TRUE(t.ok());
  auto p = Pipeline::from_spec(nlohmann::json::parse(R"({"transformers": [
      {"name": "n", "columns": ["d"], "steps": [{"step": "StandardScaler"}]},
      {"name": "c", "columns": ["s"], "steps": [{"step": "OneHotEncoder"}]}], "remainder": "passthrough"})"));
  ASSERT_TRUE(p.ok());
  auto out = p.value().fit_transform(t.value());
  ASSERT_TRUE(out.ok()) << out.status().message();
  ASSERT_TRUE(write_table(*connection_, out.value(), "features").ok());
  auto back = read_table(*connection_, "SELECT * FROM features", 100);
  ASSERT_TRUE(back.ok()) << back.status().message();
  ASSERT_EQ(back.value().columns.size(), out.value().columns.size());
  for (size_t i = 0; i < out.value().columns.size(); ++i) {
    const Column& a = out.value().columns[i];
    const Column& b = back.value().columns[i];
    EXPECT_EQ(a.name, b.name);
    EXPECT_EQ(a.integral, b.integral) << a.name;
    for (size_t row = 0; row < a.numbers.size(); ++row) {
      EXPECT_TRUE(a.numbers[row] == b.numbers[row] || (std::isnan(a.numbers[row]) && std::isnan(b.numbers[row])));
    }
  }
}

TEST_F(TableIoTest, WritesManyBatchesWithMissingValuesInEveryColumnKind) {
  // More rows than one DuckDB vector (2048) and a partial last batch; a NULL in each kind of column at varying rows,
  // so a missing value must not leak into the next batch's rows.
  constexpr size_t kRows = 5000;
  Table table;
  Column d = Column::of_numbers("d", {}), i = Column::of_numbers("i", {}), s = Column::of_texts("s", {});
  i.integral = true;
  for (size_t r = 0; r < kRows; ++r) {
    d.numbers.push_back(r % 7 == 0 ? std::nan("") : static_cast<double>(r) / 3);
    i.numbers.push_back(r % 11 == 0 ? std::nan("") : static_cast<double>(r) - 2500);
    s.texts.push_back(r % 13 == 0 ? std::nullopt : std::optional<std::string>("text number " + std::to_string(r)));
  }
  table.columns = {d, i, s};
  ASSERT_TRUE(write_table(*connection_, table, "batches").ok());
  auto back = read_table(*connection_, "SELECT * FROM batches", kRows);
  ASSERT_TRUE(back.ok()) << back.status().message();
  ASSERT_EQ(back->rows(), kRows);
  EXPECT_TRUE(back->find("i")->integral);
  for (size_t r = 0; r < kRows; ++r) {
    const double dv = back->find("d")->numbers[r], iv = back->find("i")->numbers[r];
    EXPECT_TRUE(dv == d.numbers[r] || (std::isnan(dv) && std::isnan(d.numbers[r]))) << r;
    EXPECT_TRUE(iv == i.numbers[r] || (std::isnan(iv) && std::isnan(i.numbers[r]))) << r;
    EXPECT_EQ(back->find("s")->texts[r], s.texts[r]) << r;
  }
}

}  // namespace
}  // namespace maas::features
