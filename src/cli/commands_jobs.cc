// `maas jobs ...`: submit jobs, list and show them (with a live progress bar), follow their logs, cancel them, and
// list the kinds the server runs (docs/JOBS.md).
#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>
#include <string>
#include <thread>

#include "cli/commands.h"
#include "cli/job_output.h"
#include "cli/progress.h"
#include "cli/table.h"
#include "cli/url.h"

namespace maas::cli {
namespace {

using nlohmann::json;

constexpr auto kWatchInterval = std::chrono::milliseconds(500);

std::string job_path(const std::string& id) { return "/api/v1/jobs/" + percent_encode(id); }

// A job that ended other than succeeded is a failure of `--watch`: scripts can wait on it.
ExitCode final_code(const json& job) { return job.value("state", "") == "succeeded" ? ExitCode::kOk : ExitCode::kUnexpected; }

}  // namespace

// Submits a job and follows it (or prints it).
ExitCode post_job(CommandContext& ctx, const std::string& path, const json& body, bool watching) {
  auto job = ctx.api.post(path, body);
  if (!job.ok()) return report_failure(job.status());
  if (watching) {
    std::cerr << "submitted job " << field_text(*job, "id") << "\n";
    return watch_job(ctx, field_text(*job, "id"));
  }
  print_result(ctx, *job, [](const json& j) {
    return render_fields({{"JOB", field_text(j, "id")}, {"STATE", field_text(j, "state")}});
  });
  return ExitCode::kOk;
}

// Redrawn in place on a terminal, a line per change otherwise.
Result<json> follow_job(CommandContext& ctx, const std::string& id) {
  const bool terminal = ProgressBar::stderr_is_terminal();
  std::string last;
  for (;;) {
    auto job = ctx.api.get(job_path(id));
    if (!job.ok()) return job.status();
    if (job_state_is_final(*job)) {
      if (terminal && !last.empty()) std::fputs("\r\033[K", stderr);
      return job;
    }
    std::string line = format_job_progress(*job);
    if (line != last) {
      if (terminal) {
        std::fprintf(stderr, "\r\033[K%s", line.c_str());
      } else {
        std::fprintf(stderr, "%s\n", line.c_str());
      }
      std::fflush(stderr);
      last = line;
    }
    std::this_thread::sleep_for(kWatchInterval);
  }
}

ExitCode watch_job(CommandContext& ctx, const std::string& id) {
  auto job = follow_job(ctx, id);
  if (!job.ok()) return report_failure(job.status());
  print_result(ctx, *job, render_job_details);
  return final_code(*job);
}

ExitCode submit_job(CommandContext& ctx, const std::string& kind, const json& params, std::optional<int> cpu_slots,
                    std::optional<int> priority, bool watching) {
  json body = {{"kind", kind}, {"params", params}};
  if (priority) body["priority"] = *priority;
  if (cpu_slots) body["cpu_slots"] = *cpu_slots;
  auto job = ctx.api.post("/api/v1/jobs", body);
  if (!job.ok()) return report_failure(job.status());
  if (!watching) {
    print_result(ctx, *job, render_job_details);
    return ExitCode::kOk;
  }
  std::cerr << "submitted job " << job->value("id", "") << "\n";
  return watch_job(ctx, job->value("id", ""));
}

namespace {

// The job's log lines so far, then (with --follow) new ones until the job ends.
ExitCode print_logs(CommandContext& ctx, const std::string& id, bool follow) {
  auto print = [&ctx](const json& line) {
    if (ctx.output == OutputFormat::kJson) {
      std::cout << line.dump(-1, ' ', false, json::error_handler_t::replace) << "\n";
    } else {
      std::cout << format_job_log_line(line) << "\n";
    }
  };
  if (!follow) {
    auto body = ctx.api.get(job_path(id) + "/logs");
    if (!body.ok()) return report_failure(body.status());
    for (const auto& line : body->value("lines", json::array())) print(line);
    std::cout.flush();
    return ExitCode::kOk;
  }
  std::string pending, event;
  std::string final_state;
  auto sink = [&](const char* data, size_t size) -> Status {
    pending.append(data, size);
    for (size_t end; (end = pending.find('\n')) != std::string::npos;) {
      std::string line = pending.substr(0, end);
      pending.erase(0, end + 1);
      if (line.rfind("event: ", 0) == 0) {
        event = line.substr(7);
      } else if (line.rfind("data: ", 0) == 0) {
        json data = json::parse(line.substr(6), nullptr, false);
        if (event == "end") {
          final_state = data.value("state", "unknown");
        } else if (event.empty() && data.is_object()) {
          print(data);
        }
      } else if (line.empty()) {
        event.clear();
      }
    }
    std::cout.flush();
    return {};
  };
  auto response =
      ctx.api.http().get_streaming(job_path(id) + "/logs?follow=true", [](const HttpResponse&) { return Status(); }, sink);
  if (!response.ok()) return report_failure(response.status());
  if (response->status >= 300) return report_failure(decode_response(*response).status());
  if (!final_state.empty()) std::cerr << "job " << id << " " << final_state << "\n";
  return final_state == "succeeded" ? ExitCode::kOk : ExitCode::kUnexpected;
}

struct SubmitArgs {
  std::string kind;
  std::vector<std::string> params;
  std::string params_json;
  std::optional<int> priority;
  std::optional<int> cpu_slots;
  bool watch = false;
};

ExitCode submit(CommandContext& ctx, const SubmitArgs& a) {
  auto params = build_job_params(a.params_json, a.params);
  if (!params.ok()) return report_usage_error(params.status().message());
  return submit_job(ctx, a.kind, *params, a.cpu_slots, a.priority, a.watch);
}

}  // namespace

void add_job_commands(CLI::App& app, CommandSelection& selection) {
  CLI::App* jobs = app.add_subcommand("jobs", "Submit, watch, follow and cancel jobs");
  jobs->require_subcommand(1);
  {
    auto a = std::make_shared<SubmitArgs>();
    CLI::App* c = jobs->add_subcommand("submit", "Submit a job of a kind (see `maas jobs kinds`)");
    c->add_option("kind", a->kind, "The job's kind")->required();
    c->add_option("--param", a->params, "A parameter, key=value (a value that reads as JSON is sent typed)");
    c->add_option("--params", a->params_json, "Parameters as a JSON object (--param entries override it)");
    c->add_option("--priority", a->priority, "Higher runs first (-1000 to 1000; default 0)");
    c->add_option("--cpu-slots", a->cpu_slots, "CPU slots to run with (default: the kind's)");
    c->add_flag("-w,--watch", a->watch, "Show its progress until it ends (exit 1 unless it succeeded)");
    on_run(c, selection, [a](CommandContext& ctx) { return submit(ctx, *a); });
  }
  {
    auto state = std::make_shared<std::string>(), kind = std::make_shared<std::string>(),
         owner = std::make_shared<std::string>();
    auto limit = std::make_shared<int>(100);
    CLI::App* c = jobs->add_subcommand("list", "List jobs, newest first");
    c->add_option("--state", *state, "Only jobs in this state (queued, running, cancelling, succeeded, failed, cancelled)");
    c->add_option("--kind", *kind, "Only jobs of this kind");
    c->add_option("--owner", *owner, "Only jobs of this API key id");
    c->add_option("--limit", *limit, "Jobs to show at most")->check(CLI::Range(1, 1000))->capture_default_str();
    on_run(c, selection, [state, kind, owner, limit](CommandContext& ctx) {
      std::string path = "/api/v1/jobs";
      append_query(path, "limit", std::to_string(*limit));
      if (!state->empty()) append_query(path, "state", *state);
      if (!kind->empty()) append_query(path, "kind", *kind);
      if (!owner->empty()) append_query(path, "owner", *owner);
      auto list = ctx.api.get(path);
      if (!list.ok()) return report_failure(list.status());
      print_result(ctx, *list, render_jobs_table);
      return ExitCode::kOk;
    });
  }
  {
    auto id = std::make_shared<std::string>();
    auto watching = std::make_shared<bool>(false);
    CLI::App* c = jobs->add_subcommand("show", "Show a job; --watch follows its progress until it ends");
    c->add_option("id", *id, "The job's id")->required();
    c->add_flag("-w,--watch", *watching, "Show its progress until it ends (exit 1 unless it succeeded)");
    on_run(c, selection, [id, watching](CommandContext& ctx) {
      if (*watching) return watch_job(ctx, *id);
      auto job = ctx.api.get(job_path(*id));
      if (!job.ok()) return report_failure(job.status());
      print_result(ctx, *job, render_job_details);
      return ExitCode::kOk;
    });
  }
  {
    auto id = std::make_shared<std::string>();
    auto follow = std::make_shared<bool>(false);
    CLI::App* c = jobs->add_subcommand("logs", "Print a job's log lines; --follow prints new ones until it ends");
    c->add_option("id", *id, "The job's id")->required();
    c->add_flag("-f,--follow", *follow, "Keep printing until the job ends (exit 1 unless it succeeded)");
    on_run(c, selection, [id, follow](CommandContext& ctx) { return print_logs(ctx, *id, *follow); });
  }
  {
    auto id = std::make_shared<std::string>();
    CLI::App* c = jobs->add_subcommand("cancel", "Cancel a job (a running one is stopped, then killed after a grace period)");
    c->add_option("id", *id, "The job's id")->required();
    on_run(c, selection, [id](CommandContext& ctx) {
      auto job = ctx.api.post(job_path(*id) + "/cancel", json::object());
      if (!job.ok()) return report_failure(job.status());
      print_result(ctx, *job, render_job_details);
      return ExitCode::kOk;
    });
  }
  {
    CLI::App* c = jobs->add_subcommand("kinds", "List the kinds of job the server runs");
    on_run(c, selection, [](CommandContext& ctx) {
      auto kinds = ctx.api.get("/api/v1/jobs/kinds");
      if (!kinds.ok()) return report_failure(kinds.status());
      print_result(ctx, *kinds, render_kinds_table);
      return ExitCode::kOk;
    });
  }
}

}  // namespace maas::cli
