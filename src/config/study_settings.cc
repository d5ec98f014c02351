// The studies.* settings (src/studies/, docs/HPO.md): the limits of hyperparameter studies.
#include "config/setting.h"

namespace maas::config {

std::vector<Setting> study_settings() {
  return {
      {{"studies.max_studies", "MAAS_STUDIES_MAX_STUDIES", "--studies-max-studies",
        "studies that may exist at once; creating more is refused with 429 (1 to 1e6)"},
       whole_number(&ServerConfig::studies_max_studies, "studies.max_studies", 1, 1'000'000)},
      {{"studies.max_trials_per_study", "MAAS_STUDIES_MAX_TRIALS_PER_STUDY", "--studies-max-trials-per-study",
        "trials one study may ask; more are refused with 429 (1 to 1e6)"},
       whole_number(&ServerConfig::studies_max_trials_per_study, "studies.max_trials_per_study", 1, 1'000'000)},
      {{"studies.max_intermediate_values", "MAAS_STUDIES_MAX_INTERMEDIATE_VALUES", "--studies-max-intermediate-values",
        "intermediate values one trial may report; more are refused with 429 (1 to 1e6)"},
       whole_number(&ServerConfig::studies_max_intermediate_values, "studies.max_intermediate_values", 1, 1'000'000)},
      {{"studies.max_running_trials", "MAAS_STUDIES_MAX_RUNNING_TRIALS", "--studies-max-running-trials",
        "trials of one study running at once (asked, not yet told); more asks are refused with 429 (1 to 1e6)"},
       whole_number(&ServerConfig::studies_max_running_trials, "studies.max_running_trials", 1, 1'000'000)},
  };
}

}  // namespace maas::config
