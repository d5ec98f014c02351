// `maas logs QUERY`: search the log center with LogQL, and with --follow keep printing new entries as they
// arrive (the server's live tail over Server-Sent Events).
#include <CLI/CLI.hpp>

#include <iostream>
#include <memory>
#include <string>

#include "cli/commands.h"
#include "cli/url.h"
#include "common/clock.h"

namespace maas::cli {
namespace {

using nlohmann::json;

struct LogsArgs {
  std::string query;
  std::string since = "1h";
  int limit = 100;
  bool follow = false;
  bool archive = false;
};

std::string labels_text(const json& stream) {
  std::string out = "{";
  for (auto it = stream.begin(); it != stream.end(); ++it) {
    if (out.size() > 1) out += ", ";
    out += it.key() + "=" + it.value().dump();
  }
  return out + "}";
}

// One entry per line: time, stream labels, line. JSON mode: one JSON object per entry (jq-friendly).
void print_entry(const CommandContext& context, const json& stream, const std::string& ts, const std::string& line) {
  if (context.output == OutputFormat::kJson) {
    std::cout << json{{"ts", ts}, {"labels", stream}, {"line", line}}.dump(-1, ' ', false, json::error_handler_t::replace)
              << "\n";
  } else {
    int64_t ns = std::stoll(ts);
    std::cout << format_rfc3339_ms(ns / 1'000'000) << " " << labels_text(stream) << " " << line << "\n";
  }
}

ExitCode print_recent(CommandContext& context, const LogsArgs& args) {
  std::string path = "/loki/api/v1/query_range";
  append_query(path, "query", args.query);
  append_query(path, "since", args.since);
  append_query(path, "limit", std::to_string(args.limit));
  if (args.archive) append_query(path, "archive", "true");
  auto body = context.api.get(path);
  if (!body.ok()) return report_failure(body.status());
  const json& data = body->at("data");
  if (data.value("resultType", "") != "streams") {
    std::cout << render_json(data.at("result"));
    return ExitCode::kOk;
  }
  // The server returns the newest `limit` entries; print them oldest first, as a terminal reads.
  struct Row {
    std::string ts;
    const json* stream;
    std::string line;
  };
  std::vector<Row> rows;
  for (const auto& s : data.at("result")) {
    for (const auto& v : s.at("values")) rows.push_back({v.at(0).get<std::string>(), &s.at("stream"), v.at(1).get<std::string>()});
  }
  std::sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
    return a.ts.size() != b.ts.size() ? a.ts.size() < b.ts.size() : a.ts < b.ts;
  });
  for (const auto& r : rows) print_entry(context, *r.stream, r.ts, r.line);
  std::cout.flush();
  return ExitCode::kOk;
}

ExitCode follow(CommandContext& context, const LogsArgs& args) {
  std::string path = "/api/v1/logs/tail";
  append_query(path, "query", args.query);
  std::string pending;
  auto sink = [&](const char* data, size_t size) -> Status {
    pending.append(data, size);
    size_t end;
    while ((end = pending.find("\n\n")) != std::string::npos) {
      std::string event = pending.substr(0, end);
      pending.erase(0, end + 2);
      if (event.rfind("data: ", 0) != 0) continue;  // comments and the "dropped" notice
      auto j = json::parse(event.substr(6), nullptr, false);
      if (!j.is_object() || !j.contains("values")) continue;
      for (const auto& v : j.at("values")) print_entry(context, j.at("stream"), v.at(0).get<std::string>(), v.at(1).get<std::string>());
      std::cout.flush();
    }
    return {};
  };
  auto response = context.api.http().get_streaming(path, [](const HttpResponse&) { return Status(); }, sink);
  if (!response.ok()) return report_failure(response.status());
  if (response->status >= 300) return report_failure(decode_response(*response).status());
  return ExitCode::kOk;
}

ExitCode run_logs(CommandContext& context, const LogsArgs& args) {
  ExitCode code = print_recent(context, args);
  if (code != ExitCode::kOk || !args.follow) return code;
  return follow(context, args);
}

}  // namespace

void add_logs_command(CLI::App& app, CommandSelection& selection) {
  auto args = std::make_shared<LogsArgs>();
  CLI::App* command = app.add_subcommand("logs", "Search the log center with LogQL; --follow prints new entries live");
  command->add_option("query", args->query, R"(LogQL, e.g. '{job="maasd", kind="request"} |= "infer"')")->required();
  command->add_option("--since", args->since, "How far back to look (e.g. 15m, 2h)")->capture_default_str();
  command->add_option("--limit", args->limit, "Entries to print at most (the newest)")->capture_default_str()
      ->check(CLI::Range(1, 50000));
  command->add_flag("-f,--follow", args->follow, "Keep printing new entries until interrupted");
  command->add_flag("--archive", args->archive, "Search archived log segments too");
  command->callback([&selection, args] {
    selection.action = [args](CommandContext& context) { return run_logs(context, *args); };
  });
}

}  // namespace maas::cli
