#include "common/logging.h"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

namespace maas {
namespace {

// Pattern flag %* : the message escaped as the inside of a JSON string, so every line stays valid JSON.
class JsonEscapedMessage final : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& msg, const std::tm&, spdlog::memory_buf_t& dest) override {
    static constexpr char kHex[] = "0123456789abcdef";
    for (char c : std::string_view(msg.payload.data(), msg.payload.size())) {
      switch (c) {
        case '"': dest.append(std::string_view("\\\"")); break;
        case '\\': dest.append(std::string_view("\\\\")); break;
        case '\n': dest.append(std::string_view("\\n")); break;
        case '\r': dest.append(std::string_view("\\r")); break;
        case '\t': dest.append(std::string_view("\\t")); break;
        default:
          if (static_cast<unsigned char>(c) < 0x20) {
            char esc[] = {'\\', 'u', '0', '0', kHex[(c >> 4) & 0xf], kHex[c & 0xf]};
            dest.append(esc, esc + sizeof(esc));
          } else {
            dest.push_back(c);
          }
      }
    }
  }
  std::unique_ptr<custom_flag_formatter> clone() const override { return std::make_unique<JsonEscapedMessage>(); }
};

}  // namespace

void setup_logging(const std::string& level, const std::string& format, bool access_log) {
  // A formatter belongs to a sink, so each logger gets a sink of its own (both write whole lines to stderr).
  auto app = std::make_shared<spdlog::logger>("maasd", std::make_shared<spdlog::sinks::stderr_color_sink_mt>());
  // The access logger's messages are complete JSON objects already; it adds nothing around them.
  auto access = std::make_shared<spdlog::logger>("access", std::make_shared<spdlog::sinks::stderr_color_sink_mt>());
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
}

}  // namespace maas
