// Output and confirmation helpers shared by the commands.
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <iostream>
#include <string>

#include "cli/commands.h"

namespace maas::cli {

void print_result(const CommandContext& context, const nlohmann::json& value,
                  std::string (*render_table)(const nlohmann::json&)) {
  std::cout << (context.output == OutputFormat::kJson ? render_json(value) : render_table(value)) << std::flush;
}

void print_done(const CommandContext& context, std::string_view message) {
  if (context.output == OutputFormat::kTable) std::cout << message << std::endl;
}

bool ask_confirmation(std::string_view question) {
  std::cerr << question << " [y/N] " << std::flush;
  std::string answer;
  if (!std::getline(std::cin, answer)) return false;
  std::transform(answer.begin(), answer.end(), answer.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  answer.erase(0, answer.find_first_not_of(" \t"));
  answer.erase(answer.find_last_not_of(" \t\r") + 1);
  return answer == "y" || answer == "yes";
}

bool stdin_is_terminal() { return ::isatty(STDIN_FILENO) == 1; }

}  // namespace maas::cli
