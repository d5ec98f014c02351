// Registration of what a training job produced, shared by the training kinds' on_succeeded: the model file the
// job wrote into its directory becomes a version of the named model (created when missing) with its lineage and
// metrics, once per job: a requeued job that reaches it again finds its version by the job id in the lineage (or,
// after a crash between upload and lineage, by the file's digest) instead of registering a second.
//
// Thread-safety: any thread; the DataApi and Registry outlive the call.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "data/api/data_api.h"
#include "formats/format.h"
#include "jobs/job_kind.h"
#include "registry/registry.h"

namespace maas::training {

struct TrainedModel {
  std::string model;
  formats::Framework framework;
  std::string kind;         // the job kind, in the new model's description
  nlohmann::json lineage;   // must hold run_id = the job id
  std::string description;  // the version's; empty: "trained by job <id>"
};

// job.result.model_file must lie in the job's directory under the data dir. The version is announced to the
// registry's listener (validation policies) once its lineage is stored. `version_out`: where to write the version's
// number, when given.
Status register_trained_model(data::api::DataApi& api, registry::Registry& models, const jobs::SucceededJob& job,
                              const TrainedModel& trained, int64_t* version_out = nullptr);

// "maas <version> (<commit>)": the code version a lineage records.
std::string code_version();

}  // namespace maas::training
