#include "features/search/candidates.h"

#include <cmath>
#include <cstring>
#include <unordered_map>

#include "features/pipeline.h"

namespace maas::features::search {
namespace {

using nlohmann::json;

// |Pearson correlation| at or above this with a base column: the candidate adds nothing a tree could not find.
constexpr double kCorrelated = 0.9999;

json arithmetic(const std::string& a, const std::string& b, const char* op, bool passthrough) {
  json step = {
      {"step", "ArithmeticFeatures"}, {"pairs", json::array({json::array({a, b})})}, {"ops", json::array({op})}};
  if (passthrough) step["passthrough"] = true;
  return step;
}

json aggregate(const std::string& key, const std::string& column, const char* agg, const char* relative) {
  return {{"step", "GroupAggregate"},   {"key", key},           {"column", column},
          {"aggs", json::array({agg})}, {"relative", relative}, {"handle_unknown", "global"}};
}

// The definitions, most promising kinds first, since the budget may stop generation part way.
std::vector<Candidate> definitions(const std::vector<std::string>& numeric, const std::vector<std::string>& keys,
                                   int depth) {
  std::vector<Candidate> out;
  // Columns and steps are arrays (a brace list of two strings would be a JSON object).
  auto add = [&out](const std::vector<std::string>& columns, const std::vector<json>& steps) {
    out.push_back({"", json(columns), json(steps), {}});
  };
  const size_t n = numeric.size();
  for (size_t i = 0; i < n; ++i) {
    for (size_t j = i + 1; j < n; ++j)
      add({numeric[i], numeric[j]}, {arithmetic(numeric[i], numeric[j], "product", false)});
  }
  for (size_t i = 0; i < n; ++i) {
    for (size_t j = 0; j < n; ++j) {
      if (i != j) add({numeric[i], numeric[j]}, {arithmetic(numeric[i], numeric[j], "ratio", false)});
    }
  }
  for (const std::string& key : keys) {
    for (const std::string& x : numeric) {
      add({key, x}, {aggregate(key, x, "mean", "none")});
      if (depth >= 2) add({key, x}, {aggregate(key, x, "mean", "ratio")});
    }
  }
  for (size_t i = 0; i < n; ++i) {
    for (size_t j = i + 1; j < n; ++j)
      add({numeric[i], numeric[j]}, {arithmetic(numeric[i], numeric[j], "difference", false)});
  }
  for (const std::string& key : keys) {
    for (const std::string& x : numeric) {
      for (const char* agg : {"std", "min", "max", "count"}) add({key, x}, {aggregate(key, x, agg, "none")});
      if (depth >= 2) add({key, x}, {aggregate(key, x, "mean", "difference")});
    }
  }
  if (depth >= 2) {
    for (const std::string& key : keys) {
      for (size_t i = 0; i < n; ++i) {
        for (size_t j = i + 1; j < n; ++j) {
          add({key, numeric[i], numeric[j]}, {arithmetic(numeric[i], numeric[j], "product", true),
                                              aggregate(key, numeric[i] + "*" + numeric[j], "mean", "none")});
        }
      }
    }
  }
  return out;
}

// The candidate's values by the pipeline code that will serve it.
Status compute(const Table& data, Candidate& c) {
  const json spec = {{"transformers", {{{"name", "candidate"}, {"columns", c.columns}, {"steps", c.steps}}}},
                     {"verbose_feature_names_out", false}};
  MAAS_ASSIGN_OR_RETURN(Pipeline pipeline, Pipeline::from_spec(spec));
  MAAS_ASSIGN_OR_RETURN(Table out, pipeline.fit_transform(data));
  if (out.columns.size() != 1) return internal_error("a candidate's transformer gave no single column");
  c.name = out.columns[0].name;
  c.values = std::move(out.columns[0].numbers);
  return {};
}

bool constant(const std::vector<double>& values) {
  double first = std::nan("");
  for (double v : values) {
    if (std::isnan(v)) continue;
    if (std::isnan(first)) first = v;
    if (v != first) return false;
  }
  return true;
}

uint64_t fingerprint(const std::vector<double>& values) {
  uint64_t h = 1469598103934665603ULL;
  for (double v : values) {
    uint64_t bits = 0;
    if (!std::isnan(v)) std::memcpy(&bits, &v, sizeof bits);
    h = (h ^ bits) * 1099511628211ULL;
  }
  return h;
}

bool same(const std::vector<double>& a, const std::vector<double>& b) {
  for (size_t i = 0; i < a.size(); ++i) {
    if (!(a[i] == b[i] || (std::isnan(a[i]) && std::isnan(b[i])))) return false;
  }
  return true;
}

// Pearson's correlation over the rows where both are present (0 when either is constant there).
double correlation(const std::vector<double>& a, const std::vector<double>& b) {
  double n = 0, sa = 0, sb = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::isnan(a[i]) || std::isnan(b[i])) continue;
    n += 1;
    sa += a[i];
    sb += b[i];
  }
  if (n < 2) return 0;
  const double ma = sa / n, mb = sb / n;
  double cab = 0, caa = 0, cbb = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::isnan(a[i]) || std::isnan(b[i])) continue;
    cab += (a[i] - ma) * (b[i] - mb);
    caa += (a[i] - ma) * (a[i] - ma);
    cbb += (b[i] - mb) * (b[i] - mb);
  }
  return caa == 0 || cbb == 0 ? 0 : cab / std::sqrt(caa * cbb);
}

