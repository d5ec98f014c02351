// `maas generate` and `maas chat`: text generation with a loaded GGUF model through the OpenAI-compatible API,
// printed as it streams (server-sent events).
#include <CLI/CLI.hpp>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "cli/api_error.h"
#include "cli/commands.h"

namespace maas::cli {
namespace {

using nlohmann::json;

struct GenerateArgs {
  std::string model;
  std::string prompt;
  std::string system;
  int max_tokens = 256;
  double temperature = 0.7;
  std::optional<int64_t> seed;
  bool raw = false;  // /v1/completions instead of a chat turn
};

// Splits server-sent events out of the bytes as they come and prints each text delta at once.
class EventPrinter {
 public:
  explicit EventPrinter(bool chat) : chat_(chat) {}

  Status feed(const char* data, size_t size) {
    buffer_.append(data, size);
    for (size_t end; (end = buffer_.find("\n\n")) != std::string::npos;) {
      std::string event = buffer_.substr(0, end);
      buffer_.erase(0, end + 2);
      if (event.rfind("data: ", 0) != 0) continue;
      std::string payload = event.substr(6);
      if (payload == "[DONE]") continue;
      json chunk = json::parse(payload, nullptr, false);
      if (chunk.is_discarded()) return internal_error("the server sent an event that is not JSON");
      if (chunk.contains("error")) return Status(StatusCode::kInternal, chunk["error"].value("message", "generation failed"));
      for (const auto& choice : chunk.value("choices", json::array())) {
        std::string piece = chat_ ? choice.value("delta", json::object()).value("content", "") : choice.value("text", "");
        text_ += piece;
        std::cout << piece << std::flush;
      }
    }
    return {};
  }
  const std::string& text() const { return text_; }

 private:
  bool chat_;
  std::string buffer_;
  std::string text_;
};

// Streams one completion to stdout; returns the text generated.
Result<std::string> stream_completion(CommandContext& context, const GenerateArgs& args, const json& messages) {
  json body = {{"model", args.model}, {"max_tokens", args.max_tokens}, {"temperature", args.temperature}, {"stream", true}};
  if (args.seed) body["seed"] = *args.seed;
  if (args.raw) {
    body["prompt"] = args.prompt;
  } else {
    body["messages"] = messages;
  }
  EventPrinter printer(!args.raw);
  auto on_head = [](const HttpResponse&) { return Status(); };
  auto sink = [&printer](const char* data, size_t size) { return printer.feed(data, size); };
  auto response = context.api.http().post_streaming(args.raw ? "/v1/completions" : "/v1/chat/completions",
                                                    "application/json", body.dump(), on_head, sink);
  if (!response.ok()) return response.status();
  if (response->status < 200 || response->status >= 300) return status_from_error_response(response->status, response->body);
  std::cout << "\n" << std::flush;
  return printer.text();
}

void add_sampling_options(CLI::App* command, GenerateArgs& args) {
  command->add_option("--system", args.system, "A system message before the conversation");
  command->add_option("--max-tokens", args.max_tokens, "Most tokens to generate per answer")->check(CLI::Range(1, 1 << 20));
  command->add_option("--temperature", args.temperature, "0 is greedy")->check(CLI::Range(0.0, 2.0));
  command->add_option("--seed", args.seed, "Sampling seed, for repeatable answers");
}

json start_messages(const GenerateArgs& args) {
  json messages = json::array();
  if (!args.system.empty()) messages.push_back({{"role", "system"}, {"content", args.system}});
  return messages;
}

ExitCode run_generate(CommandContext& context, const GenerateArgs& args) {
  json messages = start_messages(args);
  messages.push_back({{"role", "user"}, {"content", args.prompt}});
  auto text = stream_completion(context, args, messages);
  return text.ok() ? ExitCode::kOk : report_failure(text.status());
}

ExitCode run_chat(CommandContext& context, GenerateArgs args) {
  json messages = start_messages(args);
  std::cerr << "chatting with " << args.model << " (an empty line or Ctrl-D ends)\n";
  for (std::string line;;) {
    std::cerr << "> " << std::flush;
    if (!std::getline(std::cin, line) || line.empty()) return ExitCode::kOk;
    messages.push_back({{"role", "user"}, {"content", line}});
    auto text = stream_completion(context, args, messages);
    if (!text.ok()) return report_failure(text.status());
    messages.push_back({{"role", "assistant"}, {"content", *text}});
  }
}

}  // namespace

void add_llm_commands(CLI::App& app, CommandSelection& selection) {
  auto generate_args = std::make_shared<GenerateArgs>();
  CLI::App* generate = app.add_subcommand("generate", "Generate text from a prompt with a loaded GGUF model (streamed)");
  generate->add_option("model", generate_args->model, "MODEL or MODEL@ALIAS")->required();
  generate->add_option("prompt", generate_args->prompt, "The prompt (a user message unless --raw)")->required();
  generate->add_flag("--raw", generate_args->raw, "Complete the prompt as raw text instead of as a chat turn");
  add_sampling_options(generate, *generate_args);
  generate->callback([&selection, generate_args] {
    selection.action = [generate_args](CommandContext& context) { return run_generate(context, *generate_args); };
  });

  auto chat_args = std::make_shared<GenerateArgs>();
  CLI::App* chat = app.add_subcommand("chat", "Chat with a loaded GGUF model in the terminal (streamed)");
  chat->add_option("model", chat_args->model, "MODEL or MODEL@ALIAS")->required();
  add_sampling_options(chat, *chat_args);
  chat->callback([&selection, chat_args] {
    selection.action = [chat_args](CommandContext& context) { return run_chat(context, *chat_args); };
  });
}

}  // namespace maas::cli
