// A loaded version served by an engine of its own instead of ModelRunner's batcher (the LLM engine, src/llm/).
// ModelManager loads, finds, lists, reloads and unloads it like any version; what it serves, and through which
// API, is the engine's business. Implementations are thread-safe; stop() before the last reference goes.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include <boost/asio/awaitable.hpp>
#include <nlohmann/json.hpp>

#include "common/status.h"
#include "runtime/model_runner.h"

namespace maas::runtime {

struct LoadSpec;

class EngineModel {
 public:
  virtual ~EngineModel() = default;
  virtual const std::string& model() const = 0;
  virtual int64_t version() const = 0;
  virtual const std::string& framework() const = 0;
  virtual ModelState state() const = 0;
  virtual std::string reason() const = 0;
  virtual nlohmann::json config_json() const = 0;
  virtual void stop() = 0;
};

// Makes and starts an engine for a version; its error says why the version could not load.
using EngineFactory = std::function<boost::asio::awaitable<Result<std::shared_ptr<EngineModel>>>(const LoadSpec&)>;

}  // namespace maas::runtime
