// The constructors make_step dispatches to, one per file of steps (private to src/features). Each reads and checks
// its parameters from the spec (`params`).
#pragma once

#include <memory>

#include "features/params.h"
#include "features/step.h"

namespace maas::features {

// scalers.cc
Result<std::unique_ptr<Step>> make_standard_scaler(const Params& params);
Result<std::unique_ptr<Step>> make_min_max_scaler(const Params& params);
Result<std::unique_ptr<Step>> make_max_abs_scaler(const Params& params);
Result<std::unique_ptr<Step>> make_robust_scaler(const Params& params);
// imputer.cc
Result<std::unique_ptr<Step>> make_simple_imputer(const Params& params);
// one_hot.cc; encoders.cc
Result<std::unique_ptr<Step>> make_one_hot_encoder(const Params& params);
Result<std::unique_ptr<Step>> make_ordinal_encoder(const Params& params);
Result<std::unique_ptr<Step>> make_count_encoder(const Params& params, bool normalize);
// target_encoder.cc
Result<std::unique_ptr<Step>> make_target_encoder(const Params& params);
// discretizer.cc
Result<std::unique_ptr<Step>> make_kbins_discretizer(const Params& params);
// power.cc
Result<std::unique_ptr<Step>> make_power_transformer(const Params& params);
// polynomial.cc
Result<std::unique_ptr<Step>> make_polynomial_features(const Params& params);
Result<std::unique_ptr<Step>> make_log1p(const Params& params);
// arithmetic.cc; group_aggregate.cc (feature search's candidates)
Result<std::unique_ptr<Step>> make_arithmetic_features(const Params& params);
Result<std::unique_ptr<Step>> make_group_aggregate(const Params& params);

}  // namespace maas::features
