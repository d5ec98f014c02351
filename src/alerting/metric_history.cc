#include "alerting/metric_history.h"

#include <algorithm>
#include <cmath>

namespace maas::alerting {
namespace {

std::string key_of(const std::string& name, const LabelMap& labels) {
  std::string key = name;
  for (const auto& [k, v] : labels) key += '\0' + k + '=' + v;
  return key;
}

double apply(char op, double a, double b) {
  switch (op) {
    case '+': return a + b;
    case '-': return a - b;
    case '*': return a * b;
    default: return b == 0 ? std::nan("") : a / b;
  }
}

// Prometheus's histogram_quantile: linear interpolation inside the bucket that holds the rank.
double bucket_quantile(double q, std::vector<std::pair<double, double>> buckets) {
  std::sort(buckets.begin(), buckets.end());
  if (buckets.size() < 2 || !std::isinf(buckets.back().first)) return std::nan("");
  double total = buckets.back().second;
  if (total == 0) return std::nan("");
  double rank = q * total;
  size_t b = 0;
  while (b < buckets.size() - 1 && buckets[b].second < rank) ++b;
  if (b == buckets.size() - 1) return buckets[buckets.size() - 2].first;
  double lower_bound = b == 0 ? 0 : buckets[b - 1].first;
  double lower_count = b == 0 ? 0 : buckets[b - 1].second;
  double in_bucket = buckets[b].second - lower_count;
  if (in_bucket == 0) return buckets[b].first;
  return lower_bound + (buckets[b].first - lower_bound) * (rank - lower_count) / in_bucket;
}

}  // namespace

void MetricHistory::add(int64_t at_ms, const std::vector<metrics::Sample>& samples) {
  latest_ms_ = at_ms;
  for (const auto& s : samples) {
    LabelMap labels(s.labels.begin(), s.labels.end());
    auto key = key_of(s.name, labels);
    auto [it, inserted] = series_.try_emplace(key);
    if (inserted) {
      it->second.name = s.name;
      it->second.labels = std::move(labels);
    }
    it->second.points.push_back({at_ms, s.value});
  }
  for (auto it = series_.begin(); it != series_.end();) {
    auto& points = it->second.points;
    while (!points.empty() && points.front().at_ms < at_ms - keep_ms_) points.pop_front();
    it = points.empty() ? series_.erase(it) : std::next(it);
  }
}

template <typename Fn>
void MetricHistory::each_matching(const Expr& e, Fn&& fn) const {
  for (const auto& [key, s] : series_) {
    if (s.name != e.metric || s.points.back().at_ms != latest_ms_) continue;  // gone series are stale
    bool ok = true;
    for (const auto& m : e.matchers) {
      auto it = s.labels.find(m.name);
      ok = ok && m.matches(it == s.labels.end() ? std::string_view() : std::string_view(it->second));
    }
    if (ok) fn(s);
  }
}

Result<Vector> MetricHistory::evaluate(const Expr& e, size_t depth) const {
  if (depth > kMaxExpressionDepth) {
    return invalid_argument("the expression is nested deeper than " + std::to_string(kMaxExpressionDepth) + " levels");
  }
  Vector out;
  switch (e.kind) {
    case Expr::Kind::kNumber:
      out.push_back({{}, e.number});
      return out;
    case Expr::Kind::kSelector:
      each_matching(e, [&](const Series& s) { out.push_back({s.labels, s.points.back().value}); });
      return out;
    case Expr::Kind::kRate:
      each_matching(e, [&](const Series& s) {
        // Points in (now - range, now]; a drop is a counter reset, counted from 0.
        const Point* first = nullptr;
        double increase = 0, previous = 0;
        for (const auto& p : s.points) {
          if (p.at_ms <= latest_ms_ - e.range_ms) continue;
          if (first != nullptr) increase += p.value >= previous ? p.value - previous : p.value;
          if (first == nullptr) first = &p;
          previous = p.value;
        }
        if (first == nullptr || first->at_ms == latest_ms_) return;  // one point gives no rate
        out.push_back({s.labels, increase / (static_cast<double>(latest_ms_ - first->at_ms) / 1000.0)});
      });
      return out;
    case Expr::Kind::kSum: {
      MAAS_ASSIGN_OR_RETURN(Vector in, evaluate(*e.lhs, depth + 1));
      std::map<LabelMap, double> groups;
      for (const auto& s : in) {
        LabelMap key;
        for (const auto& [k, v] : s.labels) {
          bool listed = std::find(e.grouping.begin(), e.grouping.end(), k) != e.grouping.end();
          if (listed != e.without) key[k] = v;
        }
        groups[key] += s.value;
      }
      for (auto& [labels, v] : groups) out.push_back({labels, v});
      return out;
    }
    case Expr::Kind::kQuantile: {
      MAAS_ASSIGN_OR_RETURN(Vector in, evaluate(*e.lhs, depth + 1));
      std::map<LabelMap, std::vector<std::pair<double, double>>> groups;
      for (const auto& s : in) {
        auto le = s.labels.find("le");
        if (le == s.labels.end()) continue;
        LabelMap key = s.labels;
        key.erase("le");
        groups[key].emplace_back(le->second == "+Inf" ? INFINITY : std::strtod(le->second.c_str(), nullptr), s.value);
      }
      for (auto& [labels, buckets] : groups) out.push_back({labels, bucket_quantile(e.number, std::move(buckets))});
      return out;
    }
    case Expr::Kind::kBinary: {
      MAAS_ASSIGN_OR_RETURN(Vector a, evaluate(*e.lhs, depth + 1));
      MAAS_ASSIGN_OR_RETURN(Vector b, evaluate(*e.rhs, depth + 1));
      bool a_scalar = e.lhs->kind == Expr::Kind::kNumber, b_scalar = e.rhs->kind == Expr::Kind::kNumber;
      if (b_scalar) {
        for (auto& s : a) out.push_back({s.labels, apply(e.op, s.value, b[0].value)});
      } else if (a_scalar) {
        for (auto& s : b) out.push_back({s.labels, apply(e.op, a[0].value, s.value)});
      } else {
        std::map<LabelMap, double> right;
        for (const auto& s : b) right[s.labels] = s.value;
        for (const auto& s : a) {
          auto it = right.find(s.labels);  // one-to-one on identical label sets
          if (it != right.end()) out.push_back({s.labels, apply(e.op, s.value, it->second)});
        }
      }
      std::erase_if(out, [](const VectorSample& s) { return std::isnan(s.value); });
      return out;
    }
  }
  return out;
}

}  // namespace maas::alerting
