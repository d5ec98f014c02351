#include "training/cv/numpy_argsort.h"

#include <numeric>
#include <tuple>
#include <utility>

namespace maas::training::cv {
namespace {

constexpr std::ptrdiff_t kSmallQuicksort = 15;

// numpy's aheapsort_ over tosort[0, n).
void heapsort(const std::vector<int64_t>& v, int64_t* tosort, std::ptrdiff_t n) {
  int64_t* a = tosort - 1;  // 1-based heap indexing
  auto sift = [&](std::ptrdiff_t i, std::ptrdiff_t size, int64_t item) {
    for (std::ptrdiff_t j = i << 1; j <= size;) {
      if (j < size && v[a[j]] < v[a[j + 1]]) j += 1;
      if (v[item] < v[a[j]]) {
        a[i] = a[j];
        i = j;
        j += j;
      } else {
        break;
      }
    }
    a[i] = item;
  };
  for (std::ptrdiff_t l = n >> 1; l > 0; --l) sift(l, n, a[l]);
  for (; n > 1;) {
    const int64_t item = a[n];
    a[n] = a[1];
    n -= 1;
    sift(1, n, item);
  }
}

int depth_limit(std::ptrdiff_t n) {
  int msb = 0;
  for (auto u = static_cast<uint64_t>(n); u >>= 1;) ++msb;
  return msb * 2;
}

}  // namespace

std::vector<int64_t> numpy_argsort(const std::vector<int64_t>& v) {
  std::vector<int64_t> order(v.size());
  std::iota(order.begin(), order.end(), int64_t{0});
  if (order.size() < 2) return order;
  int64_t* pl = order.data();
  int64_t* pr = pl + order.size() - 1;
  std::vector<std::pair<int64_t*, int64_t*>> stack;
  std::vector<int> depths;
  int depth = depth_limit(static_cast<std::ptrdiff_t>(order.size()));
  for (;;) {
    if (depth < 0) {
      heapsort(v, pl, pr - pl + 1);
    } else {
      while (pr - pl > kSmallQuicksort) {
        int64_t* pm = pl + ((pr - pl) >> 1);
        if (v[*pm] < v[*pl]) std::swap(*pm, *pl);
        if (v[*pr] < v[*pm]) std::swap(*pr, *pm);
        if (v[*pm] < v[*pl]) std::swap(*pm, *pl);
        const int64_t pivot = v[*pm];
        int64_t* pi = pl;
        int64_t* pj = pr - 1;
        std::swap(*pm, *pj);
        for (;;) {
          do ++pi;
          while (v[*pi] < pivot);
          do --pj;
          while (pivot < v[*pj]);
          if (pi >= pj) break;
          std::swap(*pi, *pj);
        }
        std::swap(*pi, *(pr - 1));
        // The larger side waits on the stack.
        if (pi - pl < pr - pi) {
          stack.emplace_back(pi + 1, pr);
          pr = pi - 1;
        } else {
          stack.emplace_back(pl, pi - 1);
          pl = pi + 1;
        }
        depths.push_back(--depth);
      }
      for (int64_t* pi = pl + 1; pi <= pr; ++pi) {
        const int64_t item = *pi;
        int64_t* pj = pi;
        for (int64_t* pk = pi - 1; pj > pl && v[item] < v[*pk]; --pk) *pj-- = *pk;
        *pj = item;
      }
    }
    if (stack.empty()) break;
    std::tie(pl, pr) = stack.back();
    stack.pop_back();
    depth = depths.back();
    depths.pop_back();
  }
  return order;
}

}  // namespace maas::training::cv
