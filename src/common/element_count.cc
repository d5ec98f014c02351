#include "common/element_count.h"

#include <algorithm>
#include <limits>

namespace maas {
namespace {

constexpr uint64_t kMaxCount = static_cast<uint64_t>(std::numeric_limits<int64_t>::max());

// The product of `dims` as `factor` maps each; nullopt past kMaxCount.
template <typename Factor>
std::optional<uint64_t> checked_product(std::span<const int64_t> dims, Factor factor) {
  uint64_t product = 1;
  for (int64_t d : dims) {
    std::optional<uint64_t> f = factor(d);
    if (!f) return std::nullopt;
    if (*f != 0 && product > kMaxCount / *f) return std::nullopt;
    product *= *f;
  }
  return product;
}

}  // namespace

std::optional<uint64_t> element_count(std::span<const int64_t> shape) {
  // A zero anywhere makes the count 0 whatever the other dimensions multiply to (in any order).
  if (std::none_of(shape.begin(), shape.end(), [](int64_t d) { return d < 0; }) &&
      std::find(shape.begin(), shape.end(), 0) != shape.end()) {
    return 0;
  }
  return checked_product(shape, [](int64_t d) -> std::optional<uint64_t> {
    if (d < 0) return std::nullopt;
    return static_cast<uint64_t>(d);
  });
}

std::optional<uint64_t> claimed_elements(std::span<const int64_t> shape) {
  return checked_product(shape, [](int64_t d) -> std::optional<uint64_t> {
    return d <= 0 ? 1 : static_cast<uint64_t>(d);
  });
}

std::string shape_string(std::span<const int64_t> shape) {
  std::string out = "[";
  for (size_t i = 0; i < shape.size(); ++i) out += (i ? "," : "") + std::to_string(shape[i]);
  return out + "]";
}

Status check_declared_input(std::string_view input_name, std::span<const int64_t> shape, uint64_t max_elements) {
  std::optional<uint64_t> claimed = claimed_elements(shape);
  if (claimed && *claimed <= max_elements) return {};
  std::string count = claimed ? std::to_string(*claimed) : "more than 2^63";
  return invalid_argument("input '" + std::string(input_name) + "' declares shape " + shape_string(shape) + ": " +
                          count + " elements per row, over the limit of " + std::to_string(max_elements) +
                          " (limits.max_tensor_elements); no request or warm-up could be that large");
}

}  // namespace maas
