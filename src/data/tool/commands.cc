#include "data/tool/commands.h"

#include <system_error>

#include "artifacts/artifact_store.h"
#include "common/files.h"
#include "common/random.h"
#include "config/server_config.h"
#include "data/datasets/dataset_json.h"
#include "data/datasets/import.h"
#include "data/engine/database.h"
#include "store/sqlite/sqlite_dataset_store.h"

namespace maas::data::tool {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// Runs `work` on a database with the flags' limits (the tool reads and writes the files it is told to: no sandbox).
Status with_connection(const EngineFlags& flags, const std::function<Status(engine::Connection&)>& work) {
  fs::path parent = flags.temp_dir.empty() ? fs::temp_directory_path() : flags.temp_dir;
  MAAS_ASSIGN_OR_RETURN(ScopedDirectory spill, ScopedDirectory::create(parent / ("maas-data-" + random_hex(8))));
  MAAS_ASSIGN_OR_RETURN(engine::EngineOptions options, engine_options(flags));
  options.temp_directory = spill.path();
  MAAS_ASSIGN_OR_RETURN(auto database, engine::Database::open(options));
  MAAS_ASSIGN_OR_RETURN(engine::Connection connection, database->connect());
  return work(connection);
}

Result<ImportOptions> parse_import_options(const std::string& options_json, const std::string& format,
                                           const fs::path& input) {
  json j;
  if (!options_json.empty()) {
    j = json::parse(options_json, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded() || !j.is_object()) return invalid_argument("--options must be a JSON object");
  }
  FileFormat default_format = FileFormat::kCsv;
  if (!format.empty()) {
    MAAS_ASSIGN_OR_RETURN(default_format, parse_format(format));
  } else if (!j.contains("format")) {
    MAAS_ASSIGN_OR_RETURN(default_format, format_from_path(input));
  }
  return import_options_from_json(j.is_null() ? json::object() : j, default_format);
}

}  // namespace

Result<engine::EngineOptions> engine_options(const EngineFlags& flags) {
  engine::EngineOptions options;
  MAAS_ASSIGN_OR_RETURN(options.memory_limit_bytes, config::parse_size(flags.memory_limit));
  options.threads = flags.threads;
  MAAS_RETURN_IF_ERROR(options.validate());
  return options;
}

Result<json> run_import(const EngineFlags& flags, const ImportArgs& args) {
  MAAS_ASSIGN_OR_RETURN(ImportOptions options, parse_import_options(args.options_json, args.format, args.input));
  ImportTarget target{args.snapshot, args.rejects.empty() ? fs::path(args.snapshot.string() + ".rejects.parquet")
                                                          : args.rejects,
                      fs::path(args.snapshot.string() + ".scratch")};
  json out;
  MAAS_RETURN_IF_ERROR(with_connection(flags, [&](engine::Connection& c) -> Status {
    MAAS_ASSIGN_OR_RETURN(ImportResult result, import_file(c, args.input, options, target));
    out = {{"rows", result.rows},
           {"rejected_rows", result.rejected_rows},
           {"rejects", result.wrote_rejects ? json(target.rejects.string()) : json(nullptr)},
           {"schema", schema_to_json(result.schema)}};
    if (args.profile) {
      ProfileOptions options;
      MAAS_ASSIGN_OR_RETURN(options.memory_limit_bytes, config::parse_size(flags.memory_limit));
      MAAS_ASSIGN_OR_RETURN(TableProfile profile, profile_table(c, parquet_relation(args.snapshot.string()), options));
      out["profile"] = profile_to_json(profile);
    }
    return {};
  }));
  return out;
}

Result<json> run_profile(const EngineFlags& flags, const fs::path& snapshot, ProfileOptions options) {
  MAAS_ASSIGN_OR_RETURN(options.memory_limit_bytes, config::parse_size(flags.memory_limit));
  json out;
  MAAS_RETURN_IF_ERROR(with_connection(flags, [&](engine::Connection& c) -> Status {
    MAAS_ASSIGN_OR_RETURN(TableProfile profile, profile_table(c, parquet_relation(snapshot.string()), options));
    out = profile_to_json(profile);
    return {};
  }));
  return out;
}

