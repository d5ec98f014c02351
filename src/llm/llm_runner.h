// maasd's side of one loaded GGUF version: the maas-llm-worker process that runs the continuous-batching engine,
// and the streams multiplexed over its channel. generate() opens a stream whose events (accepted, text, done or
// error) the caller pulls with next(); dropping an unfinished stream cancels it in the worker. A crashed worker
// fails its open streams with 503 and is restarted with backoff.
//
// Threading: state lives on the runner's strand; generate/embed may be called from any coroutine, and a stream's
// next() resumes on the executor that opened it (which must be a strand, as HTTP connections are). Lifetime: owned
// by shared_ptr (ModelManager); stop() before the last reference goes.
#pragma once

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
#include "runtime/engine_model.h"
#include "runtime/model_manager.h"
#include "runtime/worker_process.h"

namespace maas::llm {

struct StreamEvent {
  enum class Type { kAccepted, kText, kDone, kEmbeddings, kError } type = Type::kError;
  std::string text;               // kText
  int64_t tokens = 0;             // kText: tokens produced; kAccepted/kEmbeddings: prompt tokens
  Completion completion;          // kDone
  nlohmann::json embeddings;      // kEmbeddings: [[...], ...]
  Status status;                  // kError
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

class LlmRunner : public runtime::EngineModel, public std::enable_shared_from_this<LlmRunner> {
 public:
  LlmRunner(boost::asio::io_context& io, std::string model, int64_t version, runtime::WorkerOptions worker,
            LlmConfig config, LlmMetrics& metrics);
  ~LlmRunner() override;

  boost::asio::awaitable<Status> start();
  // Opens a stream (the request is checked by the worker: its first event is kAccepted or kError).
  // RESOURCE_EXHAUSTED when max_streams are open; UNAVAILABLE when no worker is up.
  boost::asio::awaitable<Result<std::unique_ptr<Stream>>> generate(const GenerateRequest& request);
  boost::asio::awaitable<Result<std::unique_ptr<Stream>>> embed(const EmbedRequest& request);

  const std::string& model() const override { return model_; }
  int64_t version() const override { return version_; }
  const std::string& framework() const override { return worker_.framework; }
  runtime::ModelState state() const override;
  std::string reason() const override;
  nlohmann::json config_json() const override { return llm_config_json(config_); }
  void stop() override;
  ModelInfo info() const;
  int64_t open_streams() const;

 private:
  friend class Stream;
  struct Open;

  boost::asio::awaitable<Result<std::unique_ptr<Stream>>> open(uint32_t kind, nlohmann::json header);
  void cancel(uint64_t id);
  void send(runtime::wire::Message message);
  boost::asio::awaitable<void> write_loop();
  boost::asio::awaitable<void> read_loop();
  boost::asio::awaitable<Status> start_worker();
  boost::asio::awaitable<void> restart();
  void deliver(uint64_t id, StreamEvent event, bool last);
  void fail_all(const Status& status);
  void set_state(runtime::ModelState state, std::string reason);

  boost::asio::io_context& io_;
  boost::asio::strand<boost::asio::io_context::executor_type> strand_;
  std::string model_;
  int64_t version_;
  runtime::WorkerOptions worker_;
  LlmConfig config_;
  LlmMetrics::Series series_;

  // Strand-only state.
  std::unique_ptr<runtime::WorkerProcess> process_;
  std::map<uint64_t, std::shared_ptr<Open>> open_;
  std::deque<runtime::wire::Message> outbox_;
  bool writing_ = false;
  bool stopping_ = false;
  uint64_t restarts_ = 0;

  mutable std::mutex mu_;  // guards what other threads read
  runtime::ModelState state_ = runtime::ModelState::kLoading;
  std::string reason_;
  ModelInfo info_;
  uint64_t next_id_ = 1;
  int64_t open_count_ = 0;
};

// The factory ModelManager calls to load a "gguf" version: parses LoadSpec::engine_config (LlmConfig), starts
// `worker_binary` (maas-llm-worker) and waits until it is READY.
runtime::EngineFactory llm_engine_factory(boost::asio::io_context& io, std::filesystem::path worker_binary,
                                          LlmMetrics& metrics);

}  // namespace maas::llm
