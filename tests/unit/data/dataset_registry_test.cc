#include "data/datasets/dataset_registry.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <set>

#include "data/engine/database.h"
#include "store/sqlite/sqlite_dataset_store.h"
#include "temp_dir.h"

namespace maas::data {
namespace {

namespace fs = std::filesystem;

ino_t inode_of(const fs::path& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 ? st.st_ino : 0;
}

class DatasetRegistryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = store::sqlite::SqliteDatasetStore::open(dir_ / "metadata.db");
    ASSERT_TRUE(store.ok()) << store.status().to_string();
    store_ = std::move(store).value();
    auto artifacts = artifacts::ArtifactStore::open(dir_ / "artifacts", uint64_t{1} << 30);
    ASSERT_TRUE(artifacts.ok());
    artifacts_ = std::move(artifacts).value();
    DatasetRegistryOptions options;
    options.engine.memory_limit_bytes = uint64_t{256} << 20;
    options.engine.threads = 2;
    options.spill_root = dir_ / "spill";
    auto registry = DatasetRegistry::make(*store_, *artifacts_, options);
    ASSERT_TRUE(registry.ok()) << registry.status().to_string();
    registry_ = std::move(registry).value();
    ASSERT_TRUE(registry_->create_dataset({"orders", "test orders", {}}).ok());
  }

  fs::path write_file(const std::string& name, const std::string& content) {
    fs::path path = dir_ / name;
    std::ofstream(path) << content;
    return path;
  }

  ImportRequest csv_request() {
    ImportRequest r;
    r.source = "file:orders.csv";
    r.created_by = "tester";
    r.job_id = "job-7";
    return r;
  }

  size_t files_in(const fs::path& dir) {
    size_t n = 0;
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(dir, ec); it != fs::recursive_directory_iterator(); ++it) {
      if (it->is_regular_file()) ++n;
    }
    return n;
  }

  testing::TempDir dir_;
  std::unique_ptr<store::sqlite::SqliteDatasetStore> store_;
  std::unique_ptr<artifacts::ArtifactStore> artifacts_;
  std::unique_ptr<DatasetRegistry> registry_;
};

TEST_F(DatasetRegistryTest, ImportRecordsAVersionWithSnapshotSchemaProfileRejectsAndLineage) {
  std::vector<std::string> stages;
  ImportHooks hooks;
  hooks.on_stage = [&](std::string_view s) { stages.emplace_back(s); };
  bool had_connection = false;
  hooks.on_connection = [&](engine::Connection* c) { had_connection |= c != nullptr; };
  auto view = registry_->import_version("orders", write_file("orders.csv", "id,amount\n1,2.5\n2,x,y\n3,4.5\n"),
                                        csv_request(), hooks);
  ASSERT_TRUE(view.ok()) << view.status().to_string();
  const auto& v = view->version;
  EXPECT_EQ(v.version, 1);
  EXPECT_EQ(v.row_count, 2);
  EXPECT_EQ(v.rejected_rows, 1);
  EXPECT_FALSE(v.rejects_digest.empty());
  EXPECT_EQ(v.schema, nlohmann::json::parse(R"([{"name":"id","type":"BIGINT"},{"name":"amount","type":"DOUBLE"}])"));
  EXPECT_EQ(v.profile["rows"], 2);
  EXPECT_EQ(v.profile["columns"][1]["mean"], 3.5);
  EXPECT_EQ(v.lineage.source, "file:orders.csv");
  EXPECT_EQ(v.lineage.job_id, "job-7");
  EXPECT_EQ(v.lineage.details["import"]["format"], "csv");
  EXPECT_EQ(v.state, store::kDatasetReady);
  EXPECT_EQ(stages, (std::vector<std::string>{"imported", "profiled", "stored", "recorded"}));
  EXPECT_TRUE(had_connection);
  // Both blobs are in the store under their digests; no temp file is left.
  EXPECT_TRUE(artifacts_->contains(v.digest));
  EXPECT_TRUE(artifacts_->contains(v.rejects_digest));
  EXPECT_EQ(artifacts_->stats()->temp_files, 0u);
  EXPECT_EQ(files_in(dir_ / "spill"), 0u);
  auto snapshot = registry_->verified_file("orders", "latest");
  ASSERT_TRUE(snapshot.ok());
  EXPECT_EQ(fs::file_size(snapshot->path), v.size_bytes);
  EXPECT_EQ(snapshot->digest, v.digest);
  EXPECT_TRUE(registry_->verified_file("orders", "1", VersionFile::kRejects).ok());
}

