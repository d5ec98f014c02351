#include "logs/query.h"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "common/json_parse.h"
#include "logs/block_format.h"

namespace maas::logs {
namespace {

constexpr size_t kMaxMetricSamples = 20'000'000;
constexpr size_t kMaxSteps = 11'000;  // as Prometheus: at most 11,000 points per series
constexpr size_t kMaxLimit = 50'000;

using Fields = std::vector<std::pair<std::string, std::string>>;

void flatten(const nlohmann::json& j, const std::string& prefix, Fields* out) {
  for (auto it = j.begin(); it != j.end(); ++it) {
    std::string key = prefix.empty() ? it.key() : prefix + "_" + it.key();
    const auto& v = it.value();
    if (v.is_object()) {
      flatten(v, key, out);
    } else if (v.is_string()) {
      out->emplace_back(std::move(key), v.get<std::string>());
    } else if (!v.is_array()) {
      out->emplace_back(std::move(key), v.dump());
    }
  }
}

std::string_view lookup(std::string_view name, const Fields& fields, const LabelSet& labels) {
  for (const auto& [k, v] : fields) {
    if (k == name) return v;
  }
  return labels.get(name);
}

bool field_matches(const Stage& st, std::string_view v) {
  if (st.numeric) {
    std::string text(v);
    char* end = nullptr;
    double x = std::strtod(text.c_str(), &end);
    if (text.empty() || *end != '\0') return st.field_op == FieldOp::kNotEq;  // not a number: only != holds
    switch (st.field_op) {
      case FieldOp::kEq: return x == st.number;
      case FieldOp::kNotEq: return x != st.number;
      case FieldOp::kGreater: return x > st.number;
      case FieldOp::kGreaterEq: return x >= st.number;
      case FieldOp::kLess: return x < st.number;
      case FieldOp::kLessEq: return x <= st.number;
      default: return false;
    }
  }
  switch (st.field_op) {
    case FieldOp::kEq: return v == st.text;
    case FieldOp::kNotEq: return v != st.text;
    case FieldOp::kRegex: return RE2::FullMatch(re2::StringPiece(v.data(), v.size()), *st.regex);
    case FieldOp::kNotRegex: return !RE2::FullMatch(re2::StringPiece(v.data(), v.size()), *st.regex);
    default: return false;
  }
}

// Feeds each block's entries within the time range through the pipeline to `on_entry(labels, ts, line, fields)`.
template <typename OnEntry, typename Want>
class PipelineVisitor : public BlockVisitor {
 public:
  PipelineVisitor(const LogQuery& q, int64_t start, int64_t end, QueryStats* stats, OnEntry on_entry, Want want)
      : pipeline_(q), start_(start), end_(end), stats_(stats), on_entry_(std::move(on_entry)), want_(std::move(want)) {}
  bool want(int64_t min_ts, int64_t max_ts, bool* stop) override { return want_(min_ts, max_ts, stop); }
  void entries(const LabelSet& labels, std::string_view raw) override {
    ++stats_->blocks;
    stats_->bytes += raw.size();
    status_ = for_each_entry(raw, [&](int64_t ts, std::string_view line) {
      ++stats_->lines;
      if (ts < start_ || ts >= end_) return;
      if (pipeline_.keep(line, labels, &fields_)) on_entry_(labels, ts, line, fields_);
    });
  }
  const Status& status() const { return status_; }

