// The one-objective check the single-objective samplers share (their options are read with hpo/options.h).
#pragma once

#include <cstddef>
#include <string_view>

#include "common/status.h"

namespace maas::hpo {

// INVALID_ARGUMENT unless the study has exactly one objective: "the '<sampler>' sampler optimizes one objective...".
Status require_single_objective(std::string_view sampler, size_t objectives);

}  // namespace maas::hpo
