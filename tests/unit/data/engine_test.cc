#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <thread>

#include "data/engine/database.h"
#include "data/engine/engine_error.h"
#include "data/engine/sql_text.h"
#include "temp_dir.h"

namespace maas::data::engine {
namespace {

using testing::TempDir;

std::unique_ptr<Database> open_database(EngineOptions options = {}) {
  auto db = Database::open(options);
  EXPECT_TRUE(db.ok()) << db.status().to_string();
  return std::move(db).value();
}

Chunk fetch(Connection& c, const std::string& sql) {
  auto result = c.query(sql);
  EXPECT_TRUE(result.ok()) << sql << ": " << result.status().to_string();
  auto chunk = result->fetch_all();
  EXPECT_TRUE(chunk.ok()) << chunk.status().to_string();
  return std::move(chunk).value();
}

TEST(DataEngine, LibraryIsTheReleaseTheHeaderCameFrom) {
  EXPECT_EQ(library_version(), compiled_version());
  EXPECT_EQ(compiled_version(), "v1.4.4");
}

TEST(DataEngine, ParquetJsonAndIcuAreBuiltIn) {
  auto db = open_database();
  auto c = db->connect();
  ASSERT_TRUE(c.ok());
  Chunk chunk = fetch(*c, "SELECT extension_name FROM duckdb_extensions() WHERE loaded AND "
                          "install_mode = 'STATICALLY_LINKED' AND extension_name IN ('parquet', 'json', 'icu') "
                          "ORDER BY 1");
  ASSERT_EQ(chunk.rows, 3u);
  EXPECT_EQ(chunk.columns[0].strings, (std::vector<std::string>{"icu", "json", "parquet"}));
  // ICU's time zones: a UTC instant shown in Tokyo.
  Chunk tz = fetch(*c, "SELECT strftime(timezone('Asia/Tokyo', TIMESTAMPTZ '2024-07-01 00:00:00+00'), '%H:%M')");
  EXPECT_EQ(tz.columns[0].strings[0], "09:00");
}

TEST(DataEngine, AppliesMemoryLimitAndThreads) {
  EngineOptions options;
  options.memory_limit_bytes = uint64_t{256} << 20;
  options.threads = 2;
  auto db = open_database(options);
  auto c = db->connect();
  Chunk chunk = fetch(*c, "SELECT current_setting('memory_limit'), current_setting('threads')::BIGINT");
  EXPECT_EQ(chunk.columns[0].strings[0], "256.0 MiB");
  EXPECT_EQ(chunk.columns[1].ints[0], 2);
}

TEST(DataEngine, RefusesBadOptions) {
  EngineOptions options;
  options.memory_limit_bytes = 1024;
  EXPECT_EQ(Database::open(options).status().code(), StatusCode::kInvalidArgument);
  options = {};
  options.threads = -1;
  EXPECT_EQ(Database::open(options).status().code(), StatusCode::kInvalidArgument);
  options = {};
  options.file_access = FileAccess{{}, {"relative/dir"}};
  EXPECT_EQ(Database::open(options).status().code(), StatusCode::kInvalidArgument);
}

TEST(DataEngine, ReadsTypedColumnsWithNulls) {
  auto db = open_database();
  auto c = db->connect();
  Chunk chunk = fetch(*c, "SELECT * FROM (VALUES (1::TINYINT, 1.5::FLOAT, 'a', true, 12.34::DECIMAL(6,2)), "
                          "(NULL, NULL, NULL, NULL, NULL), (-3, 2.25, 'a longer string than twelve', false, -0.5))");
  ASSERT_EQ(chunk.rows, 3u);
  ASSERT_EQ(chunk.columns.size(), 5u);
  EXPECT_EQ(chunk.columns[0].kind, ColumnKind::kInt64);
  EXPECT_EQ(chunk.columns[0].ints[0], 1);
  EXPECT_TRUE(chunk.columns[0].is_null(1));
  EXPECT_EQ(chunk.columns[0].ints[2], -3);
  EXPECT_EQ(chunk.columns[1].kind, ColumnKind::kDouble);
  EXPECT_DOUBLE_EQ(chunk.columns[1].doubles[2], 2.25);
  EXPECT_EQ(chunk.columns[2].strings[2], "a longer string than twelve");
  EXPECT_TRUE(chunk.columns[2].is_null(1));
  EXPECT_EQ(chunk.columns[3].kind, ColumnKind::kBool);
  EXPECT_EQ(chunk.columns[3].ints[0], 1);
  EXPECT_DOUBLE_EQ(chunk.columns[4].doubles[0], 12.34);
  EXPECT_DOUBLE_EQ(chunk.columns[4].doubles[2], -0.5);
}

TEST(DataEngine, StreamsLargeResultsChunkByChunk) {
  auto db = open_database();
  auto c = db->connect();
  auto result = c->query("SELECT range AS i FROM range(100000)");
  ASSERT_TRUE(result.ok());
  int64_t rows = 0, sum = 0, chunks = 0;
  for (;;) {
    auto chunk = result->next_chunk();
    ASSERT_TRUE(chunk.ok()) << chunk.status().to_string();
    if (!*chunk) break;
    ++chunks;
    rows += static_cast<int64_t>((*chunk)->rows);
    for (int64_t v : (*chunk)->columns[0].ints) sum += v;
  }
  EXPECT_EQ(rows, 100000);
  EXPECT_EQ(sum, int64_t{100000} * 99999 / 2);
  EXPECT_GT(chunks, 10);
}

TEST(DataEngine, UnsupportedColumnTypeNamesTheColumn) {
  auto db = open_database();
  auto c = db->connect();
  auto result = c->query("SELECT DATE '2024-01-01' AS day");
  ASSERT_TRUE(result.ok());
  auto chunk = result->next_chunk();
  ASSERT_FALSE(chunk.ok());
  EXPECT_NE(chunk.status().message().find("'day' has type DATE"), std::string::npos) << chunk.status().message();
}

TEST(DataEngine, PreparedStatementBindsParameters) {
  auto db = open_database();
  auto c = db->connect();
  auto statement = c->prepare("SELECT $1::BIGINT + 1, $2 || '!', $3 * 2.0, $4 IS NULL, NOT $5");
  ASSERT_TRUE(statement.ok()) << statement.status().to_string();
  EXPECT_EQ(statement->parameter_count(), 5u);
  std::vector<Value> values = {int64_t{41}, std::string("it's"), 1.25, std::monostate{}, false};
  ASSERT_TRUE(statement->bind_all(values).ok());
  EXPECT_EQ(statement->bind(6, int64_t{1}).code(), StatusCode::kInvalidArgument);
  auto result = statement->execute();
  ASSERT_TRUE(result.ok()) << result.status().to_string();
  auto chunk = result->fetch_all();
  ASSERT_TRUE(chunk.ok());
  EXPECT_EQ(chunk->columns[0].ints[0], 42);
  EXPECT_EQ(chunk->columns[1].strings[0], "it's!");
  EXPECT_DOUBLE_EQ(chunk->columns[2].doubles[0], 2.5);
  EXPECT_EQ(chunk->columns[3].ints[0], 1);
  EXPECT_EQ(chunk->columns[4].ints[0], 1);
}

TEST(DataEngine, ErrorsCarryDuckDBsMessageAndACode) {
  auto db = open_database();
  auto c = db->connect();
  Status syntax = c->execute("SELEC 1");
  EXPECT_EQ(syntax.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(syntax.message().find("syntax error"), std::string::npos) << syntax.message();
  auto missing = c->query("SELECT * FROM no_such_table");
  EXPECT_EQ(missing.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(missing.status().message().find("no_such_table"), std::string::npos);
  EXPECT_EQ(c->prepare("SELECT 1; SELECT 2").status().code(), StatusCode::kInvalidArgument);
  // An error raised while the query runs is reported by next_chunk (or by query, when it comes first).
  auto result = c->query("SELECT CASE WHEN range < 5000 THEN range ELSE error('boom at ' || range) END FROM range(10000)");
  Status streamed = result.status();
  while (streamed.ok()) {
    auto chunk = result->next_chunk();
    if (!chunk.ok()) streamed = chunk.status();
    if (chunk.ok() && !*chunk) break;
  }
  EXPECT_NE(streamed.message().find("boom at"), std::string::npos) << streamed.to_string();
}

TEST(DataEngine, AppenderWritesRows) {
  auto db = open_database();
  auto c = db->connect();
  ASSERT_TRUE(c->execute("CREATE TABLE t (i BIGINT, d DOUBLE, s VARCHAR, b BOOLEAN)").ok());
  {
    auto appender = c->appender("t");
    ASSERT_TRUE(appender.ok()) << appender.status().to_string();
    for (int64_t i = 0; i < 5000; ++i) {
      std::vector<Value> row = {i, static_cast<double>(i) / 2, "row " + std::to_string(i), i % 2 == 0};
      ASSERT_TRUE(appender->append_row(row).ok());
    }
    std::vector<Value> nulls = {std::monostate{}, std::monostate{}, std::monostate{}, std::monostate{}};
    ASSERT_TRUE(appender->append_row(nulls).ok());
    ASSERT_TRUE(appender->close().ok());
  }
  {
    auto appender = c->appender("t");
    ASSERT_TRUE(appender.ok());
    std::vector<Value> short_row = {int64_t{1}};
    EXPECT_FALSE(appender->append_row(short_row).ok());
  }
  // sum() of BIGINT is a HUGEINT, read as int64 while it fits.
  Chunk chunk = fetch(*c, "SELECT count(*), sum(i), count(s), sum(b::INT) FROM t");
  EXPECT_EQ(chunk.columns[0].ints[0], 5001);
  EXPECT_EQ(chunk.columns[1].ints[0], int64_t{5000} * 4999 / 2);
  EXPECT_EQ(chunk.columns[2].ints[0], 5000);
  EXPECT_EQ(chunk.columns[3].ints[0], 2500);
  EXPECT_EQ(c->appender("missing").status().code(), StatusCode::kInvalidArgument);
}

TEST(DataEngine, InterruptStopsARunningQuery) {
  auto db = open_database();
  auto c = db->connect();
  // A query of minutes; another thread interrupts it until it has stopped (an interrupt that lands before the
  // query starts is cleared by the start, hence the loop).
  std::atomic<bool> done = false;
  std::thread interrupter([&] {
    while (!done) {
      c->interrupt();
      std::this_thread::yield();
    }
  });
  Status status;
  auto result = c->query("SELECT count(*) FROM range(1000000000000) a");
  status = result.ok() ? result->fetch_all().status() : result.status();
  done = true;
  interrupter.join();
  EXPECT_EQ(status.code(), StatusCode::kDeadlineExceeded) << status.to_string();
}

TEST(DataEngine, ReportsProgressOfARunningQuery) {
  auto db = open_database();
  auto c = db->connect();
  EXPECT_LT(c->progress(), 0.0);  // nothing running
  std::atomic<bool> done = false;
  std::atomic<double> seen = -1;
  std::thread watcher([&] {
    while (!done) {
      double p = c->progress();
      if (p > 0) seen = p;
      if (p > 0.01) c->interrupt();  // seen enough: stop the long query
      std::this_thread::yield();
    }
  });
  // Progress comes from table scans (a table function such as range() reports none).
  ASSERT_TRUE(c->execute("CREATE TABLE t AS SELECT range AS i FROM range(20000000)").ok());
  auto result = c->query("SELECT count(DISTINCT i % 1000003) FROM t");
  if (result.ok()) (void)result->fetch_all();
  done = true;
  watcher.join();
  EXPECT_GT(seen.load(), 0.0);
  EXPECT_LE(seen.load(), 1.0);
}

TEST(DataEngine, SpillsPastTheMemoryLimitIntoTheTempDirectory) {
  TempDir dir;
  EngineOptions options;
  options.memory_limit_bytes = uint64_t{64} << 20;
  options.threads = 2;
  options.temp_directory = dir.path();
  auto db = open_database(options);
  auto c = db->connect();
  // A sort of ~200 MB of strings cannot stay within 64 MiB.
  Chunk chunk = fetch(*c, "SELECT count(*) FROM (SELECT md5(range::VARCHAR) || repeat('x', 40) AS s FROM "
                          "range(2000000) ORDER BY s)");
  EXPECT_EQ(chunk.columns[0].ints[0], 2000000);
  EngineOptions no_spill = options;
  no_spill.temp_directory.clear();
  auto small = open_database(no_spill);
  auto c2 = small->connect();
  auto failed = c2->query("SELECT max(s) FROM (SELECT md5(range::VARCHAR) || repeat('x', 40) AS s FROM "
                          "range(2000000) ORDER BY s)");
  Status status = failed.status();
  if (failed.ok()) status = failed->fetch_all().status();
  EXPECT_EQ(status.code(), StatusCode::kResourceExhausted) << status.to_string();
}

TEST(EngineError, ShortensAQuotedLineAndKeepsUtf8Whole) {
  std::string message = "Invalid Input Error: CSV Error on Line: 1\nOriginal Line: 2," + std::string(100000, 'y') +
                        "\nMaximum line size exceeded";
  Status status = engine_error(DUCKDB_ERROR_INVALID_INPUT, message, "importing x.csv");
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_LT(status.message().size(), 1024u);
  EXPECT_NE(status.message().find("(100002 bytes)"), std::string::npos) << status.message();
  EXPECT_NE(status.message().find("Maximum line size exceeded"), std::string::npos);
  EXPECT_EQ(status.message().rfind("importing x.csv: ", 0), 0u);
  // A long message without a quoted line is cut, never inside a UTF-8 sequence.
  std::string long_text;
  while (long_text.size() < 10000) long_text += "é";
  Status cut = engine_error(DUCKDB_ERROR_CONVERSION, long_text);
  const std::string& m = cut.message();
  EXPECT_LE(m.size(), 4096u + 6);
  EXPECT_EQ(m.substr(m.size() - 6), " [...]");
  EXPECT_EQ(m.size() % 2, 0u);  // whole two-byte characters, then " [...]"
  EXPECT_EQ(engine_error("Permission Error: Cannot access file").code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(engine_error("Out of Memory Error: failed").code(), StatusCode::kResourceExhausted);
}

TEST(SqlText, QuotesLiteralsAndIdentifiers) {
  EXPECT_EQ(quote_literal("it's"), "'it''s'");
  EXPECT_EQ(quote_identifier("a \"b\""), "\"a \"\"b\"\"\"");
  EXPECT_EQ(quote_literal(std::string("a\0b", 3)), "'ab'");
}

}  // namespace
}  // namespace maas::data::engine