 private:
  LinePipeline pipeline_;
  int64_t start_, end_;
  QueryStats* stats_;
  OnEntry on_entry_;
  Want want_;
  Fields fields_;
  Status status_;
};

Result<QueryResult> run_log_query(LogStore& store, const LogQuery& q, const QueryParams& p) {
  struct Hit {
    int64_t ts;
    const LabelSet* labels;
    std::string line;
  };
  const bool backward = p.direction == Direction::kBackward;
  auto newer = [backward](const Hit& a, const Hit& b) { return backward ? a.ts > b.ts : a.ts < b.ts; };
  std::vector<Hit> hits;
  std::map<std::string, LabelSet> labels_by_text;  // stable addresses for the labels hits point at
  QueryResult result;
  auto trim = [&] {
    if (hits.size() <= p.limit) return;
    std::nth_element(hits.begin(), hits.begin() + static_cast<ptrdiff_t>(p.limit - 1), hits.end(), newer);
    hits.resize(p.limit);
  };
  auto on_entry = [&](const LabelSet& labels, int64_t ts, std::string_view line, const Fields&) {
    auto text = labels.text();
    auto it = labels_by_text.try_emplace(text, labels).first;
    hits.push_back({ts, &it->second, std::string(line)});
    if (hits.size() >= 2 * p.limit + 1024) trim();
  };
  auto want = [&](int64_t min_ts, int64_t max_ts, bool* stop) {
    if (hits.size() < p.limit) return true;
    trim();
    // The limit-th best so far; blocks arrive ordered, so once one cannot beat it none after can.
    auto worst = std::max_element(hits.begin(), hits.end(), newer)->ts;
    bool useless = backward ? max_ts < worst : min_ts > worst;
    *stop = useless;
    return !useless;
  };
  PipelineVisitor visitor(q, p.start_ns, p.end_ns + 1, &result.stats, on_entry, want);
  ScanRequest req{[&q](const LabelSet& l) { return q.matches_stream(l); }, p.start_ns, p.end_ns + 1, p.direction,
                  p.include_archive};
  MAAS_RETURN_IF_ERROR(store.scan(req, visitor));
  MAAS_RETURN_IF_ERROR(visitor.status());
  trim();
  std::sort(hits.begin(), hits.end(), newer);
  std::map<const LabelSet*, size_t> stream_index;
  for (auto& h : hits) {
    auto [it, inserted] = stream_index.try_emplace(h.labels, result.streams.size());
    if (inserted) result.streams.push_back({*h.labels, {}});
    result.streams[it->second].entries.emplace_back(h.ts, std::move(h.line));
  }
  return result;
}

Result<QueryResult> run_metric_query(LogStore& store, const MetricQuery& m, const QueryParams& p) {
  QueryResult result;
  result.is_metric = true;
  const int64_t step = p.step_ns > 0 ? p.step_ns : 1;
  const int64_t first = p.step_ns > 0 ? p.start_ns : p.end_ns;
  if (p.step_ns > 0 && static_cast<size_t>((p.end_ns - p.start_ns) / step) + 1 > kMaxSteps) {
    return invalid_argument("the query would give more than 11000 points per series; raise step or narrow the range");
  }
  std::map<std::vector<std::pair<std::string, std::string>>, std::vector<int64_t>> samples;
  // Without `| json` a series depends on the stream alone: find it once per stream, not once per entry.
  std::unordered_map<const LabelSet*, std::vector<int64_t>*> series_of_stream;
  const bool per_entry_key = m.log.extracts_json();
  size_t total = 0;
  Status over_limit;
  auto series_key = [&m](const LabelSet& labels, const Fields& fields) {
    std::vector<std::pair<std::string, std::string>> key;
    if (!m.aggregate) {
      key = labels.pairs();
    } else if (m.without) {
      for (const auto& [n, v] : labels.pairs()) {
        if (std::find(m.grouping.begin(), m.grouping.end(), n) == m.grouping.end()) key.emplace_back(n, v);
      }
    } else {
      for (const auto& g : m.grouping) {
        auto v = lookup(g, fields, labels);
        if (!v.empty()) key.emplace_back(g, std::string(v));
      }
    }
    return key;
  };
  auto on_entry = [&](const LabelSet& labels, int64_t ts, std::string_view, const Fields& fields) {
    if (++total > kMaxMetricSamples) {
      over_limit = Status(StatusCode::kResourceExhausted, "the query matches more than 20,000,000 entries; narrow it");
      return;
    }
    if (per_entry_key) {
      samples[series_key(labels, fields)].push_back(ts);
      return;
    }
    auto [it, inserted] = series_of_stream.try_emplace(&labels, nullptr);
    if (inserted) it->second = &samples[series_key(labels, fields)];
    it->second->push_back(ts);
  };
  auto want = [&](int64_t, int64_t, bool* stop) {
    *stop = !over_limit.ok();
    return over_limit.ok();
  };
  const int64_t scan_start = first - m.range_ns + 1;  // each point counts (t - range, t]
  PipelineVisitor visitor(m.log, scan_start, p.end_ns + 1, &result.stats, on_entry, want);
  ScanRequest req{[&m](const LabelSet& l) { return m.log.matches_stream(l); }, scan_start, p.end_ns + 1,
                  Direction::kForward, p.include_archive};
  MAAS_RETURN_IF_ERROR(store.scan(req, visitor));
  MAAS_RETURN_IF_ERROR(visitor.status());
  MAAS_RETURN_IF_ERROR(over_limit);
  const double range_seconds = static_cast<double>(m.range_ns) / 1e9;
  for (auto& [key, ts] : samples) {
    std::sort(ts.begin(), ts.end());
    SeriesResult series;
    series.metric = key;
    for (int64_t t = first; t <= p.end_ns; t += step) {
      auto hi = std::upper_bound(ts.begin(), ts.end(), t);
      auto lo = std::upper_bound(ts.begin(), ts.end(), t - m.range_ns);
      auto count = static_cast<double>(hi - lo);
      if (count == 0) continue;
      series.points.emplace_back(t, m.function == MetricQuery::Function::kRate ? count / range_seconds : count);
    }
    if (!series.points.empty()) result.series.push_back(std::move(series));
  }
  return result;
}

}  // namespace

bool LinePipeline::keep(std::string_view line, const LabelSet& labels, Fields* fields) const {
  fields->clear();
  for (const auto& st : query_.stages) {
    switch (st.kind) {
      case Stage::Kind::kLine: {
        bool found;
        if (st.line_op == LineOp::kContains || st.line_op == LineOp::kNotContains) {
          found = line.find(st.text) != std::string_view::npos;
        } else {
          found = RE2::PartialMatch(re2::StringPiece(line.data(), line.size()), *st.regex);
        }
        bool negate = st.line_op == LineOp::kNotContains || st.line_op == LineOp::kNotRegex;
        if (found == negate) return false;
        break;
      }
      case Stage::Kind::kJson: {
        // flatten() recurses per level: a line nested past the limit is not JSON to this stage.
        auto j = parse_json_or(line, nullptr);
        if (j.is_object()) flatten(j, "", fields);
        break;
      }
      case Stage::Kind::kField:
        if (!field_matches(st, lookup(st.name, *fields, labels))) return false;
        break;
    }
  }
  return true;
}

Result<QueryResult> run_query(LogStore& store, const Query& query, const QueryParams& params) {
  if (params.end_ns < params.start_ns) return invalid_argument("the query's end is before its start");
  if (params.limit == 0 || params.limit > kMaxLimit) {
    return invalid_argument("limit must be between 1 and " + std::to_string(kMaxLimit));
  }
  if (query.is_metric) return run_metric_query(store, query.metric, params);
  return run_log_query(store, query.log, params);
}

}  // namespace maas::logs
