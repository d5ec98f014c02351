// Previews and exports of a table's rows.
#include "data/datasets/export.h"
#include "data/datasets/preview.h"
#include "data_test_support.h"

namespace maas::data {
namespace {

class RowsTest : public testing::DataTest {
 protected:
  void SetUp() override {
    DataTest::SetUp();
    ASSERT_TRUE(connection_->execute(
        "CREATE TABLE t AS SELECT range AS id, range * 0.5 AS half, 'row ' || range AS label, "
        "DATE '2024-01-01' + range::INT AS day, [range, range + 1] AS pair, {'k': range} AS rec "
        "FROM range(5000)").ok());
    ASSERT_TRUE(connection_->execute(
        "CREATE TABLE tricky AS SELECT * FROM (VALUES ('a,b', 'NaN'::DOUBLE, NULL), ('say \"hi\"', 1.5, ''), "
        "(' padded', 'inf'::DOUBLE, 'line\nbreak')) v(text, num, other)").ok());
  }

  std::string export_text(const std::string& table, ExportOptions options) {
    std::string out;
    auto rows = export_rows(*connection_, table, options, [&](std::string_view piece) {
      out += piece;
      return Status();
    });
    EXPECT_TRUE(rows.ok()) << rows.status().to_string();
    return out;
  }
};

TEST_F(RowsTest, PreviewPagesWithAColumnSubset) {
  PreviewOptions options;
  options.offset = 4998;
  options.limit = 10;
  options.columns = {"label", "id", "day", "pair", "rec"};
  auto page = preview(*connection_, "t", options);
  ASSERT_TRUE(page.ok()) << page.status().to_string();
  EXPECT_EQ(page->total_rows, 5000);
  ASSERT_EQ(page->rows.size(), 2u);
  EXPECT_EQ(page->columns[0].name, "label");
  EXPECT_EQ(page->rows[0][0], "row 4998");
  EXPECT_EQ(page->rows[0][1], 4998);
  EXPECT_EQ(page->rows[1][2], "2037-09-08");
  EXPECT_EQ(page->rows[1][3], nlohmann::json::array({4999, 5000}));
  EXPECT_EQ(page->rows[1][4], nlohmann::json({{"k", 4999}}));
}

TEST_F(RowsTest, PreviewRefusesBadPages) {
  PreviewOptions options;
  options.columns = {"nope"};
  auto unknown = preview(*connection_, "t", options);
  EXPECT_EQ(unknown.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(unknown.status().message().find("no column 'nope'"), std::string::npos);
  PreviewOptions too_big;
  too_big.limit = too_big.max_limit + 1;
  EXPECT_EQ(preview(*connection_, "t", too_big).status().code(), StatusCode::kInvalidArgument);
  PreviewOptions negative;
  negative.offset = -1;
  EXPECT_EQ(preview(*connection_, "t", negative).status().code(), StatusCode::kInvalidArgument);
}

TEST_F(RowsTest, CsvExportQuotesWhatNeedsIt) {
  std::string csv = export_text("tricky", {});
  EXPECT_EQ(csv,
            "text,num,other\n"
            "\"a,b\",NaN,\n"
            "\"say \"\"hi\"\"\",1.5,\"\"\n"
            "\" padded\",inf,\"line\nbreak\"\n");
}

TEST_F(RowsTest, JsonLinesExportWritesOneObjectPerRow) {
  ExportOptions options;
  options.format = ExportFormat::kJsonl;
  std::string text = export_text("tricky", options);
  std::vector<nlohmann::json> lines;
  size_t start = 0;
  for (size_t end; (end = text.find('\n', start)) != std::string::npos; start = end + 1) {
    lines.push_back(nlohmann::json::parse(text.substr(start, end - start)));
  }
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0]["text"], "a,b");
  EXPECT_TRUE(lines[0]["num"].is_null());  // NaN: null, as pandas writes it
  EXPECT_TRUE(lines[0]["other"].is_null());
  EXPECT_EQ(lines[1]["num"], 1.5);
  EXPECT_EQ(lines[2]["other"], "line\nbreak");
}

TEST_F(RowsTest, ExportStreamsInBoundedPieces) {
  ExportOptions options;
  options.columns = {"id", "label"};
  size_t pieces = 0, largest = 0;
  auto rows = export_rows(*connection_, "t", options, [&](std::string_view piece) {
    ++pieces;
    largest = std::max(largest, piece.size());
    return Status();
  });
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ(*rows, 5000);
  EXPECT_GE(pieces, 3u);             // one per chunk of 2048 rows
  EXPECT_LT(largest, size_t{64} << 10);
  // A sink's error stops the export.
  auto stopped = export_rows(*connection_, "t", options, [](std::string_view) { return unavailable("client gone"); });
  EXPECT_EQ(stopped.status().code(), StatusCode::kUnavailable);
}

}  // namespace
}  // namespace maas::data
