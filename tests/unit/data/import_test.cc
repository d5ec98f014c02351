#include "data/datasets/import.h"

#include "data/engine/sql_text.h"
#include "data_test_support.h"

namespace maas::data {
namespace {

using engine::quote_literal;

class ImportTest : public testing::DataTest {
 protected:
  Result<ImportResult> import(const std::filesystem::path& input, ImportOptions options) {
    target_ = ImportTarget{dir_ / "snapshot.parquet", dir_ / "rejects.parquet", dir_ / "scratch"};
    return import_file(*connection_, input, options, target_);
  }
  ImportOptions csv_options() { return ImportOptions{}; }
  ImportOptions jsonl_options() {
    ImportOptions o;
    o.format = FileFormat::kJsonl;
    return o;
  }
  std::string snapshot() { return "read_parquet(" + quote_literal(target_.snapshot.string()) + ")"; }
  std::string rejects() { return "read_parquet(" + quote_literal(target_.rejects.string()) + ")"; }

  ImportTarget target_;
};

TEST_F(ImportTest, CsvBecomesAParquetSnapshotWithTypesInFileOrder) {
  std::string csv = "id,price,name,day\n";
  for (int i = 0; i < 5000; ++i) csv += std::to_string(i) + "," + std::to_string(i) + ".5,n" + std::to_string(i) + ",2024-01-02\n";
  auto result = import(write_file("in.csv", csv), csv_options());
  ASSERT_TRUE(result.ok()) << result.status().to_string();
  EXPECT_EQ(result->rows, 5000);
  EXPECT_EQ(result->rejected_rows, 0);
  EXPECT_FALSE(result->wrote_rejects);
  ASSERT_EQ(result->schema.size(), 4u);
  EXPECT_EQ(result->schema[0].type, "BIGINT");
  EXPECT_EQ(result->schema[1].type, "DOUBLE");
  EXPECT_EQ(result->schema[2].type, "VARCHAR");
  EXPECT_EQ(result->schema[3].type, "DATE");
  // Row order is the file's.
  engine::Chunk ids = rows("SELECT id FROM " + snapshot());
  ASSERT_EQ(ids.rows, 5000u);
  for (size_t i = 0; i < ids.rows; ++i) ASSERT_EQ(ids.columns[0].ints[i], static_cast<int64_t>(i));
  // zstd, as promised: every column chunk of the file says so.
  engine::Chunk codecs = rows("SELECT DISTINCT compression FROM parquet_metadata(" + quote_literal(target_.snapshot.string()) + ")");
  ASSERT_EQ(codecs.rows, 1u);
  EXPECT_EQ(codecs.columns[0].strings[0], "ZSTD");
}

TEST_F(ImportTest, MalformedCsvLinesAreRejectedCountedAndKept) {
  std::string csv = "a,b\n1,x\n2,y,extra\n3\nnot-a-number,z\n4,w\n";
  ImportOptions options = csv_options();
  options.column_types = {{"a", "BIGINT"}};
  auto result = import(write_file("in.csv", csv), options);
  ASSERT_TRUE(result.ok()) << result.status().to_string();
  EXPECT_EQ(result->rows, 2);
  EXPECT_EQ(result->rejected_rows, 3);
  ASSERT_TRUE(result->wrote_rejects);
  engine::Chunk r = rows("SELECT line, raw_line, error_message FROM " + rejects() + " ORDER BY line");
  ASSERT_EQ(r.rows, 3u);
  EXPECT_EQ(r.columns[0].ints, (std::vector<int64_t>{3, 4, 5}));
  EXPECT_EQ(r.columns[1].strings[0], "2,y,extra");
  EXPECT_EQ(r.columns[1].strings[2], "not-a-number,z");
  EXPECT_NE(r.columns[2].strings[2].find("not-a-number"), std::string::npos) << r.columns[2].strings[2];
  engine::Chunk kept = rows("SELECT a FROM " + snapshot());
  EXPECT_EQ(kept.columns[0].ints, (std::vector<int64_t>{1, 4}));
}

TEST_F(ImportTest, TooManyRejectedRowsFailTheImport) {
  ImportOptions options = csv_options();
  options.column_types = {{"a", "BIGINT"}};
  options.max_rejected_rows = 1;
  auto result = import(write_file("in.csv", "a\n1\nx\ny\n2\n"), options);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(result.status().message().find("2 rows were rejected"), std::string::npos) << result.status().message();
  EXPECT_NE(result.status().message().find("line 3"), std::string::npos) << result.status().message();
}

TEST_F(ImportTest, ALineOverTheLimitIsRejectedNotFatal) {
  std::string csv = "a,b\n";
  for (int i = 0; i < 30000; ++i) csv += std::to_string(i) + ",x\n";  // past the sniffer's sample
  csv += "1," + std::string(5000, 'y') + "\n2,z\n";
  ImportOptions options = csv_options();
  options.max_line_bytes = 2048;
  auto result = import(write_file("in.csv", csv), options);
  ASSERT_TRUE(result.ok()) << result.status().to_string();
  EXPECT_EQ(result->rows, 30001);
  EXPECT_EQ(result->rejected_rows, 1);
  engine::Chunk r = rows("SELECT line, error_message FROM " + rejects());
  EXPECT_EQ(r.columns[0].ints[0], 30002);
  EXPECT_NE(r.columns[1].strings[0].find("Maximum line size"), std::string::npos);
}

TEST_F(ImportTest, TsvDelimiterHeaderAndDateFormats) {
  ImportOptions options;
  options.format = FileFormat::kTsv;
  options.delimiter = "\t";
  options.header = false;
  options.date_format = "%d/%m/%Y";
  options.null_string = "NA";
  auto result = import(write_file("in.tsv", "1\t07/03/2024\tx\n2\tNA\ty\n"), options);
  ASSERT_TRUE(result.ok()) << result.status().to_string();
  EXPECT_EQ(result->rows, 2);
  ASSERT_EQ(result->schema.size(), 3u);
  EXPECT_EQ(result->schema[1].type, "DATE");
  engine::Chunk r = rows("SELECT column1::VARCHAR, column1 IS NULL FROM " + snapshot());
  EXPECT_EQ(r.columns[0].strings[0], "2024-03-07");
  EXPECT_EQ(r.columns[1].ints[1], 1);
}

TEST_F(ImportTest, JsonLinesRejectsLinesThatAreNotObjects) {
  std::string jsonl = "{\"a\": 1, \"b\": \"x\"}\n{not json}\n\n[1, 2]\n{\"a\": 2}\r\n\"just a string\"\n{\"a\": 3, \"b\": \"z\"}";
  auto result = import(write_file("in.jsonl", jsonl), jsonl_options());
  ASSERT_TRUE(result.ok()) << result.status().to_string();
  EXPECT_EQ(result->rows, 3);
  EXPECT_EQ(result->rejected_rows, 3);
  engine::Chunk r = rows("SELECT line, error_message, raw_line FROM " + rejects() + " ORDER BY line");
  ASSERT_EQ(r.rows, 3u);
  EXPECT_EQ(r.columns[0].ints, (std::vector<int64_t>{2, 4, 6}));
  EXPECT_NE(r.columns[1].strings[0].find("not valid JSON"), std::string::npos);
  EXPECT_NE(r.columns[1].strings[1].find("not a JSON object"), std::string::npos);
  EXPECT_EQ(r.columns[2].strings[0], "{not json}");
  engine::Chunk kept = rows("SELECT a, b FROM " + snapshot());
  EXPECT_EQ(kept.columns[0].ints, (std::vector<int64_t>{1, 2, 3}));
  EXPECT_TRUE(kept.columns[1].is_null(1));
  EXPECT_FALSE(std::filesystem::exists(target_.scratch));
}

TEST_F(ImportTest, JsonLinesWithInvalidUtf8AreRejectedAndKeptReadable) {
  auto result = import(write_file("in.jsonl", "{\"a\": 1}\n{\"a\": \"\xff\xfe\"}\n\xff garbage\n{\"a\": 2}\n"), jsonl_options());
  ASSERT_TRUE(result.ok()) << result.status().to_string();
  EXPECT_EQ(result->rows, 2);
  EXPECT_EQ(result->rejected_rows, 2);
  engine::Chunk r = rows("SELECT line, raw_line FROM " + rejects() + " ORDER BY line");
  EXPECT_EQ(r.columns[0].ints, (std::vector<int64_t>{2, 3}));
  EXPECT_EQ(r.columns[1].strings[1], "\xef\xbf\xbd garbage");  // U+FFFD for the invalid byte
}

TEST_F(ImportTest, JsonLinesLongLinesAreRejectedWithTheirStart) {
  ImportOptions options = jsonl_options();
  options.max_line_bytes = 1024;
  std::string long_line = "{\"a\": \"" + std::string(3 << 20, 'x') + "\"}";
  auto result = import(write_file("in.jsonl", "{\"a\": \"short\"}\n" + long_line + "\n"), options);
  ASSERT_TRUE(result.ok()) << result.status().to_string();
  EXPECT_EQ(result->rows, 1);
  EXPECT_EQ(result->rejected_rows, 1);
  engine::Chunk r = rows("SELECT length(raw_line), error_message FROM " + rejects());
  EXPECT_EQ(r.columns[0].ints[0], 64 << 10);
  EXPECT_NE(r.columns[1].strings[0].find("longer than max_line_bytes"), std::string::npos);
}

TEST_F(ImportTest, TypeOverridesCastJsonAndParquetColumns) {
  ImportOptions options = jsonl_options();
  options.column_types = {{"a", "DOUBLE"}, {"d", "DATE"}};
  auto result = import(write_file("in.jsonl", "{\"a\": 1, \"d\": \"2024-05-06\"}\n{\"a\": 2, \"d\": null}\n"), options);
  ASSERT_TRUE(result.ok()) << result.status().to_string();
  EXPECT_EQ(result->schema[0].type, "DOUBLE");
  EXPECT_EQ(result->schema[1].type, "DATE");
  // Re-import the snapshot as Parquet with a cast back.
  std::filesystem::path parquet = dir_ / "copy.parquet";
  std::filesystem::copy_file(target_.snapshot, parquet);
  ImportOptions p;
  p.format = FileFormat::kParquet;
  p.column_types = {{"a", "BIGINT"}};
  auto again = import(parquet, p);
  ASSERT_TRUE(again.ok()) << again.status().to_string();
  EXPECT_EQ(again->schema[0].type, "BIGINT");
  EXPECT_EQ(again->rows, 2);
}

TEST_F(ImportTest, BadInputIsAClearError) {
  EXPECT_EQ(import(write_file("empty.csv", ""), csv_options()).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(import(dir_ / "missing.csv", csv_options()).status().code(), StatusCode::kInvalidArgument);
  auto blank = import(write_file("blank.jsonl", "\n\n"), jsonl_options());
  EXPECT_NE(blank.status().message().find("no records"), std::string::npos) << blank.status().to_string();
  ImportOptions p;
  p.format = FileFormat::kParquet;
  auto not_parquet = import(write_file("fake.parquet", "not parquet at all"), p);
  EXPECT_EQ(not_parquet.status().code(), StatusCode::kInvalidArgument) << not_parquet.status().to_string();
  ImportOptions bad_type = csv_options();
  bad_type.column_types = {{"a", "BIGINT NOT NULL"}};
  EXPECT_FALSE(import(write_file("a.csv", "a\n1\n"), bad_type).ok());
  ImportOptions unknown_type = csv_options();
  unknown_type.column_types = {{"a", "NOSUCHTYPE"}};
  auto unknown = import(write_file("a.csv", "a\n1\n"), unknown_type);
  EXPECT_EQ(unknown.status().code(), StatusCode::kInvalidArgument) << unknown.status().to_string();
}

TEST(ImportOptions, RefusesAnythingButPlainTypeNames) {
  for (const char* bad : {"BIGINT) AS a, (SELECT 1", "VARCHAR; DROP", "INT'", "", "a-b", "DECIMAL(1,2,3)",
                          "VARCHAR)--"}) {
    ImportOptions o;
    o.column_types = {{"c", bad}};
    EXPECT_FALSE(o.validate().ok()) << bad;
  }
  for (const char* good : {"BIGINT", "DECIMAL(12,2)", "DECIMAL(12, 2)", "VARCHAR[]", "TIMESTAMP WITH TIME ZONE",
                           "double"}) {
    ImportOptions o;
    o.column_types = {{"c", good}};
    EXPECT_TRUE(o.validate().ok()) << good;
  }
}

TEST(ImportOptions, ReadsJsonStrictly) {
  auto ok = import_options_from_json({{"format", "tsv"}, {"header", true}, {"column_types", {{"a", "BIGINT"}}}},
                                     FileFormat::kCsv);
  ASSERT_TRUE(ok.ok()) << ok.status().to_string();
  EXPECT_EQ(ok->format, FileFormat::kTsv);
  EXPECT_EQ(*ok->delimiter, "\t");
  EXPECT_TRUE(*ok->header);
  EXPECT_FALSE(import_options_from_json({{"header", "yes"}}, FileFormat::kCsv).ok());
  EXPECT_FALSE(import_options_from_json({{"delimeter", ","}}, FileFormat::kCsv).ok());
  EXPECT_FALSE(import_options_from_json({{"format", "xlsx"}}, FileFormat::kCsv).ok());
  EXPECT_FALSE(import_options_from_json({{"max_line_bytes", -5}}, FileFormat::kCsv).ok());
  EXPECT_FALSE(import_options_from_json({{"delimiter", ","}}, FileFormat::kParquet).ok());
  EXPECT_EQ(*format_from_path("x/y.NDJSON"), FileFormat::kJsonl);
  EXPECT_FALSE(format_from_path("x.xlsx").ok());
}

}  // namespace
}  // namespace maas::data