TEST_F(DatasetRegistryTest, AFailedImportRecordsNothingAndLeavesNoFiles) {
  ImportRequest request = csv_request();
  request.options.column_types = {{"id", "BIGINT"}};
  request.options.max_rejected_rows = 1;
  auto view = registry_->import_version("orders", write_file("bad.csv", "id\nx\ny\nz\n"), request);
  EXPECT_EQ(view.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(registry_->get_dataset("orders")->dataset.version_count, 0);
  EXPECT_EQ(artifacts_->stats()->blobs, 0u);
  EXPECT_EQ(artifacts_->stats()->temp_files, 0u);
  // Unknown dataset: refused before any work.
  EXPECT_EQ(registry_->import_version("nope", write_file("a.csv", "a\n1\n"), csv_request()).status().code(),
            StatusCode::kNotFound);
}

TEST_F(DatasetRegistryTest, ReferencesAliasesAndRetiring) {
  ASSERT_TRUE(registry_->import_version("orders", write_file("a.csv", "a\n1\n"), csv_request()).ok());
  ASSERT_TRUE(registry_->import_version("orders", write_file("b.csv", "a\n1\n2\n"), csv_request()).ok());
  EXPECT_EQ(*registry_->resolve("orders", "latest"), 2);
  ASSERT_TRUE(registry_->set_alias("orders", "train", 1).ok());
  EXPECT_EQ(registry_->get_version("orders", "train")->version.row_count, 1);
  EXPECT_EQ(registry_->get_version("orders", "train")->aliases, std::vector<std::string>{"train"});
  EXPECT_EQ(registry_->set_alias("orders", "latest", 1).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(registry_->resolve("orders", "no such alias!").status().code(), StatusCode::kInvalidArgument);
  store::DatasetVersionPatch retire;
  retire.state = "retired";
  ASSERT_TRUE(registry_->update_version("orders", "2", retire).ok());
  EXPECT_EQ(*registry_->resolve("orders", "latest"), 1);
  store::DatasetVersionPatch bad;
  bad.state = "deleted";
  EXPECT_EQ(registry_->update_version("orders", "2", bad).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(registry_->delete_version("orders", "train").code(), StatusCode::kFailedPrecondition);
  auto page = registry_->list_versions("orders", {std::nullopt, 0, 1}, "");
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->versions.size(), 1u);
  EXPECT_EQ(page->next_page_token, "2");
  EXPECT_EQ(registry_->create_dataset({"Bad Name", "", {}}).status().code(), StatusCode::kInvalidArgument);
}

TEST_F(DatasetRegistryTest, PreviewAndExportAVersion) {
  ASSERT_TRUE(registry_->import_version("orders", write_file("a.csv", "id,name\n1,a\n2,b\n3,c\n"), csv_request()).ok());
  PreviewOptions page;
  page.offset = 1;
  page.limit = 1;
  auto preview = registry_->preview_version("orders", "1", page);
  ASSERT_TRUE(preview.ok()) << preview.status().to_string();
  EXPECT_EQ(preview->rows, nlohmann::json::parse(R"([[2, "b"]])"));
  std::string csv;
  auto rows = registry_->export_version("orders", "latest", {}, [&](std::string_view piece) {
    csv += piece;
    return Status();
  });
  ASSERT_TRUE(rows.ok()) << rows.status().to_string();
  EXPECT_EQ(csv, "id,name\n1,a\n2,b\n3,c\n");
}

TEST_F(DatasetRegistryTest, AnExportIsReadPieceByPieceAndKeepsItsFilePinned) {
  std::string csv = "id\n";
  for (int i = 0; i < 5000; ++i) csv += std::to_string(i) + "\n";
  auto view = registry_->import_version("orders", write_file("a.csv", csv), csv_request());
  ASSERT_TRUE(view.ok()) << view.status().to_string();
  ExportOptions options;
  options.format = ExportFormat::kJsonl;
  auto exporting = registry_->open_export("orders", "1", options);
  ASSERT_TRUE(exporting.ok()) << exporting.status().to_string();
  // Deleted and garbage-collected meanwhile: the pin keeps the blob until the export is done.
  ASSERT_TRUE(registry_->delete_version("orders", "1").ok());
  auto gc = artifacts_->collect_garbage([&] { return store_->dataset_digests(); });
  ASSERT_TRUE(gc.ok());
  EXPECT_TRUE(artifacts_->contains(view->version.digest));
  int pieces = 0;
  std::string text;
  for (;;) {
    auto piece = (*exporting)->next();
    ASSERT_TRUE(piece.ok()) << piece.status().to_string();
    if (piece->empty()) break;
    ++pieces;
    text += *piece;
  }
  EXPECT_GT(pieces, 1);  // 2048 rows a piece
  EXPECT_EQ((*exporting)->rows(), 5000);
  EXPECT_EQ(text.substr(0, 18), "{\"id\":0}\n{\"id\":1}\n");
  exporting->reset();
  ASSERT_TRUE(artifacts_->collect_garbage([&] { return store_->dataset_digests(); }).ok());
  EXPECT_FALSE(artifacts_->contains(view->version.digest));
}

TEST_F(DatasetRegistryTest, ReadsCheckTheCallersOptionsAgainstTheRecordedSchema) {
  ASSERT_TRUE(registry_->import_version("orders", write_file("a.csv", "id,name\n1,a\n"), csv_request()).ok());
  PreviewOptions page;
  page.columns = {"nope"};
  EXPECT_EQ(registry_->preview_version("orders", "1", page).status().code(), StatusCode::kInvalidArgument);
  ExportOptions options;
  options.columns = {"nope"};
  EXPECT_EQ(registry_->open_export("orders", "1", options).status().code(), StatusCode::kInvalidArgument);
  // No rejected rows: an empty page with the rejects' columns; no file to download.
  auto rejects = registry_->preview_version("orders", "1", {}, VersionFile::kRejects);
  ASSERT_TRUE(rejects.ok()) << rejects.status().to_string();
  EXPECT_EQ(rejects->total_rows, 0);
  ASSERT_EQ(rejects->columns.size(), 5u);
  EXPECT_EQ(rejects->columns[0].name, "line");
  EXPECT_EQ(registry_->open_export("orders", "1", {}, VersionFile::kRejects).status().code(), StatusCode::kNotFound);
}

TEST_F(DatasetRegistryTest, TheRejectedRowsArePagedLikeRows) {
  ASSERT_TRUE(registry_->import_version("orders", write_file("a.csv", "id,n\n1,2\nx,y,z\n3,4\nq\n"), csv_request()).ok());
  PreviewOptions page;
  page.columns = {"line", "raw_line"};
  auto rejects = registry_->preview_version("orders", "1", page, VersionFile::kRejects);
  ASSERT_TRUE(rejects.ok()) << rejects.status().to_string();
  // One row per error: a line can have several (a column too many and a value that does not convert).
  std::set<std::pair<int64_t, std::string>> lines;
  for (const auto& row : rejects->rows) lines.emplace(row[0].get<int64_t>(), row[1].get<std::string>());
  EXPECT_EQ(lines, (std::set<std::pair<int64_t, std::string>>{{3, "x,y,z"}, {5, "q"}}));
  EXPECT_EQ(rejects->total_rows, static_cast<int64_t>(rejects->rows.size()));
}

TEST_F(DatasetRegistryTest, WhatIsKnownOfTheInputIsInTheLineage) {
  ImportRequest request = csv_request();
  request.input = {{"bytes", 6}, {"sha256", "abc"}};
  auto view = registry_->import_version("orders", write_file("a.csv", "id\n1\n"), request);
  ASSERT_TRUE(view.ok()) << view.status().to_string();
  EXPECT_EQ(view->version.lineage.details["input"]["sha256"], "abc");
}

TEST_F(DatasetRegistryTest, ACorruptSnapshotIsNotServed) {
  auto view = registry_->import_version("orders", write_file("a.csv", "a\n1\n"), csv_request());
  ASSERT_TRUE(view.ok());
  fs::path blob = artifacts_->blob_path(view->version.digest);
  fs::permissions(blob, fs::perms::owner_write, fs::perm_options::add);
  std::ofstream(blob, std::ios::app) << "tampered";
  EXPECT_EQ(registry_->verified_file("orders", "1").status().code(), StatusCode::kInternal);
  EXPECT_EQ(registry_->preview_version("orders", "1", {}).status().code(), StatusCode::kInternal);
}

TEST_F(DatasetRegistryTest, AJobsOutputIsMovedIntoTheStoreNotCopied) {
  // What a clean or split job leaves in its directory: the rows and the rejects, as Parquet.
  engine::EngineOptions options;
  options.temp_directory = dir_ / "job-spill";
  auto db = engine::Database::open(options);
  ASSERT_TRUE(db.ok()) << db.status().to_string();
  auto c = (*db)->connect();
  ASSERT_TRUE(c.ok());
  const fs::path rows = dir_ / "job" / "rows.parquet";
  const fs::path rejects = dir_ / "job" / "rejects.parquet";
  fs::create_directories(rows.parent_path());
  ASSERT_TRUE(c->execute("COPY (SELECT range AS id, range * 1.5 AS amount FROM range(5)) TO '" + rows.string() +
                         "' (FORMAT PARQUET)")
                  .ok());
  ASSERT_TRUE(
      c->execute("COPY (SELECT 7 AS line, 'bad' AS message) TO '" + rejects.string() + "' (FORMAT PARQUET)").ok());
  const ino_t rows_inode = inode_of(rows), rejects_inode = inode_of(rejects);

  DeriveRequest request;
  request.dataset = "orders";
  request.lineage.source = "clean:orders@1";
  DerivedTable table;
  table.rows = 5;
  table.rejected_rows = 1;
  auto view = registry_->derive_version(request, adopt_job_output(rows, rejects, table));
  ASSERT_TRUE(view.ok()) << view.status().to_string();
  EXPECT_EQ(view->version.row_count, 5);
  EXPECT_EQ(view->version.profile["rows"], 5);  // profiled from the moved file
  EXPECT_EQ(view->version.rejected_rows, 1);
  EXPECT_FALSE(fs::exists(rows));
  EXPECT_FALSE(fs::exists(rejects));
  // The job's files themselves now lie under their digests: nothing was copied.
  EXPECT_EQ(inode_of(artifacts_->blob_path(view->version.digest)), rows_inode);
  EXPECT_EQ(inode_of(artifacts_->blob_path(view->version.rejects_digest)), rejects_inode);
  EXPECT_EQ(artifacts_->stats()->temp_files, 0u);
}

}  // namespace
}  // namespace maas::data
