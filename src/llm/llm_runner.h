// maasd's side of one loaded generative version (GGUF): the supervised maas-worker process that runs its backend
// plugin (the continuous-batching engine), and the streams multiplexed over its channel. generate() opens a stream whose events (accepted, text, done or
// error) the caller pulls with next(); dropping an unfinished stream cancels it in the worker. A crashed worker
// fails its open streams with 503 and is restarted by the supervisor's restart policy (supervisor/restart.h), as a
// tensor version's are, with the same events. It is the generative kind of runtime::ServedModel
// (ServingKind::kGenerative): ModelManager loads, finds, lists, evicts and unloads it like any version.
//
// Threading: state lives on the runner's strand; generate/embed may be called from any coroutine, and a stream's
// next() resumes on the executor that opened it (which must be a strand, as HTTP connections are). Lifetime: owned
// by shared_ptr (ModelManager); stop() before the last reference goes.
#pragma once

#include <atomic>
#include <chrono>
#include <deque>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include "llm/generation.h"
#include "llm/llm_config.h"
#include "llm/llm_metrics.h"
#include "runtime/model_manager.h"
#include "runtime/runtime_metrics.h"
#include "runtime/worker_process.h"
#include "supervisor/process.h"

namespace maas::llm {

struct StreamEvent {
  enum class Type { kAccepted, kText, kDone, kEmbeddings, kError } type = Type::kError;
  std::string text;               // kText
  int64_t tokens = 0;             // kText: tokens produced; kAccepted/kEmbeddings: prompt tokens
  Completion completion;          // kDone
  nlohmann::json embeddings;      // kEmbeddings: [[...], ...]
  Status status;                  // kError
  std::vector<TokenLogprob> logprobs;  // kText, when the request asked for them: one per token produced
  std::vector<ToolCallDelta> tool_calls;  // kText: pieces of tool calls (a chat with tools)
};

class LlmRunner;

// One generation (or embedding) as its caller sees it. Not thread-safe: one consumer.
class Stream {
 public:
  ~Stream();  // cancels the generation in the worker when it has not finished
  // The next event; after kDone, kEmbeddings or kError there are no more.
  boost::asio::awaitable<StreamEvent> next();

 private:
  friend class LlmRunner;
  struct State;
  std::shared_ptr<State> state_;
  std::weak_ptr<LlmRunner> runner_;
};

class LlmRunner : public runtime::ServedModel, public std::enable_shared_from_this<LlmRunner> {
 public:
  // Its worker runs under `supervisor`; runtime events (state changes, crashes, restarts) go to `events`. Both
  // must outlive it.
  LlmRunner(boost::asio::io_context& io, supervisor::Supervisor& supervisor, std::string model, int64_t version,
            runtime::BackendInfo backend, runtime::WorkerOptions worker, LlmConfig config, LlmMetrics& metrics,
            runtime::RuntimeMetrics& events);
  ~LlmRunner() override;

  boost::asio::awaitable<Status> start();
  // Opens a stream (the request is checked by the worker: its first event is kAccepted or kError).
  // RESOURCE_EXHAUSTED when max_streams are open; UNAVAILABLE when no worker is up.
  boost::asio::awaitable<Result<std::unique_ptr<Stream>>> generate(const GenerateRequest& request);
  boost::asio::awaitable<Result<std::unique_ptr<Stream>>> embed(const EmbedRequest& request);

  const std::string& model() const override { return model_; }
  int64_t version() const override { return version_; }
  const runtime::BackendInfo& backend() const override { return backend_; }
  runtime::ModelState state() const override;
  std::string reason() const override;
  // Requests are text: no tensor inputs or outputs.
  runtime::ModelSignature signature() const override { return {{}, {}, false}; }
  nlohmann::json config_json() const override { return llm_config_json(config_); }
  const LlmConfig& config() const { return config_; }
  // Streams as requests: ended streams count as answered (embeddings too), with their whole duration; cancelled
  // ones are not counted.
  runtime::ModelStats stats() const override;
  std::vector<runtime::InstanceInfo> instances() const override;
  uint64_t resident_bytes() const override;
  std::chrono::steady_clock::time_point last_used() const override;
  int cpu_slots_in_use() const override { return 1; }  // one engine, however many threads it decodes on
  // With `drain`, new streams are refused and the worker stops once the open ones have ended.
  void stop(bool drain = false) override;
  void kill_now() override;
  std::shared_ptr<LlmRunner> as_generative() override { return shared_from_this(); }
  ModelInfo info() const;
  int64_t open_streams() const;