Result<std::vector<std::string>> group_keys(const Table& data, const SearchOptions& options) {
  std::vector<std::string> keys;
  if (options.keys.empty()) {
    for (const Column& c : data.columns) {
      if (c.type == ColumnType::kText && c.name != options.label) keys.push_back(c.name);
    }
    return keys;
  }
  for (const std::string& name : options.keys) {
    const Column* c = data.find(name);
    if (c == nullptr) return invalid_argument("params.keys names '" + name + "', which the data lacks");
    if (name == options.label) return invalid_argument("params.keys names the label '" + name + "'");
    if (c->type == ColumnType::kNumber && !c->integral) {
      return invalid_argument("the key column '" + name + "' holds fractional numbers; a key must be text or integers");
    }
    keys.push_back(name);
  }
  return keys;
}

}  // namespace

Result<Candidates> generate_candidates(const Table& data, const SearchOptions& options,
                                       const std::function<bool()>& stop) {
  Candidates out;
  MAAS_ASSIGN_OR_RETURN(out.keys, group_keys(data, options));
  // By fingerprint: a name and its values, to find duplicates.
  std::unordered_multimap<uint64_t, std::pair<std::string, const std::vector<double>*>> seen;
  for (const Column& c : data.columns) {
    if (c.type != ColumnType::kNumber || c.name == options.label) continue;
    if (std::find(out.keys.begin(), out.keys.end(), c.name) != out.keys.end()) continue;
    MAAS_RETURN_IF_ERROR(check_finite(c, /*allow_nan=*/true, "feature search"));
    out.base.push_back(c.name);
    seen.emplace(fingerprint(c.numbers), std::pair{c.name, &c.numbers});
  }
  if (out.base.empty()) {
    return invalid_argument("the data has no numeric column besides the label '" + options.label +
                            "' to build features from");
  }
  std::vector<Candidate> all = definitions(out.base, out.keys, options.depth);
  out.kept.reserve(std::min(all.size(), options.max_candidates));
  for (Candidate& c : all) {
    if (out.generated == options.max_candidates || stop()) {
      out.budget_hit = true;
      break;
    }
    ++out.generated;
    MAAS_RETURN_IF_ERROR(compute(data, c));
    if (data.find(c.name) != nullptr) {
      out.pruned.push_back({c.name, "named as a column of the data"});
      continue;
    }
    if (constant(c.values)) {
      out.pruned.push_back({c.name, "constant"});
      continue;
    }
    const uint64_t key = fingerprint(c.values);
    std::string duplicate;
    for (auto [it, end] = seen.equal_range(key); it != end && duplicate.empty(); ++it) {
      if (same(*it->second.second, c.values)) duplicate = "'" + it->second.first + "'";
    }
    if (!duplicate.empty()) {
      out.pruned.push_back({c.name, "duplicate of " + duplicate});
      continue;
    }
    std::string correlated;
    for (size_t b = 0; b < out.base.size() && correlated.empty(); ++b) {
      if (std::fabs(correlation(data.find(out.base[b])->numbers, c.values)) >= kCorrelated) correlated = out.base[b];
    }
    if (!correlated.empty()) {
      out.pruned.push_back({c.name, "|corr| ~ 1 with '" + correlated + "'"});
      continue;
    }
    out.kept.push_back(std::move(c));
    seen.emplace(key, std::pair{out.kept.back().name, &out.kept.back().values});
  }
  return out;
}

}  // namespace maas::features::search
