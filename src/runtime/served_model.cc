#include "runtime/served_model.h"

namespace maas::runtime {

std::string_view model_state_name(ModelState state) {
  switch (state) {
    case ModelState::kLoading: return "LOADING";
    case ModelState::kReady: return "READY";
    case ModelState::kUnavailable: return "UNAVAILABLE";
    case ModelState::kUnloading: return "UNLOADING";
    case ModelState::kFailed: return "FAILED";
  }
  return "UNKNOWN";
}

}  // namespace maas::runtime
