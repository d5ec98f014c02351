// maasd's half shared by the compress.* kinds: the source model version a submission names, resolved in validate(),
// and the compressed file registered in on_succeeded() as a new version of the same model whose lineage names the
// source version, the method and its parameters (training/model_version.h: once per job id).
//
// Thread-safety: any thread; the Registry and DataApi outlive the calls.
#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

#include "data/api/data_api.h"
#include "formats/format.h"
#include "jobs/job_kind.h"
#include "registry/registry.h"

namespace maas::compression {

// params.model and params.model_version ("latest" when absent, a number or an alias) resolved to
// {model, model_version, framework, model_file (the artifact's path), source_bytes}; INVALID_ARGUMENT when the
// version's framework is not `framework`.
Result<nlohmann::json> resolve_source(registry::Registry& models, const nlohmann::json& params, std::string_view kind,
                                      formats::Framework framework);

// The job's result.model_file as a new version of params.model, its lineage {source: "job:<kind>", run_id,
// parent: "<model>@<version>", parent_version, method, parameters, report, code_version, and the source's recipe,
// features and label when its lineage has them} and its metrics
// result.metrics; the job's result records {"version": {model, version}}. `parameters`: the method's, as the
// submission gave them after defaults.
Status register_compressed(data::api::DataApi& api, registry::Registry& models, const jobs::SucceededJob& job,
                           const nlohmann::json& parameters);

}  // namespace maas::compression
