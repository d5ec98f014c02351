// The routes of validation policies (docs/TRAINING.md#validation-policies): PUT/GET/DELETE
// /api/v1/models/{name}/validation-policy and POST /api/v1/models/{name}/versions/{ref}/validate (a
// train.validate job). Deployers and admins write; every role with read access reads.
#pragma once

#include "api/blocking.h"
#include "http/router.h"
#include "training/validation/validator.h"

namespace maas::training::validation {

// `validator` and `blocking` must outlive the server's requests.
void add_validation_routes(http::Router& router, Validator& validator, api::BlockingPool& blocking);

}  // namespace maas::training::validation