 private:
  friend class Stream;
  struct Open;

  boost::asio::awaitable<Result<std::unique_ptr<Stream>>> open(uint32_t kind, nlohmann::json header);
  void cancel(uint64_t id);
  void send(runtime::wire::Message message);
  // The loops and the restart hold the runner (`self`, a coroutine parameter, so it lives in the frame): an unload
  // may drop the manager's last reference while they wait on the worker; they end once halt() has killed it.
  boost::asio::awaitable<void> write_loop(std::shared_ptr<LlmRunner> self);
  boost::asio::awaitable<void> read_loop(std::shared_ptr<LlmRunner> self);
  boost::asio::awaitable<Status> start_worker();
  boost::asio::awaitable<void> restart(std::shared_ptr<LlmRunner> self, std::string how);
  void deliver(uint64_t id, StreamEvent event, bool last);
  // Counts an ended stream in the statistics; stops a draining runner after its last stream.
  void on_stream_end(const Open& open, bool ok);
  void halt();
  void fail_all(const Status& status);
  void set_state(runtime::ModelState state, std::string reason);

  boost::asio::io_context& io_;
  boost::asio::strand<boost::asio::io_context::executor_type> strand_;
  supervisor::Supervisor& supervisor_;
  runtime::RuntimeMetrics& events_;
  std::string model_;
  int64_t version_;
  runtime::BackendInfo backend_;
  runtime::WorkerOptions worker_;
  LlmConfig config_;
  LlmMetrics::Series series_;

  // Strand-only state.
  std::unique_ptr<runtime::WorkerProcess> process_;
  std::map<uint64_t, std::shared_ptr<Open>> open_;
  std::deque<runtime::wire::Message> outbox_;
  bool writing_ = false;
  bool stopping_ = false;
  bool draining_ = false;  // stop(drain): refusing new streams until the open ones end
  uint64_t restarts_ = 0;
  int64_t preemptions_seen_ = 0;  // the worker's count at its last stats
  std::atomic<std::chrono::steady_clock::rep> last_used_{std::chrono::steady_clock::now().time_since_epoch().count()};

  mutable std::mutex mu_;  // guards what other threads read
  runtime::ModelState state_ = runtime::ModelState::kLoading;
  std::string reason_;
  ModelInfo info_;
  uint64_t next_id_ = 1;
  int64_t open_count_ = 0;
  runtime::ModelStats stats_;
  int pid_ = 0;  // the worker's, while one runs
};

// Starts generative versions (ServingKind::kGenerative): reads the load config as an LlmConfig, starts the
// backend's worker and waits until it is READY. Register it with ModelManager::register_runner.
class LlmRunnerFactory : public runtime::RunnerFactory {
 public:
  // All must outlive the factory and what it starts.
  LlmRunnerFactory(boost::asio::io_context& io, supervisor::Supervisor& supervisor, LlmMetrics& metrics,
                   runtime::RuntimeMetrics& events)
      : io_(io), supervisor_(supervisor), metrics_(metrics), events_(events) {}
  Status check_config(const nlohmann::json& config) const override { return parse_llm_config(config).status(); }
  boost::asio::awaitable<Result<std::shared_ptr<runtime::ServedModel>>> start(
      const runtime::LoadSpec& spec, const runtime::BackendInfo& backend) override;

 private:
  boost::asio::io_context& io_;
  supervisor::Supervisor& supervisor_;
  LlmMetrics& metrics_;
  runtime::RuntimeMetrics& events_;
};

}  // namespace maas::llm
