#include "common/logging.h"

#include <unistd.h>

#include <cerrno>
#include <mutex>
#include <string>

#include <spdlog/details/console_globals.h>
#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/base_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "common/json_line.h"

namespace maas {
namespace {

// The access log's sink: whole lines gathered in memory and written to stderr in blocks — when 32 KiB have
// gathered and at the periodic flush (every second), as nginx's `access_log ... buffer= flush=` does. One
// write(2) per request line cost more than a tenth of a request's CPU time. A line is at most a second late, and
// a kill -9 loses at most that second of access lines (the log center keeps its own request records).
class BufferedStderrSink final : public spdlog::sinks::base_sink<std::mutex> {
 public:
  ~BufferedStderrSink() override {
    std::lock_guard lock(mutex_);
    write_out();
  }

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    buffer_.append(msg.payload.data(), msg.payload.size());
    buffer_.push_back('\n');
    if (buffer_.size() >= kBlock) write_out();
  }
  void flush_() override { write_out(); }

 private:
  static constexpr size_t kBlock = 32 << 10;

  void write_out() {
    if (buffer_.empty()) return;
    // Under the console sinks' mutex: the application log's lines never land inside a block.
    std::lock_guard console(spdlog::details::console_mutex::mutex());
    size_t done = 0;
    while (done < buffer_.size()) {
      ssize_t n = ::write(STDERR_FILENO, buffer_.data() + done, buffer_.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;  // stderr closed or full disk: the lines are dropped, serving goes on
      done += static_cast<size_t>(n);
    }
    buffer_.clear();
  }

  std::string buffer_;
};

std::shared_ptr<spdlog::logger> g_access;

// Pattern flag %* : the message escaped as the inside of a JSON string (json_line.h's escaping, invalid UTF-8
// replaced), so every line stays valid JSON whatever a message quotes from a client.
class JsonEscapedMessage final : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& msg, const std::tm&, spdlog::memory_buf_t& dest) override {
    std::string quoted;
    append_json_quoted(quoted, std::string_view(msg.payload.data(), msg.payload.size()));
    dest.append(quoted.data() + 1, quoted.data() + quoted.size() - 1);  // without the quotes
  }
  std::unique_ptr<custom_flag_formatter> clone() const override { return std::make_unique<JsonEscapedMessage>(); }
};

}  // namespace

void setup_logging(const std::string& level, const std::string& format, bool access_log) {
  // A formatter belongs to a sink, so each logger gets a sink of its own (both write whole lines to stderr).
  auto app = std::make_shared<spdlog::logger>("maasd", std::make_shared<spdlog::sinks::stderr_color_sink_mt>());
  // The access logger's messages are complete JSON objects already; it adds nothing around them.
  auto access = std::make_shared<spdlog::logger>("access", std::make_shared<BufferedStderrSink>());
  access->set_pattern("%v");
  if (format == "json") {
    auto formatter = std::make_unique<spdlog::pattern_formatter>(spdlog::pattern_time_type::utc);
    formatter->add_flag<JsonEscapedMessage>('*').set_pattern(
        R"({"ts":"%Y-%m-%dT%H:%M:%S.%eZ","type":"log","level":"%l","msg":"%*"})");
    app->set_formatter(std::move(formatter));
  } else {
    app->set_pattern("%Y-%m-%d %H:%M:%S.%e %^%l%$ %v");
  }
  app->set_level(spdlog::level::from_str(level));
  access->set_level(access_log ? spdlog::level::info : spdlog::level::off);
  spdlog::register_logger(access);
  spdlog::set_default_logger(app);
  g_access = access_log ? access : nullptr;
  spdlog::flush_every(std::chrono::seconds(1));
}

spdlog::logger* access_logger() { return g_access.get(); }

void flush_logs() { spdlog::apply_all([](const std::shared_ptr<spdlog::logger>& logger) { logger->flush(); }); }

}  // namespace maas
