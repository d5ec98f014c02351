#include "data/api/import_query.h"

#include <gtest/gtest.h>

namespace maas::data::api {
namespace {

using Query = std::vector<std::pair<std::string, std::string>>;

TEST(ImportQuery, ReadsEveryOptionAndTheVersionsMetadata) {
  auto request = import_request_from_query(
      {{"format", "tsv"}, {"header", "false"}, {"quote", "'"}, {"null_string", "NA"}, {"max_line_bytes", "4096"},
       {"sample_rows", "100"}, {"max_rejected_rows", "7"}, {"column_type", "price:DECIMAL(12,2)"},
       {"column_type", "a:b:VARCHAR"}, {"date_format", "%d/%m/%Y"}, {"filename", "orders.tsv"},
       {"description", "first load"}, {"tag", "team:data"}, {"tag", "note:a:b"}},
      std::nullopt);
  ASSERT_TRUE(request.ok()) << request.status().to_string();
  const ImportOptions& o = request->options;
  EXPECT_EQ(o.format, FileFormat::kTsv);
  EXPECT_EQ(o.delimiter, "\t");  // TSV's default
  EXPECT_EQ(o.header, false);
  EXPECT_EQ(o.quote, "'");
  EXPECT_EQ(o.null_string, "NA");
  EXPECT_EQ(o.max_line_bytes, 4096u);
  EXPECT_EQ(o.sample_rows, 100);
  EXPECT_EQ(o.max_rejected_rows, 7);
  EXPECT_EQ(o.column_types, (std::map<std::string, std::string>{{"price", "DECIMAL(12,2)"}, {"a:b", "VARCHAR"}}));
  EXPECT_EQ(o.date_format, "%d/%m/%Y");
  EXPECT_EQ(request->source, "upload:orders.tsv");
  EXPECT_EQ(request->description, "first load");
  EXPECT_EQ(request->tags, (store::StringMap{{"team", "data"}, {"note", "a:b"}}));
}

TEST(ImportQuery, TheFormatComesFromTheParameterThenTheContentTypeThenTheFileName) {
  EXPECT_EQ(import_request_from_query({{"format", "jsonl"}}, "text/csv")->options.format, FileFormat::kJsonl);
  EXPECT_EQ(import_request_from_query({{"filename", "x.csv"}}, "application/x-ndjson; charset=utf-8")->options.format,
            FileFormat::kJsonl);
  EXPECT_EQ(import_request_from_query({{"filename", "x.parquet"}}, "application/octet-stream")->options.format,
            FileFormat::kParquet);
  EXPECT_EQ(import_request_from_query({}, "text/tab-separated-values")->options.delimiter, "\t");
  EXPECT_EQ(import_request_from_query({{"format", "csv"}, {"delimiter", "\\t"}}, std::nullopt)->options.delimiter,
            "\t");
  auto none = import_request_from_query({}, "application/octet-stream");
  EXPECT_EQ(none.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(none.status().message().find("?format="), std::string::npos);
}

TEST(ImportQuery, BadParametersAreRefusedByName) {
  auto message = [](const Query& q) {
    auto r = import_request_from_query(q, std::nullopt);
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
    return r.status().message();
  };
  EXPECT_NE(message({{"format", "xml"}}).find("csv, tsv, jsonl or parquet"), std::string::npos);
  EXPECT_NE(message({{"format", "csv"}, {"colour", "red"}}).find("unknown query parameter 'colour'"), std::string::npos);
  EXPECT_NE(message({{"format", "csv"}, {"format", "tsv"}}).find("more than once"), std::string::npos);
  EXPECT_NE(message({{"format", "csv"}, {"header", "yes"}}).find("true or false"), std::string::npos);
  EXPECT_NE(message({{"format", "csv"}, {"sample_rows", "ten"}}).find("whole number"), std::string::npos);
  EXPECT_NE(message({{"format", "csv"}, {"max_line_bytes", "10"}}).find("max_line_bytes"), std::string::npos);
  EXPECT_NE(message({{"format", "csv"}, {"column_type", "price"}}).find("name:value"), std::string::npos);
  EXPECT_NE(message({{"format", "csv"}, {"column_type", "p:DROP TABLE x"}}).find("not a type name"),
            std::string::npos);
  EXPECT_NE(message({{"format", "csv"}, {"filename", "../etc/passwd"}}).find("plain file name"), std::string::npos);
  EXPECT_NE(message({{"format", "parquet"}, {"header", "true"}}).find("Parquet"), std::string::npos);
  EXPECT_NE(message({{"format", "csv"}, {"delimiter", ""}}).find("delimiter"), std::string::npos);
}

}  // namespace
}  // namespace maas::data::api
