#include "data/discovery/column_types.h"

#include <gtest/gtest.h>

namespace maas::data::discovery {
namespace {

const ColumnSuggestion& column(const TableSuggestion& t, const std::string& name) {
  for (const auto& c : t.columns)
    if (c.name == name) return c;
  ADD_FAILURE() << "no column " << name;
  static ColumnSuggestion none;
  return none;
}

TEST(ColumnTypes, InfersCsvTypesFormatsAndCategories) {
  std::string csv = "id,price,paid,created,day,country,comment\n";
  const char* countries[] = {"FR", "DE", "US"};
  for (int i = 0; i < 60; ++i) {
    csv += std::to_string(i) + "," + std::to_string(i) + ".5," + (i % 2 ? "true" : "false") + ",2024-03-" +
           (i % 28 < 9 ? "0" : "") + std::to_string(i % 28 + 1) + " 10:1" + std::to_string(i % 10) + ":00," +
           "0" + std::to_string(i % 9 + 1) + "/12/2023," + countries[i % 3] + "," +
           (i % 7 == 0 ? "" : "\"note, number " + std::to_string(i) + "\"") + "\n";
  }
  auto t = suggest_column_types(csv);
  ASSERT_TRUE(t.ok()) << t.status().to_string();
  EXPECT_EQ(t->format, "csv");
  EXPECT_TRUE(t->header);
  EXPECT_EQ(t->rows, 60u);
  EXPECT_EQ(column(*t, "id").type, "int64");
  EXPECT_FALSE(column(*t, "id").categorical);
  EXPECT_EQ(column(*t, "price").type, "float64");
  EXPECT_EQ(column(*t, "paid").type, "bool");
  EXPECT_EQ(column(*t, "created").type, "timestamp");
  EXPECT_EQ(column(*t, "created").format, "%Y-%m-%d %H:%M:%S");
  EXPECT_EQ(column(*t, "day").type, "date");
  EXPECT_EQ(column(*t, "day").format, "%m/%d/%Y");
  EXPECT_TRUE(column(*t, "country").categorical);
  EXPECT_EQ(column(*t, "country").categories, (std::vector<std::string>{"DE", "FR", "US"}));
  EXPECT_EQ(column(*t, "comment").type, "string");
  EXPECT_TRUE(column(*t, "comment").nullable);
  EXPECT_EQ(column(*t, "comment").nulls, 9u);
}

TEST(ColumnTypes, DayFirstDatesWhenAMonthCannotBe) {
  auto t = suggest_column_types("d\n03/04/2024\n25/12/2023\n01/01/2024\n");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->columns[0].format, "%d/%m/%Y");
}

TEST(ColumnTypes, DetectsTabsSemicolonsAndHeaderlessFiles) {
  auto tsv = suggest_column_types("a\tb\n1\tx\n2\ty\n");
  ASSERT_TRUE(tsv.ok());
  EXPECT_EQ(tsv->format, "tsv");
  EXPECT_EQ(tsv->columns[1].name, "b");
  auto semi = suggest_column_types("1;2.5;x\n2;3.5;y\n3;4.5;z\n");
  ASSERT_TRUE(semi.ok());
  EXPECT_EQ(semi->delimiter, ';');
  EXPECT_FALSE(semi->header);
  EXPECT_EQ(semi->columns[0].name, "column_1");
  EXPECT_EQ(semi->columns[1].type, "float64");
}

TEST(ColumnTypes, InfersJsonLines) {
  std::string jsonl;
  for (int i = 0; i < 30; ++i) {
    jsonl += R"({"ts":"2024-01-01T10:00:)" + std::string(i < 10 ? "0" : "") + std::to_string(i) +
             R"(Z","level":")" + (i % 3 ? "info" : "warn") + R"(","n":)" + std::to_string(i) + R"(,"ratio":)" +
             std::to_string(i) + R"(.5,"ok":true,"http":{"status":200})" + (i % 5 ? R"(,"user":"u)" + std::to_string(i) + "\"" : "") + "}\n";
  }
  auto t = suggest_column_types(jsonl);
  ASSERT_TRUE(t.ok()) << t.status().to_string();
  EXPECT_EQ(t->format, "jsonl");
  EXPECT_EQ(column(*t, "ts").type, "timestamp");
  EXPECT_EQ(column(*t, "ts").format, "%Y-%m-%dT%H:%M:%S%z");
  EXPECT_TRUE(column(*t, "level").categorical);
  EXPECT_EQ(column(*t, "n").type, "int64");
  EXPECT_EQ(column(*t, "ratio").type, "float64");
  EXPECT_EQ(column(*t, "ok").type, "bool");
  EXPECT_EQ(column(*t, "http.status").type, "int64");
  EXPECT_TRUE(column(*t, "user").nullable);
  EXPECT_EQ(column(*t, "user").nulls, 6u);
}

// Found by fuzz/data_column_types.cc: a sample that is not UTF-8 made the JSON writer throw.
TEST(ColumnTypes, JsonOfASampleThatIsNotUtf8IsValidUtf8) {
  auto t = suggest_column_types("\xfd\xf5\n\xfd\n");
  ASSERT_TRUE(t.ok()) << t.status().message();
  std::string out;
  ASSERT_NO_THROW(out = table_suggestion_to_json(*t).dump());
  EXPECT_NE(out.find("\xef\xbf\xbd"), std::string::npos) << out;  // U+FFFD in place of the invalid bytes

  std::string categorical = "c\n";
  for (int i = 0; i < 40; ++i) categorical += (i % 2 ? "\xff\n" : "ok\n");
  auto c = suggest_column_types(categorical);
  ASSERT_TRUE(c.ok()) << c.status().message();
  ASSERT_NO_THROW(out = table_suggestion_to_json(*c).dump());
}

TEST(ColumnTypes, RejectsBadSamplesWithAReason) {
  EXPECT_EQ(suggest_column_types("").status().code(), StatusCode::kInvalidArgument);
  auto not_object = suggest_column_types("{\"a\":1}\n[1,2]\n{\"a\":2}\n");
  EXPECT_EQ(not_object.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(not_object.status().message().find("line 2"), std::string::npos);
  EXPECT_EQ(suggest_column_types("\"never closed,1\n2,3\n").status().code(), StatusCode::kInvalidArgument);
  ColumnTypeOptions narrow;
  narrow.max_columns = 2;
  EXPECT_EQ(suggest_column_types("a,b,c\n1,2,3\n", narrow).status().code(), StatusCode::kInvalidArgument);
}

TEST(ColumnTypes, ACutLastRecordIsDropped) {
  auto t = suggest_column_types("a,b\n1,\"x\"\n2,\"y is cut");
  ASSERT_TRUE(t.ok()) << t.status().to_string();
  EXPECT_EQ(t->rows, 1u);
}

TEST(ColumnTypes, JsonShape) {
  auto t = suggest_column_types("a,b\n1,x\n");
  ASSERT_TRUE(t.ok());
  auto j = table_suggestion_to_json(*t);
  EXPECT_EQ(j["format"], "csv");
  EXPECT_EQ(j["delimiter"], ",");
  EXPECT_EQ(j["columns"][0]["type"], "int64");
  EXPECT_EQ(j["columns"][1]["categorical"], false);
}

}  // namespace
}  // namespace maas::data::discovery
