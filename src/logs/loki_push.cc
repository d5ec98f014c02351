#include "logs/loki_push.h"

#include <zlib.h>

#include <charconv>

#include <nlohmann/json.hpp>

#include "common/clock.h"
#include "common/json_parse.h"

namespace maas::logs {

Result<std::vector<StreamBatch>> decode_loki_push(std::string_view text) {
  MAAS_ASSIGN_OR_RETURN(nlohmann::json body, parse_json(text, "the push body"));
  if (!body.is_object()) return invalid_argument("the push body is not a JSON object");
  auto streams = body.find("streams");
  if (streams == body.end() || !streams->is_array()) return invalid_argument("the push body needs a 'streams' array");
  std::vector<StreamBatch> out;
  out.reserve(streams->size());
  for (size_t i = 0; i < streams->size(); ++i) {
    auto& s = (*streams)[i];
    std::string where = "streams[" + std::to_string(i) + "]";
    auto labels_it = s.find("stream");
    auto values_it = s.find("values");
    if (!s.is_object() || labels_it == s.end() || !labels_it->is_object() || values_it == s.end() ||
        !values_it->is_array()) {
      return invalid_argument(where + " needs a 'stream' object and a 'values' array");
    }
    std::vector<std::pair<std::string, std::string>> pairs;
    for (auto it = labels_it->begin(); it != labels_it->end(); ++it) {
      if (!it.value().is_string()) return invalid_argument(where + ": label '" + it.key() + "' is not a string");
      pairs.emplace_back(it.key(), it.value().get<std::string>());
    }
    auto labels = LabelSet::make(std::move(pairs));
    if (!labels.ok()) return invalid_argument(where + ": " + labels.status().message());
    StreamBatch batch{std::move(*labels), {}};
    batch.entries.reserve(values_it->size());
    for (size_t j = 0; j < values_it->size(); ++j) {
      auto& v = (*values_it)[j];
      if (!v.is_array() || v.size() < 2 || v.size() > 3 || !v[0].is_string() || !v[1].is_string()) {
        return invalid_argument(where + ".values[" + std::to_string(j) + "] is not [\"<unix ns>\", \"<line>\"]");
      }
      const auto& ts_text = v[0].get_ref<const std::string&>();
      int64_t ts = 0;
      auto [ptr, ec] = std::from_chars(ts_text.data(), ts_text.data() + ts_text.size(), ts);
      if (ec != std::errc() || ptr != ts_text.data() + ts_text.size() || ts < 0) {
        return invalid_argument(where + ".values[" + std::to_string(j) + "]: '" + ts_text.substr(0, 40) +
                                "' is not a Unix time in nanoseconds");
      }
      auto& line = v[1].get_ref<std::string&>();
      if (line.size() > kMaxLineBytes) {
        return invalid_argument(where + ".values[" + std::to_string(j) + "]: the line is over " +
                                std::to_string(kMaxLineBytes) + " bytes");
      }
      batch.entries.push_back({ts, std::move(line)});
    }
    if (!batch.entries.empty()) out.push_back(std::move(batch));
  }
  return out;
}

Status apply_push_rules(std::vector<StreamBatch>& batches, const PushRules& rules) {
  const int64_t newest_allowed = rules.now_ns + rules.creation_grace_ns;
  // Every check first, every change after: a refused push leaves the batches as they were.
  std::vector<std::pair<size_t, LabelSet>> relabelled;
  for (size_t i = 0; i < batches.size(); ++i) {
    const auto& b = batches[i];
    for (const auto& e : b.entries) {
      if (e.ts_ns > newest_allowed) {
        return invalid_argument("entry for stream '" + b.labels.text() + "' has timestamp too new: " +
                                format_rfc3339_ms(e.ts_ns / 1'000'000) + " is more than " +
                                std::to_string(rules.creation_grace_ns / 1'000'000'000) +
                                " s ahead of maasd's clock (logs.creation_grace_period_ms)");
      }
    }
    if (b.labels.get("job") != kOwnJob) continue;
    if (!rules.accept_maasd_streams) {
      return invalid_argument("stream '" + b.labels.text() + "': the label job=\"" + kOwnJob +
                              "\" is reserved for maasd's own records; push under another job");
    }
    std::vector<std::pair<std::string, std::string>> pairs;
    for (const auto& [name, value] : b.labels.pairs()) {
      if (name != kPushedByLabel) pairs.emplace_back(name, value);
    }
    pairs.emplace_back(kPushedByLabel, rules.pusher.empty() ? std::string("unknown") : rules.pusher);
    auto labels = LabelSet::make(std::move(pairs));
    if (!labels.ok()) return invalid_argument("stream '" + b.labels.text() + "': " + labels.status().message());
    relabelled.emplace_back(i, std::move(*labels));
  }
  for (auto& [i, labels] : relabelled) batches[i].labels = std::move(labels);
  return {};
}

Result<std::string> gunzip(std::string_view compressed, size_t max_bytes) {
  z_stream zs{};
  if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK) return internal_error("cannot start zlib");
  std::string out;
  char buf[64 * 1024];
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(compressed.data()));
  zs.avail_in = static_cast<uInt>(compressed.size());
  int rc = Z_OK;
  while (rc != Z_STREAM_END) {
    zs.next_out = reinterpret_cast<Bytef*>(buf);
    zs.avail_out = sizeof(buf);
    rc = inflate(&zs, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END) {
      inflateEnd(&zs);
      return invalid_argument("the gzip body is corrupt or truncated");
    }
    out.append(buf, sizeof(buf) - zs.avail_out);
    if (out.size() > max_bytes) {
      inflateEnd(&zs);
      return payload_too_large("the gzip body inflates to more than " + std::to_string(max_bytes) + " bytes");
    }
    if (rc == Z_OK && zs.avail_in == 0 && zs.avail_out != 0) {
      inflateEnd(&zs);
      return invalid_argument("the gzip body is truncated");
    }
  }
  inflateEnd(&zs);
  return out;
}

}  // namespace maas::logs
