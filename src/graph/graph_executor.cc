#include "graph/graph_executor.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <map>
#include <optional>

#include "graph/combine.h"
#include "graph/routing.h"

namespace maas::graph {
namespace asio = boost::asio;
using runtime::Tensor;
using Outputs = std::vector<Tensor>;
using Env = std::map<std::string, Tensor>;

void Trace::add_step(StepRun run) {
  std::lock_guard lock(mu_);
  steps_.push_back(std::move(run));
}

void Trace::add_branch(const std::string& node, const std::string& step) {
  std::lock_guard lock(mu_);
  branches_.emplace_back(node, step);
}

nlohmann::json Trace::json() const {
  std::lock_guard lock(mu_);
  auto steps = nlohmann::json::array();
  for (const auto& s : steps_) {
    nlohmann::json entry = {
        {"node", s.node}, {"step", s.step}, {"model", s.model}, {"version", s.version}, {"ms", s.ms}};
    if (!s.error.empty()) entry["error"] = s.error;
    steps.push_back(std::move(entry));
  }
  auto branches = nlohmann::json::object();
  for (const auto& [node, step] : branches_) branches[node] = step;
  return {{"steps", std::move(steps)}, {"branches", std::move(branches)}};
}

std::string Trace::versions() const {
  std::lock_guard lock(mu_);
  std::string out;
  for (const auto& s : steps_) {
    if (!out.empty()) out += ',';
    out += s.model + ':' + std::to_string(s.version);
  }
  return out;
}

namespace {

// One request's run: what every node and step of it shares.
struct GraphRun {
  std::shared_ptr<const GraphSpec> spec;
  std::shared_ptr<StepInvoker> invoker;
  RunOptions options;
  std::shared_ptr<Trace> trace;
};
using RunPtr = std::shared_ptr<GraphRun>;

std::string names_in(const Env& env) {
  std::string out;
  for (const auto& [name, tensor] : env) out += (out.empty() ? "'" : ", '") + name + "'";
  return out.empty() ? "none" : out;
}

Status step_error(const Node& node, const Step& step, const std::string& what) {
  return invalid_argument("graph node '" + node.name + "' step '" + step.name + "': " + what);
}

// What a step's task threw, for its error.
std::string exception_text(const std::exception_ptr& thrown) {
  try {
    std::rethrow_exception(thrown);
  } catch (const std::exception& e) {
    return e.what();
  } catch (...) {
    return "an unknown exception";
  }
}

Outputs renamed(Outputs outputs, const std::map<std::string, std::string>& output_map) {
  for (auto& t : outputs) {
    if (auto it = output_map.find(t.name); it != output_map.end()) t.name = it->second;
  }
  return outputs;
}

void merge(Env& env, const Outputs& outputs) {
  for (const auto& t : outputs) env[t.name] = t;
}

asio::awaitable<Result<Outputs>> run_node(RunPtr run, const Node& node, Env env);

// A model step: its inputs picked from `env` by its signature and input_map, its outputs renamed by output_map.
asio::awaitable<Result<Outputs>> run_model_step(RunPtr run, const Node& node, const Step& step, const Env& env) {
  auto signature = run->invoker->signature_of(step);
  if (!signature.ok()) co_return signature.status();
  auto version = run->invoker->version_of(step);
  if (!version.ok()) co_return version.status();
  Outputs inputs;
  for (const auto& spec : (*signature)->inputs) {
    auto mapped = step.input_map.find(spec.name);
    const std::string& source = mapped == step.input_map.end() ? spec.name : mapped->second;
    auto found = env.find(source);
    if (found == env.end()) {
      co_return step_error(node, step,
                           "input '" + spec.name + "' of model '" + step.model + "' takes tensor '" + source +
                               "', which is not there (there are " + names_in(env) +
                               "); send it or map it with input_map");
    }
    Tensor input = found->second;
    input.name = spec.name;
    inputs.push_back(std::move(input));
  }
  const auto started = std::chrono::steady_clock::now();
  auto outputs = co_await run->invoker->run(step, std::move(inputs), run->options);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  run->invoker->observe(node.name + "." + step.name, seconds);
  if (run->trace) {
    run->trace->add_step({node.name, step.name, step.model, *version, seconds * 1000,
                          outputs.ok() ? std::string() : outputs.status().message()});
  }
  if (!outputs.ok()) {
    co_return Status(outputs.status().code(), "graph node '" + node.name + "' step '" + step.name + "' (model '" +
                                                  step.model + "' version " + std::to_string(*version) +
                                                  "): " + outputs.status().message());
  }
  co_return renamed(std::move(*outputs), step.output_map);
}

asio::awaitable<Result<Outputs>> run_step(RunPtr run, const Node& node, const Step& step, Env env) {
  if (step.node.empty()) {
    auto outputs = co_await run_model_step(run, node, step, env);
    co_return outputs;
  }
  for (const auto& [inner, outer] : step.input_map) {
    auto found = env.find(outer);
    if (found == env.end()) {
      co_return step_error(
          node, step, "input_map names tensor '" + outer + "', which is not there (there are " + names_in(env) + ")");
    }
    Tensor t = found->second;
    t.name = inner;
    env[inner] = std::move(t);
  }
  const Node& inner = run->spec->nodes.at(step.node);
  auto outputs = co_await run_node(run, inner, std::move(env));
  if (!outputs.ok()) co_return outputs.status();
  co_return renamed(std::move(*outputs), step.output_map);
}

// The steps run concurrently on the caller's executor; their results in the steps' order.
asio::awaitable<std::vector<Result<Outputs>>> run_all(RunPtr run, const Node& node, const Env& env) {
  struct State {
    State(const asio::any_io_executor& ex, size_t n) : timer(ex), left(n) { results.resize(n); }
    asio::steady_timer timer;
    size_t left;
    std::vector<std::optional<Result<Outputs>>> results;
  };
  auto ex = co_await asio::this_coro::executor;
  auto state = std::make_shared<State>(ex, node.steps.size());
  state->timer.expires_at(std::chrono::steady_clock::time_point::max());
  for (size_t i = 0; i < node.steps.size(); ++i) {
    auto task = [run, state, &node, i, env]() -> asio::awaitable<void> {
      auto result = co_await run_step(run, node, node.steps[i], env);
      state->results[i] = std::move(result);
    };
    // Every step counts down here, a step whose task threw too: its slot gets an error, so the request answers.
    auto done = [state, &node, i](std::exception_ptr thrown) {
      if (thrown) {
        state->results[i] = internal_error("graph node '" + node.name + "' step '" + node.steps[i].name +
                                           "' failed: " + exception_text(thrown));
      }
      if (--state->left == 0) state->timer.cancel();
    };
    asio::co_spawn(ex, std::move(task), std::move(done));
  }
  while (state->left > 0) {
    boost::system::error_code ec;
    co_await state->timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  }
  std::vector<Result<Outputs>> results;
  for (auto& r : state->results) results.push_back(std::move(*r));
  co_return results;
}

// The output an ensemble combines from one step: the one it names, or its first.
Result<Tensor> chosen_output(const Node& node, const Step& step, const Outputs& outputs) {
  if (outputs.empty()) return step_error(node, step, "the step returned no output");
  if (step.output.empty()) return outputs.front();
  for (const auto& t : outputs) {
    if (t.name == step.output) return t;
  }
  return step_error(node, step, "the step has no output '" + step.output + "'");
}

asio::awaitable<Result<Outputs>> run_ensemble(RunPtr run, const Node& node, const Env& env) {
  auto results = co_await run_all(run, node, env);
  std::vector<Part> parts;
  for (size_t i = 0; i < results.size(); ++i) {
    if (!results[i].ok()) co_return results[i].status();
    auto chosen = chosen_output(node, node.steps[i], *results[i]);
    if (!chosen.ok()) co_return chosen.status();
    parts.push_back({node.steps[i].name, std::move(*chosen), node.steps[i].weight});
  }
  auto where = [&](const Status& s) {
    return Status(s.code(), "graph node '" + node.name + "' (" + combine_name(node.combine) + "): " + s.message());
  };
  if (node.combine != Combine::kStack) {
    auto combined = node.combine == Combine::kAverage ? average(parts, node.output) : vote(parts, node.output);
    if (!combined.ok()) co_return where(combined.status());
    co_return Outputs{std::move(*combined)};
  }
  auto stacked = stack(parts, node.output);
  if (!stacked.ok()) co_return where(stacked.status());
  const Step& final_step = *node.final_step;
  Env final_env = env;
  // A final model with one input and no input_map takes the stacked tensor whatever the input's name.
  if (final_step.node.empty() && final_step.input_map.empty()) {
    auto signature = run->invoker->signature_of(final_step);
    if (!signature.ok()) co_return signature.status();
    if ((*signature)->inputs.size() == 1) stacked->name = (*signature)->inputs[0].name;
  }
  final_env[stacked->name] = std::move(*stacked);
  auto outputs = co_await run_step(run, node, final_step, std::move(final_env));
  co_return outputs;
}

// The switch's step to run: the first whose condition holds (a step without one always does).
Result<const Step*> pick_switch(const Node& node, const Env& env) {
  for (const auto& step : node.steps) {
    if (!step.when) return &step;
    auto tensor = env.find(step.when->tensor);
    if (tensor == env.end()) {
      return step_error(node, step,
                        "the condition reads tensor '" + step.when->tensor + "', which is not there (there are " +
                            names_in(env) + ")");
    }
    auto held = holds(*step.when, tensor->second);
    if (!held.ok()) return step_error(node, step, held.status().message());
    if (*held) return &step;
  }
  return invalid_argument("graph node '" + node.name +
                          "': no step's condition held and the switch has no default step (a last step without "
                          "'when')");
}

asio::awaitable<Result<Outputs>> run_node(RunPtr run, const Node& node, Env env) {
  switch (node.kind) {
    case NodeKind::kSequence: {
      Outputs last;
      for (const auto& step : node.steps) {
        auto outputs = co_await run_step(run, node, step, env);
        if (!outputs.ok()) co_return outputs.status();
        merge(env, *outputs);
        last = std::move(*outputs);
      }
      co_return last;
    }
    case NodeKind::kEnsemble: {
      auto outputs = co_await run_ensemble(run, node, env);
      co_return outputs;
    }
    case NodeKind::kSwitch: {
      auto picked = pick_switch(node, env);
      if (!picked.ok()) co_return picked.status();
      if (run->trace) run->trace->add_branch(node.name, (*picked)->name);
      auto outputs = co_await run_step(run, node, **picked, std::move(env));
      co_return outputs;
    }
    case NodeKind::kSplitter: {
      std::vector<int64_t> weights;
      for (const auto& step : node.steps) weights.push_back(step.weight);
      std::string key = run->options.request_id.empty() ? "" : run->options.request_id + "/" + node.name;
      const Step& picked = node.steps[pick_weighted(key, weights)];
      if (run->trace) run->trace->add_branch(node.name, picked.name);
      auto outputs = co_await run_step(run, node, picked, std::move(env));
      co_return outputs;
    }
  }
  co_return internal_error("unknown node kind");
}

}  // namespace

asio::awaitable<Result<Outputs>> GraphExecutor::run(Outputs inputs, RunOptions options,
                                                    std::shared_ptr<Trace> trace) const {
  auto run = std::make_shared<GraphRun>(GraphRun{spec_, invoker_, std::move(options), std::move(trace)});
  Env env;
  for (auto& t : inputs) {
    std::string name = t.name;
    env.emplace(std::move(name), std::move(t));
  }
  const Node& root = spec_->nodes.at(spec_->root);
  auto outputs = co_await run_node(run, root, std::move(env));
  co_return outputs;
}

}  // namespace maas::graph
