// The log center's record model, as Loki's: a stream is a small set of indexed labels ({service="x",
// model="m"}); each entry of a stream is a timestamp in nanoseconds and a line. Structured fields travel in the
// line as JSON (maas's own records) and are read at query time with `| json`.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"

namespace maas::logs {

// Label pairs sorted by name, names unique. The canonical text {a="1", b="2"} identifies a stream.
class LabelSet {
 public:
  LabelSet() = default;
  // Sorts; INVALID_ARGUMENT for a bad name, a duplicate, an empty set or one over the limits.
  static Result<LabelSet> make(std::vector<std::pair<std::string, std::string>> pairs);
  // Parses the canonical text back (what segments store); INVALID_ARGUMENT when malformed.
  static Result<LabelSet> parse(std::string_view text);

  const std::vector<std::pair<std::string, std::string>>& pairs() const { return pairs_; }
  // The value of `name`, or "" when absent (as Loki treats a missing label).
  std::string_view get(std::string_view name) const;
  std::string text() const;
  bool operator==(const LabelSet& other) const { return pairs_ == other.pairs_; }
  bool operator<(const LabelSet& other) const { return pairs_ < other.pairs_; }

 private:
  std::vector<std::pair<std::string, std::string>> pairs_;
};

struct Entry {
  int64_t ts_ns = 0;
  std::string line;
};

// Entries of one stream, in any time order.
struct StreamBatch {
  LabelSet labels;
  std::vector<Entry> entries;
};

constexpr size_t kMaxLabels = 15;
constexpr size_t kMaxLabelNameBytes = 128;
constexpr size_t kMaxLabelValueBytes = 1024;
constexpr size_t kMaxLineBytes = 256 * 1024;

// maasd's own streams are {job="maasd", kind="request"} and {job="maasd", kind="event"}. The push API refuses
// job="maasd" (or, with logs.accept_maasd_pushes, stores such a stream with pushed_by="<key id>"), so the selector
// below, which asks for no pushed_by, reads only records this maasd wrote: timelines and event subscriptions use it.
inline constexpr const char* kOwnJob = "maasd";
inline constexpr const char* kPushedByLabel = "pushed_by";
inline constexpr const char* kOwnEventsSelector = R"({job="maasd", kind="event", pushed_by=""})";

bool valid_label_name(std::string_view name);
// JSON-style quoting used in the canonical label text and in LogQL strings.
std::string quote(std::string_view value);

}  // namespace maas::logs