Result<json> run_preview(const EngineFlags& flags, const fs::path& snapshot, const PreviewOptions& options) {
  json out;
  MAAS_RETURN_IF_ERROR(with_connection(flags, [&](engine::Connection& c) -> Status {
    MAAS_ASSIGN_OR_RETURN(Preview page, preview(c, parquet_relation(snapshot.string()), options));
    out = preview_to_json(page, options.offset);
    return {};
  }));
  return out;
}

Result<json> run_export(const EngineFlags& flags, const fs::path& snapshot, const ExportOptions& options,
                        const fs::path& out) {
  int64_t rows = 0;
  MAAS_RETURN_IF_ERROR(with_connection(flags, [&](engine::Connection& c) -> Status {
    MAAS_ASSIGN_OR_RETURN(rows, export_to_file(c, parquet_relation(snapshot.string()), options, out));
    return {};
  }));
  return json{{"rows", rows}, {"path", out.string()}};
}

Result<json> run_registry(const EngineFlags& flags, const std::string& command, const RegistryArgs& args) {
  MAAS_RETURN_IF_ERROR(ensure_directory(args.data_dir));
  MAAS_ASSIGN_OR_RETURN(auto store, store::sqlite::SqliteDatasetStore::open(args.data_dir / "metadata.db"));
  // The tool's registry takes any snapshot size; maasd's limit applies to what maasd stores.
  MAAS_ASSIGN_OR_RETURN(auto artifacts,
                        artifacts::ArtifactStore::open(args.data_dir / "artifacts", uint64_t{1} << 50));
  DatasetRegistryOptions options;
  MAAS_ASSIGN_OR_RETURN(options.engine, engine_options(flags));
  options.spill_root = args.data_dir / "data" / "spill";
  MAAS_ASSIGN_OR_RETURN(auto registry, DatasetRegistry::make(*store, *artifacts, options));

  if (command == "create") {
    MAAS_ASSIGN_OR_RETURN(auto view, registry->create_dataset({args.dataset, args.description, {}}));
    return dataset_json(view);
  }
  if (command == "import") {
    ImportRequest request;
    MAAS_ASSIGN_OR_RETURN(request.options, parse_import_options(args.options_json, args.format, args.input));
    request.source = "file:" + args.input.filename().string();
    request.created_by = "maas-data";
    ImportHooks hooks;
    hooks.on_stage = args.on_stage;
    MAAS_ASSIGN_OR_RETURN(auto view, registry->import_version(args.dataset, args.input, request, hooks));
    return dataset_version_json(view);
  }
  if (command == "versions") {
    MAAS_ASSIGN_OR_RETURN(auto page, registry->list_versions(args.dataset, {}, ""));
    json versions = json::array();
    for (const auto& v : page.versions) versions.push_back(dataset_version_json(v));
    return json{{"versions", versions}};
  }
  if (command == "version") {
    MAAS_ASSIGN_OR_RETURN(auto view, registry->get_version(args.dataset, args.ref));
    return dataset_version_json(view);
  }
  if (command == "preview") {
    MAAS_ASSIGN_OR_RETURN(Preview page, registry->preview_version(args.dataset, args.ref, args.preview));
    return preview_to_json(page, args.preview.offset);
  }
  if (command == "export") {
    if (args.export_format == "parquet") {
      MAAS_ASSIGN_OR_RETURN(VerifiedFile snapshot, registry->verified_file(args.dataset, args.ref));
      std::error_code ec;
      fs::copy_file(snapshot.path, args.out, fs::copy_options::overwrite_existing, ec);
      if (ec) return internal_error("cannot write " + args.out.string() + ": " + ec.message());
      return json{{"path", args.out.string()}};
    }
    ExportOptions options = args.export_options;
    MAAS_ASSIGN_OR_RETURN(options.format, parse_export_format(args.export_format));
    std::unique_ptr<FILE, int (*)(FILE*)> file(std::fopen(args.out.c_str(), "wb"), &std::fclose);
    if (!file) return invalid_argument("cannot create " + args.out.string());
    MAAS_ASSIGN_OR_RETURN(int64_t rows, registry->export_version(args.dataset, args.ref, options,
                                                                 [&](std::string_view piece) -> Status {
      if (std::fwrite(piece.data(), 1, piece.size(), file.get()) != piece.size()) {
        return internal_error("cannot write " + args.out.string());
      }
      return {};
    }));
    return json{{"rows", rows}, {"path", args.out.string()}};
  }
  return invalid_argument("unknown datasets command '" + command + "'");
}

}  // namespace maas::data::tool
