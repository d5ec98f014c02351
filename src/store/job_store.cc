#include "store/job_store.h"

namespace maas::store {

bool is_terminal_job_state(std::string_view state) {
  return state == kJobSucceeded || state == kJobFailed || state == kJobCancelled;
}

}  // namespace maas::store
