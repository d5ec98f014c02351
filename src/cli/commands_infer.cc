// `maas infer MODEL[@REF] --input NAME=...`: one Open Inference Protocol request, JSON or with binary tensors,
// and its outputs printed as a table or as the server's JSON.
#include <CLI/CLI.hpp>
#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "cli/arguments.h"
#include "cli/commands.h"
#include "cli/infer_inputs.h"
#include "cli/infer_outputs.h"

namespace maas::cli {
namespace {

using nlohmann::json;

// The server bounds an inference with the deployment's own deadlines; the client must not cut them short.
constexpr std::chrono::minutes kInferResponseTimeout{10};

struct InferArgs {
  std::string model;
  std::string version;
  CLI::Option* version_option = nullptr;
  std::vector<std::string> inputs;
  std::vector<std::string> datatypes;
  std::vector<std::string> outputs;
  std::vector<std::string> parameters;
  bool binary = false;
};

// The request inputs, in flag order, or a usage error.
Result<std::vector<RequestInput>> read_inputs(const InferArgs& args) {
  MAAS_ASSIGN_OR_RETURN(auto datatypes, parse_datatype_flags(args.datatypes));
  if (args.inputs.empty()) return invalid_argument("give at least one --input NAME=@FILE or NAME=JSON");
  std::vector<InputFlag> flags;
  std::set<std::string> names;
  for (const std::string& text : args.inputs) {
    MAAS_ASSIGN_OR_RETURN(InputFlag flag, parse_input_flag(text));
    if (!names.insert(flag.name).second) return invalid_argument("--input '" + flag.name + "' is given twice");
    flags.push_back(std::move(flag));
  }
  for (const auto& [name, datatype] : datatypes) {
    if (!names.contains(name)) return invalid_argument("--datatype names '" + name + "', which no --input gives");
  }
  std::vector<RequestInput> inputs;
  for (const InputFlag& flag : flags) {
    auto datatype = datatypes.find(flag.name);
    MAAS_ASSIGN_OR_RETURN(
        RequestInput input,
        read_input(flag, datatype == datatypes.end() ? std::nullopt : std::optional(datatype->second)));
    inputs.push_back(std::move(input));
  }
  return inputs;
}

ExitCode run_infer(CommandContext& context, const InferArgs& args) {
  auto target = parse_optional_version_target(
      args.model, args.version_option->count() > 0 ? std::optional(args.version) : std::nullopt);
  if (!target.ok()) return report_usage_error(target.status().message());
  auto parameters = parse_parameter_flags(args.parameters);
  if (!parameters.ok()) return report_usage_error(parameters.status().message());
  std::set<std::string> outputs;
  for (const std::string& output : args.outputs) {
    if (!outputs.insert(output).second) return report_usage_error("--output-tensor '" + output + "' is given twice");
  }
  auto inputs = read_inputs(args);
  if (!inputs.ok()) return report_usage_error(inputs.status().message());

  EncodedRequest request = encode_infer_request(*inputs, args.outputs, args.binary, *parameters);
  RequestOptions options;
  options.response_timeout = kInferResponseTimeout;
  if (request.json_length) {
    options.headers.emplace_back("Inference-Header-Content-Length", std::to_string(*request.json_length));
  }
  auto response = context.api.http().send(HttpMethod::kPost, infer_path(target->model, target->ref),
                                          request.content_type, request.body, options);
  if (!response.ok()) return report_failure(response.status());
  if (response->status < 200 || response->status >= 300) return report_failure(decode_response(*response).status());
  auto decoded = decode_infer_response(response->body, response->inference_header_content_length);
  if (!decoded.ok()) return report_failure(decoded.status());
  print_result(context, *decoded, render_infer_outputs_table);
  return ExitCode::kOk;
}

}  // namespace

void add_infer_command(CLI::App& app, CommandSelection& selection) {
  auto args = std::make_shared<InferArgs>();
  CLI::App* command = app.add_subcommand("infer", "Run one inference on a loaded model version");
  command->add_option("model", args->model, "Model name, or MODEL@REF for a version other than the serving one")
      ->required();
  args->version_option = command->add_option("--version", args->version, "Version number or alias");
  command
      ->add_option("--input", args->inputs,
                   "NAME=@FILE.json, NAME=@FILE.npy or NAME=JSON (repeatable); a .npy file is sent as binary data")
      ->allow_extra_args(false);
  command->add_option("--datatype", args->datatypes, "NAME=FP32: the datatype of a JSON input (default FP32)")
      ->allow_extra_args(false);
  // Not --output: that is the global table/json switch, which may follow the subcommand.
  command->add_option("--output-tensor", args->outputs, "Return only this output (repeatable; default all)")
      ->allow_extra_args(false);
  command->add_flag("--binary", args->binary,
                    "Ask for the outputs as binary tensors (they carry NaN and infinity, which JSON cannot)");
  command->add_option("--param", args->parameters, "Request parameter key=value (repeatable), like priority=1")
      ->allow_extra_args(false);
  command->callback(
      [&selection, args] { selection.action = [args](CommandContext& context) { return run_infer(context, *args); }; });
}

}  // namespace maas::cli
