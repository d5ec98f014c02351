#include "compression/gguf_job.h"

#include <llama.h>

#include <filesystem>

#include "compression/gguf_greedy.h"
#include "compression/gguf_types.h"
#include "compression/report.h"
#include "jobs/params.h"

namespace maas::compression {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// gguf_types.cc holds the values without llama.h; they must be llama.h's.
static_assert(LLAMA_FTYPE_MOSTLY_Q8_0 == 7 && LLAMA_FTYPE_MOSTLY_Q4_K_M == 15 && LLAMA_FTYPE_MOSTLY_BF16 == 32 &&
              LLAMA_FTYPE_MOSTLY_IQ4_XS == 30 && LLAMA_FTYPE_MOSTLY_TQ2_0 == 37);

// How many leading generated tokens the two runs share.
size_t common_prefix(const std::vector<int32_t>& a, const std::vector<int32_t>& b) {
  size_t n = 0;
  while (n < a.size() && n < b.size() && a[n] == b[n]) ++n;
  return n;
}

}  // namespace

Status run_compress_gguf(jobs::JobContext& job) {
  const json& params = job.params();
  MAAS_ASSIGN_OR_RETURN(std::string source, jobs::string_param(params, "model_file"));
  MAAS_ASSIGN_OR_RETURN(std::string type_name, jobs::string_param(params, "type"));
  MAAS_ASSIGN_OR_RETURN(std::string prompt, jobs::string_param(params, "prompt"));
  std::optional<GgufType> type = find_gguf_type(type_name);
  if (!type) return invalid_argument("params.type '" + type_name + "' is not one of " + gguf_type_names());
  const int tokens = static_cast<int>(jobs::unsigned_param(params, "measure_tokens", 32));
  const int threads = std::max(1, job.cpu_slots());

  init_llama();
  job.progress(0.05, "quantizing to " + type_name);
  const fs::path output = fs::path(job.scratch_dir()) / "model.gguf";
  llama_model_quantize_params quantize = llama_model_quantize_default_params();
  quantize.ftype = static_cast<llama_ftype>(type->ftype);
  quantize.nthread = threads;
  if (llama_model_quantize(source.c_str(), output.c_str(), &quantize) != 0)
    return invalid_argument("llama.cpp could not quantize the model to " + type_name + " (see the job's log)");

  job.progress(0.6, "measuring the source model");
  MAAS_ASSIGN_OR_RETURN(GreedyRun before, run_greedy(source, prompt, tokens, threads));
  job.progress(0.8, "measuring the quantized model");
  MAAS_ASSIGN_OR_RETURN(GreedyRun after, run_greedy(output.string(), prompt, tokens, threads));

  std::error_code error;
  const uint64_t before_bytes = jobs::unsigned_param(params, "source_bytes", 0);  // maasd read it from the store
  const uint64_t after_bytes = fs::file_size(output, error);
  if (error) return internal_error("cannot read the size of the quantized file: " + error.message());
  json report = {
      {"size_bytes", size_report(before_bytes, after_bytes)},
      {"latency",
       {{"measure", "greedy decoding of " + std::to_string(tokens) + " tokens after the prompt, one sequence, " +
                        std::to_string(threads) + " CPU threads, the prompt and the load not timed"},
        {"before_tokens_per_second", before.tokens_per_second},
        {"after_tokens_per_second", after.tokens_per_second}}},
      {"greedy",
       {{"tokens", after.tokens.size()},
        {"same_prefix_tokens", common_prefix(before.tokens, after.tokens)},
        {"identical", before.tokens == after.tokens}}}};
  job.progress(
      1.0, "quantized to " + type_name,
      {{"size_ratio", report["size_bytes"]["ratio"].get<double>()}, {"tokens_per_second", after.tokens_per_second}});
  job.set_result({{"model_file", output.string()}, {"type", type->name}, {"report", report}});
  return {};
}

}  // namespace maas::compression
