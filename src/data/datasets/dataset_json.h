// Datasets and their versions as JSON: the shape the API answers with and maas-data prints.
#pragma once

#include <nlohmann/json.hpp>

#include "data/datasets/dataset_registry.h"

namespace maas::data {

// {name, description, tags, created_at, updated_at, latest_version, version_count, aliases}
nlohmann::json dataset_json(const DatasetView& view);

// {dataset, version, digest ("sha256:..."), size_bytes, row_count, schema, profile, rejected_rows, rejects_digest,
//  rejects_size_bytes, lineage, description, tags, state, aliases, created_by, created_at, updated_at}. Without
// `with_profile` the profile is left out (lists: a profile holds every column's statistics).
nlohmann::json dataset_version_json(const DatasetVersionView& view, bool with_profile = true);

}  // namespace maas::data
