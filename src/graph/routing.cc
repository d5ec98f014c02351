#include "graph/routing.h"

#include <re2/re2.h>

#include <cstring>
#include <numeric>
#include <random>

#include "graph/combine.h"

namespace maas::graph {
namespace {
using Op = Condition::Op;

bool compare(Op op, double x, double value) {
  switch (op) {
    case Op::kLess:
      return x < value;
    case Op::kLessEqual:
      return x <= value;
    case Op::kGreater:
      return x > value;
    case Op::kGreaterEqual:
      return x >= value;
    case Op::kEqual:
      return x == value;
    case Op::kNotEqual:
      return x != value;
    case Op::kMatches:
      return false;
  }
  return false;
}

// The BYTES elements of `t` (4-byte little-endian length, then the bytes); INVALID_ARGUMENT when malformed.
Result<std::vector<std::string_view>> strings_of(const runtime::Tensor& t) {
  std::vector<std::string_view> out;
  const auto* p = reinterpret_cast<const char*>(t.data.data());
  size_t left = t.data.size();
  while (left > 0) {
    if (left < 4) return invalid_argument("tensor '" + t.name + "' has a truncated BYTES element");
    uint32_t n = 0;
    std::memcpy(&n, p, 4);
    if (n > left - 4) return invalid_argument("tensor '" + t.name + "' has a truncated BYTES element");
    out.emplace_back(p + 4, n);
    p += 4 + n;
    left -= 4 + n;
  }
  return out;
}

template <typename Values, typename Test>
bool all_or_any(const Values& values, bool any, Test test) {
  if (values.empty()) return false;
  for (const auto& v : values) {
    if (test(v) == any) return any;
  }
  return !any;
}

}  // namespace

Result<bool> holds(const Condition& condition, const runtime::Tensor& tensor) {
  if (condition.op == Op::kMatches) {
    if (tensor.datatype != runtime::DataType::kBytes) {
      return invalid_argument("'matches' compares BYTES tensors; '" + tensor.name + "' is " +
                              std::string(runtime::datatype_name(tensor.datatype)));
    }
    MAAS_ASSIGN_OR_RETURN(auto strings, strings_of(tensor));
    if (!condition.pattern) return internal_error("the condition on '" + condition.tensor + "' has no pattern");
    const RE2& re = *condition.pattern;
    return all_or_any(strings, condition.any, [&](std::string_view s) { return RE2::FullMatch(s, re); });
  }
  MAAS_ASSIGN_OR_RETURN(auto numbers, numbers_of(tensor, "condition on '" + condition.tensor + "'"));
  return all_or_any(numbers, condition.any, [&](double x) { return compare(condition.op, x, condition.value); });
}

uint64_t fnv1a64(std::string_view text) {
  uint64_t hash = 14695981039346656037ull;
  for (unsigned char c : text) {
    hash ^= c;
    hash *= 1099511628211ull;
  }
  return hash;
}

size_t pick_weighted(std::string_view key, const std::vector<int64_t>& weights) {
  const uint64_t total = static_cast<uint64_t>(std::accumulate(weights.begin(), weights.end(), int64_t{0}));
  if (total == 0) return 0;
  uint64_t r = 0;
  if (!key.empty()) {
    r = fnv1a64(key) % total;
  } else {
    thread_local std::mt19937_64 generator{std::random_device{}()};
    r = std::uniform_int_distribution<uint64_t>(0, total - 1)(generator);
  }
  uint64_t cumulative = 0;
  for (size_t i = 0; i < weights.size(); ++i) {
    cumulative += static_cast<uint64_t>(weights[i]);
    if (r < cumulative) return i;
  }
  return weights.size() - 1;
}

}  // namespace maas::graph
