#include "data/discovery/discover.h"

#include <algorithm>
#include <numeric>
#include <thread>

namespace maas::data::discovery {
namespace {

// Below this many lines per thread, a second thread costs more than it saves.
constexpr size_t kLinesPerThread = 20000;

std::vector<std::string_view> spread_sample(std::span<const std::string_view> lines, size_t want) {
  std::vector<std::string_view> sample;
  want = std::min(want, lines.size());
  for (size_t i = 0; i < want; ++i) sample.push_back(lines[i * lines.size() / want]);
  return sample;
}

void append_json_number(uint32_t v, std::string& out) {
  char buffer[16];
  int n = 0;
  do {
    buffer[n++] = static_cast<char>('0' + v % 10);
    v /= 10;
  } while (v > 0);
  while (n > 0) out += buffer[--n];
}

}  // namespace

Discovery discover(std::span<const std::string_view> lines, const DiscoverOptions& options) {
  Discovery d;
  size_t n = lines.size();
  d.header = HeaderModel::learn(spread_sample(lines, options.header_sample_lines));
  size_t threads = std::clamp<size_t>(n / kLinesPerThread, 1, std::max<size_t>(options.threads, 1));
  std::vector<ClusterTable> tables;
  for (size_t t = 0; t < threads; ++t) {
    tables.emplace_back(options.table);
    tables.back().set_header(d.header);
  }
  std::vector<uint32_t> cluster_of(n);
  auto mine = [&](size_t t) {
    for (size_t i = n * t / threads; i < n * (t + 1) / threads; ++i) cluster_of[i] = tables[t].add(lines[i], i);
  };
  std::vector<std::thread> workers;
  for (size_t t = 1; t < threads; ++t) workers.emplace_back(mine, t);
  mine(0);
  for (auto& w : workers) w.join();
  ClusterTable& table = tables[0];
  for (size_t t = 1; t < threads; ++t) {
    std::vector<uint32_t> mapping = table.absorb(std::move(tables[t]));
    for (size_t i = n * t / threads; i < n * (t + 1) / threads; ++i) cluster_of[i] = mapping[cluster_of[i]];
  }

  std::vector<uint32_t> indices;
  Grouping grouping = group_clusters(table.grouping_input(&indices), options.grouping);
  std::vector<MinedTemplate> made;
  std::vector<uint32_t> template_of_cluster(table.size(), 0);
  for (const auto& leaves : grouping.templates) {
    std::vector<ShapeLeaf> shape_leaves;
    for (uint32_t l : leaves) {
      ShapeLeaf leaf{{}, grouping.leaves[l].variables};
      for (uint32_t m : grouping.leaves[l].members) {
        leaf.clusters.push_back(indices[m]);
        template_of_cluster[indices[m]] = static_cast<uint32_t>(made.size());
      }
      shape_leaves.push_back(std::move(leaf));
    }
    made.push_back(make_template(table, shape_leaves, options.verify_rules));
  }
  // Ids number the templates in the order their first lines came.
  std::vector<uint32_t> order(made.size());
  std::iota(order.begin(), order.end(), 0u);
  std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) { return made[a].first_seen < made[b].first_seen; });
  std::vector<uint32_t> id_of(made.size());
  for (uint32_t id = 0; id < order.size(); ++id) {
    id_of[order[id]] = id;
    made[order[id]].id = id;
  }
  for (uint32_t k : order) {
    d.fallback_rules += made[k].fallback_rule;
    d.templates.push_back(std::move(made[k]));
  }
  d.assignments.resize(n);
  for (size_t i = 0; i < n; ++i) d.assignments[i] = id_of[template_of_cluster[cluster_of[i]]];
  return d;
}

std::vector<std::string_view> split_lines(std::string_view body) {
  std::vector<std::string_view> lines;
  size_t start = 0;
  while (start < body.size()) {
    size_t end = body.find('\n', start);
    if (end == std::string_view::npos) end = body.size();
    std::string_view line = body.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    start = end + 1;
  }
  return lines;
}

Result<std::string> discover_json(std::string_view body, const DiscoverOptions& options) {
  std::vector<std::string_view> lines = split_lines(body);
  if (lines.size() > options.max_lines)
    return invalid_argument("the body has " + std::to_string(lines.size()) + " lines; at most " +
                            std::to_string(options.max_lines) + " are accepted in one request");
  Discovery d = discover(lines, options);
  nlohmann::json templates = nlohmann::json::array();
  for (const MinedTemplate& t : d.templates)
    templates.push_back({{"id", t.id}, {"template", t.text}, {"count", t.count}, {"rule", rule_to_json(t.rule)}});
  // Log lines need not be UTF-8: invalid bytes become U+FFFD in the JSON (the rules match them as bytes).
  std::string out = "{\"templates\":" + templates.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  out += ",\"assignments\":[";
  out.reserve(out.size() + d.assignments.size() * 4 + 2);
  for (size_t i = 0; i < d.assignments.size(); ++i) {
    if (i > 0) out += ',';
    append_json_number(d.assignments[i], out);
  }
  out += "]}";
  return out;
}

}  // namespace maas::data::discovery
