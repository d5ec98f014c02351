// Candidate features of a search, generated as Featuretools' deep feature synthesis does to depth 2 and pruned:
// pairwise products, ratios and differences of numeric columns; per group key the mean, std, min, max and count of
// each numeric column; at depth 2 the group mean of each product and each column's ratio to and difference from
// its group mean. Each candidate is a pipeline transformer (ArithmeticFeatures, GroupAggregate), and its values are
// what that transformer gives, so a kept candidate is served by the same code that scored it.
// Pure functions over a Table; no threading.
#pragma once

#include <chrono>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "features/search/options.h"
#include "features/table.h"

namespace maas::features::search {

struct Candidate {
  std::string name;        // the output column ("a*b", "mean(x by k)")
  nlohmann::json columns;  // the transformer's input columns
  nlohmann::json steps;    // its steps
  std::vector<double> values;
};

struct Pruned {
  std::string name;
  std::string reason;  // "constant", "duplicate of X", "|corr| ~ 1 with X"
};

struct Candidates {
  std::vector<std::string> base;  // the numeric columns (label excluded): the features every model starts with
  std::vector<std::string> keys;  // the group keys used
  std::vector<Candidate> kept;
  std::vector<Pruned> pruned;
  size_t generated = 0;
  bool budget_hit = false;  // generation stopped at max_candidates or the deadline
};

// Generates and prunes candidates over `data` (the label column excluded). INVALID_ARGUMENT when the data has no
// numeric column besides the label, or a key that is missing or not text/integral. `stop` is asked between
// candidates (the deadline, a cancel).
Result<Candidates> generate_candidates(const Table& data, const SearchOptions& options,
                                       const std::function<bool()>& stop);

}  // namespace maas::features::search
