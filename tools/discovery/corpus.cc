#include "discovery/corpus.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <unordered_map>

namespace maas::data::discovery::corpus {
namespace {

// splitmix64: small, fast and the same everywhere (std::uniform_*_distribution is not).
class Rng {
 public:
  explicit Rng(uint64_t seed) : s_(seed) {}
  uint64_t next() {
    uint64_t z = (s_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  int64_t range(int64_t lo, int64_t hi) { return hi <= lo ? lo : lo + static_cast<int64_t>(next() % static_cast<uint64_t>(hi - lo + 1)); }
  double real() { return static_cast<double>(next() >> 11) / 9007199254740992.0; }

 private:
  uint64_t s_;
};

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

std::pair<int64_t, int64_t> parse_range(std::string_view s) {
  size_t dots = s.find("..");
  if (dots == std::string_view::npos) return {std::stoll(std::string(s)), std::stoll(std::string(s))};
  return {std::stoll(std::string(s.substr(0, dots))), std::stoll(std::string(s.substr(dots + 2)))};
}

// Splits "a:b:c" into at most `parts` fields (the last keeps its colons).
std::vector<std::string_view> fields(std::string_view s, size_t parts) {
  std::vector<std::string_view> out;
  while (out.size() + 1 < parts) {
    size_t colon = s.find(':');
    if (colon == std::string_view::npos) break;
    out.push_back(s.substr(0, colon));
    s.remove_prefix(colon + 1);
  }
  out.push_back(s);
  return out;
}

constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
constexpr const char* kDays[] = {"Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"};  // 1970-01-01 was a Thursday

std::string format_time(std::string_view format, int64_t ms) {
  int64_t seconds = ms / 1000, days = seconds / 86400, rem = seconds % 86400;
  // Civil date from days since the epoch (Howard Hinnant's algorithm).
  int64_t z = days + 719468, era = z / 146097, doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365, doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153, d = doy - (153 * mp + 2) / 5 + 1, m = mp < 10 ? mp + 3 : mp - 9;
  int64_t y = yoe + era * 400 + (m <= 2);
  char buf[32];
  std::string out;
  for (size_t i = 0; i < format.size(); ++i) {
    if (format[i] != '%' || i + 1 >= format.size()) {
      out += format[i];
      continue;
    }
    char c = format[++i];
    switch (c) {
      case 'Y': snprintf(buf, sizeof buf, "%04lld", static_cast<long long>(y)); break;
      case 'y': snprintf(buf, sizeof buf, "%02lld", static_cast<long long>(y % 100)); break;
      case 'm': snprintf(buf, sizeof buf, "%02lld", static_cast<long long>(m)); break;
      case 'd': snprintf(buf, sizeof buf, "%02lld", static_cast<long long>(d)); break;
      case 'e': snprintf(buf, sizeof buf, "%2lld", static_cast<long long>(d)); break;
      case 'H': snprintf(buf, sizeof buf, "%02lld", static_cast<long long>(rem / 3600)); break;
      case 'M': snprintf(buf, sizeof buf, "%02lld", static_cast<long long>(rem / 60 % 60)); break;
      case 'S': snprintf(buf, sizeof buf, "%02lld", static_cast<long long>(rem % 60)); break;
      case 'b': snprintf(buf, sizeof buf, "%s", kMonths[m - 1]); break;
      case 'a': snprintf(buf, sizeof buf, "%s", kDays[days % 7]); break;
      case '3': snprintf(buf, sizeof buf, "%03lld", static_cast<long long>(ms % 1000)); ++i; break;
      case '6': snprintf(buf, sizeof buf, "%03lld%03lld", static_cast<long long>(ms % 1000), static_cast<long long>(ms * 7 % 1000)); ++i; break;
      default: buf[0] = c; buf[1] = 0; break;
    }
    out += buf;
  }
  return out;
}

const std::vector<std::string>& builtin(std::string_view name) {
  static const std::unordered_map<std::string, std::vector<std::string>> kPools = {
      {"segments", {"var", "lib", "data", "tmp", "opt", "app", "logs", "cache", "user", "home", "srv", "etc", "run",
                    "spool", "backup", "archive", "images", "shared", "conf", "build", "releases", "current"}},
      {"files", {"config.yaml", "index.html", "app.log", "data.bin", "report.csv", "part", "manifest.json",
                 "core", "snapshot.db", "state.tmp", "upload.dat"}},
      {"domains", {"example.com", "corp.internal", "cdn.net", "cluster.local", "cuhk.edu.hk", "google.com",
                   "amazonaws.com", "github.io", "mail.ru", "apache.org"}},
      {"hostwords", {"proxy", "www", "api", "mail", "db", "cache", "auth", "static", "gateway", "node", "edge",
                     "files", "login", "search", "ads", "img", "update", "push", "metrics"}},
      {"packages", {"com.acme.orders", "org.apache.kafka.clients", "io.netty.channel", "com.acme.billing",
                    "org.springframework.web", "java.util.concurrent", "com.acme.auth", "org.hibernate.engine"}},
      {"classes", {"OrderService", "ChannelHandler", "SessionManager", "PaymentGateway", "ThreadPoolExecutor",
                   "RequestDispatcher", "ConnectionPool", "RetryPolicy", "InvoiceRepository", "TokenVerifier"}},
      {"methods", {"process", "handle", "run", "invoke", "doFilter", "execute", "apply", "lambda$submit$0", "call",
                   "lookup", "flush", "readFrame"}},
  };
  static const std::vector<std::string> kEmpty = {""};
  auto it = kPools.find(std::string(name));
  return it == kPools.end() ? kEmpty : it->second;
}

class Renderer {
 public:
  Renderer(const CorpusSpec& spec, Rng& rng) : spec_(spec), rng_(rng) {}

  // Starts a line: a variable used twice in it ({$node} ... {$node}) has one value.
  void start_line(const TemplateSpec* t, int64_t clock_ms) {
    t_ = t;
    clock_ms_ = clock_ms;
    vars_.clear();
  }

  std::string render(std::string_view text) {
    std::string out;
    for (size_t i = 0; i < text.size(); ++i) {
      if (text[i] == '@' && i + 1 < text.size() && text[i + 1] == '{') {
        size_t close = text.find('}', i + 2);
        if (close == std::string_view::npos) {
          out += text.substr(i);
          break;
        }
        std::string value = eval(text.substr(i + 2, close - i - 2));
        if (value.empty() && !out.empty() && out.back() == ' ') out.pop_back();
        out += value;
        i = close;
      } else {
        out += text[i];
      }
    }
    return out;
  }

 private:
  const std::string& zipf(const std::vector<std::string>& pool) {
    double total = 0;
    for (size_t i = 0; i < pool.size(); ++i) total += 1.0 / std::pow(static_cast<double>(i + 1), 1.1);
    double x = rng_.real() * total;
    for (size_t i = 0; i < pool.size(); ++i) {
      x -= 1.0 / std::pow(static_cast<double>(i + 1), 1.1);
      if (x <= 0) return pool[i];
    }
    return pool.back();
  }
  std::string hex(size_t n, const char* digits) {
    std::string s;
    for (size_t i = 0; i < n; ++i) s += digits[rng_.next() % 16];
    return s;
  }
  std::string pick(const std::vector<std::string>& v) { return v[rng_.next() % v.size()]; }
  std::string ip() {
    return std::to_string(rng_.range(10, 223)) + "." + std::to_string(rng_.range(0, 255)) + "." +
           std::to_string(rng_.range(0, 255)) + "." + std::to_string(rng_.range(1, 254));
  }
  std::string host() {
    std::string h = pick(builtin("hostwords"));
    if (rng_.real() < 0.4) h += std::to_string(rng_.range(1, 40));
    return h + "." + pick(builtin("domains"));
  }
  std::string path() {
    std::string p;
    int64_t depth = rng_.range(2, 5);
    for (int64_t i = 0; i < depth; ++i) p += "/" + pick(builtin("segments"));
    std::string file = pick(builtin("files"));
    if (rng_.real() < 0.5) file += "-" + std::to_string(rng_.range(0, 99999));
    return p + "/" + file;
  }

  std::string eval(std::string_view spec) {
    auto f = fields(spec, 2);
    std::string_view name = f[0], args = f.size() > 1 ? f[1] : std::string_view();
    if (name.starts_with("$")) {
      std::string key(name.substr(1));
      if (auto cached = vars_.find(key); cached != vars_.end()) return cached->second;
      std::string value;
      if (t_ && t_->vars.count(key)) value = t_->vars.at(key);
      else if (auto it = spec_.defaults.find(key); it != spec_.defaults.end()) value = it->second;
      std::replace(value.begin(), value.end(), '~', ' ');
      return vars_[key] = render(value);
    }
    if (name == "frag") {
      auto it = spec_.fragments.find(std::string(args));
      return it == spec_.fragments.end() ? "" : render(it->second);
    }
    if (name == "int") {
      auto a = fields(args, 2);
      auto [lo, hi] = parse_range(a[0]);
      std::string v = std::to_string(rng_.range(lo, hi));
      if (a.size() > 1 && a[1].starts_with("pad")) {
        size_t width = std::stoul(std::string(a[1].substr(3)));
        while (v.size() < width) v = "0" + v;
      }
      return v;
    }
    if (name == "float") {
      auto a = fields(args, 2);
      auto [lo, hi] = parse_range(a[0]);
      int digits = a.size() > 1 ? std::stoi(std::string(a[1])) : 2;
      char buf[64];
      snprintf(buf, sizeof buf, "%.*f", digits, lo + rng_.real() * static_cast<double>(hi - lo));
      return buf;
    }
    if (name == "hex") return hex(std::stoul(std::string(args)), "0123456789abcdef");
    if (name == "HEX") return hex(std::stoul(std::string(args)), "0123456789ABCDEF");
    if (name == "0x") return "0x" + hex(std::stoul(std::string(args)), "0123456789abcdef");
    if (name == "ip") return ip();
    if (name == "port") return std::to_string(rng_.range(1024, 65535));
    if (name == "ipport") return ip() + ":" + std::to_string(rng_.range(1024, 65535));
    if (name == "uuid") return hex(8, "0123456789abcdef") + "-" + hex(4, "0123456789abcdef") + "-" + hex(4, "0123456789abcdef") + "-" + hex(4, "0123456789abcdef") + "-" + hex(12, "0123456789abcdef");
    if (name == "mac") {
      std::string m = hex(2, "0123456789abcdef");
      for (int i = 0; i < 5; ++i) m += ":" + hex(2, "0123456789abcdef");
      return m;
    }
    if (name == "email") return pick({"ops", "alice", "bob", "noreply", "admin", "jdoe"}) + "@" + pick(builtin("domains"));
    if (name == "host") return host();
    if (name == "path") return path();
    if (name == "url") {
      std::string u = (rng_.real() < 0.7 ? "https://" : "http://") + host() + path();
      if (rng_.real() < 0.4) u += "?id=" + std::to_string(rng_.range(1, 99999));
      return u;
    }
    if (name == "blk") return (rng_.real() < 0.5 ? "-" : "") + std::to_string(rng_.range(100000000000000000LL, 9199999999999999999LL));
    if (name == "blkid") return "blk_" + eval("blk");
    if (name == "frame") {
      std::string cls = pick(builtin("classes"));
      return pick(builtin("packages")) + "." + cls + "." + pick(builtin("methods")) + "(" + cls + ".java:" +
             std::to_string(rng_.range(12, 980)) + ")";
    }
    if (name == "letters") {
      auto [lo, hi] = parse_range(args);
      std::string s;
      for (int64_t i = rng_.range(lo, hi); i > 0; --i) s += static_cast<char>('a' + rng_.next() % 26);
      return s;
    }
    if (name == "alnum") {
      std::string s;
      for (size_t i = std::stoul(std::string(args)); i > 0; --i) s += "abcdefghijklmnopqrstuvwxyz0123456789"[rng_.next() % 36];
      return s;
    }
    if (name == "pick") {
      std::vector<std::string> choices;
      size_t start = 0;
      for (size_t i = 0; i <= args.size(); ++i) {
        if (i == args.size() || args[i] == '|') {
          choices.emplace_back(args.substr(start, i - start));
          start = i + 1;
        }
      }
      // An option "#NAME" is a fragment, "@SPEC" a placeholder.
      std::string chosen = pick(choices);
      if (chosen.starts_with("#")) return eval("frag:" + chosen.substr(1));
      if (chosen.starts_with("@")) return eval(chosen.substr(1));
      return chosen;
    }
    if (name == "word") {
      auto it = spec_.pools.find(std::string(args));
      return it == spec_.pools.end() || it->second.empty() ? "" : zipf(it->second);
    }
    if (name == "pqty") {  // "(1.16 KB)"
      auto a = fields(args, 2);
      auto [lo, hi] = parse_range(a[0]);
      char buf[64];
      snprintf(buf, sizeof buf, "(%.2f %s)", lo + rng_.real() * static_cast<double>(hi - lo),
               a.size() > 1 ? std::string(a[1]).c_str() : "KB");
      return buf;
    }
    if (name == "qty" || name == "fqty") {
      auto a = fields(args, 2);
      auto [lo, hi] = parse_range(a[0]);
      std::string unit = a.size() > 1 ? std::string(a[1]) : "MB";
      if (name == "qty") return std::to_string(rng_.range(lo, hi)) + unit;
      char buf[64];
      snprintf(buf, sizeof buf, "%.2f %s", lo + rng_.real() * static_cast<double>(hi - lo), unit.c_str());
      return buf;
    }
    if (name == "epoch") return std::to_string(clock_ms_ / 1000);
    if (name == "time") return format_time(args, clock_ms_);
    if (name == "list") {
      auto a = fields(args, 3);
      if (a.size() < 3) return "";
      auto [lo, hi] = parse_range(a[0]);
      std::string out;
      for (int64_t i = rng_.range(lo, hi); i > 0; --i) {
        if (!out.empty()) out += a[1];
        out += eval(a[2]);
      }
      return out;
    }
    if (name == "opt") {
      auto a = fields(args, 2);
      if (a.size() < 2 || rng_.real() * 100 >= std::stod(std::string(a[0]))) return "";
      return eval(a[1]);
    }
    return "@{" + std::string(spec) + "}";
  }

  const CorpusSpec& spec_;
  Rng& rng_;
  const TemplateSpec* t_ = nullptr;
  int64_t clock_ms_ = 0;
  std::map<std::string, std::string> vars_;
};

}  // namespace

namespace {
Status parse_into(std::string_view text, const std::string& directory, int depth, CorpusSpec& spec);
}  // namespace

Result<CorpusSpec> parse_spec(std::string_view text) { return parse_spec(text, ""); }

Result<CorpusSpec> parse_spec(std::string_view text, const std::string& directory) {
  CorpusSpec spec;
  MAAS_RETURN_IF_ERROR(parse_into(text, directory, 0, spec));
  if (spec.system.empty() || spec.templates.empty()) return invalid_argument("a spec needs a system and templates");
  return spec;
}

namespace {

Status parse_into(std::string_view text, const std::string& directory, int depth, CorpusSpec& spec) {
  std::istringstream in{std::string(text)};
  std::string raw;
  int number = 0;
  while (std::getline(in, raw)) {
    ++number;
    std::string_view line = raw;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    std::string_view t = trim(line);
    if (t.empty() || t[0] == '#') continue;
    size_t space = t.find(' ');
    std::string_view directive = t.substr(0, space), rest = space == std::string_view::npos ? "" : t.substr(space + 1);
    auto where = [&] { return "line " + std::to_string(number) + ": "; };
    if (directive == "include") {  // another spec's directives, as if written here (path relative to this one)
      if (depth > 4) return invalid_argument(where() + "includes nest too deep");
      std::string path = directory.empty() ? std::string(trim(rest)) : directory + "/" + std::string(trim(rest));
      std::ifstream included(path);
      if (!included) return not_found(where() + "cannot read " + path);
      std::stringstream buffer;
      buffer << included.rdbuf();
      MAAS_RETURN_IF_ERROR(parse_into(buffer.str(), std::filesystem::path(path).parent_path().string(), depth + 1, spec));
    } else if (directive == "system") {
      spec.system = std::string(trim(rest));
    } else if (directive == "header") {
      // Verbatim after "header ": spacing inside a header is part of the format.
      spec.header = std::string(line.substr(line.find("header") + 7));
    } else if (directive == "frag") {
      std::string_view body = trim(rest);
      size_t sp = body.find(' ');
      if (sp == std::string_view::npos) return invalid_argument(where() + "frag wants NAME TEXT");
      spec.fragments[std::string(body.substr(0, sp))] = std::string(trim(body.substr(sp + 1)));
    } else if (directive == "default" || directive == "pool") {
      std::istringstream words{std::string(rest)};
      std::string word, pool_name;
      if (directive == "pool") words >> pool_name;
      while (words >> word) {
        if (directive == "pool") {
          std::replace(word.begin(), word.end(), '~', ' ');
          spec.pools[pool_name].push_back(word);
          continue;
        }
        size_t eq = word.find('=');
        if (eq == std::string::npos) return invalid_argument(where() + "default wants KEY=VALUE, got " + word);
        spec.defaults[word.substr(0, eq)] = word.substr(eq + 1);
      }
    } else if (directive == "T") {
      size_t bar = rest.find(" | ");
      if (bar == std::string_view::npos) return invalid_argument(where() + "T wants WEIGHT [KEY=VALUE ...] | MESSAGE");
      TemplateSpec tpl;
      std::istringstream words{std::string(rest.substr(0, bar))};
      std::string word;
      words >> tpl.weight;
      while (words >> word) {
        size_t eq = word.find('=');
        if (eq == std::string::npos) return invalid_argument(where() + "a template variable wants KEY=VALUE, got " + word);
        tpl.vars[word.substr(0, eq)] = word.substr(eq + 1);
      }
      tpl.message = std::string(rest.substr(bar + 3));
      tpl.held_out = spec.templates.size() % 4 == 3;
      spec.templates.push_back(std::move(tpl));
    } else {
      return invalid_argument(where() + "unknown directive '" + std::string(directive) + "'");
    }
  }
  return Status();
}

}  // namespace

Result<CorpusSpec> load_spec(const std::string& path) {
  std::ifstream in(path);
  if (!in) return not_found("cannot read " + path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  auto spec = parse_spec(buffer.str(), std::filesystem::path(path).parent_path().string());
  if (!spec.ok()) return invalid_argument(path + ": " + spec.status().message());
  return spec;
}

Result<std::vector<CorpusSpec>> load_specs(const std::string& directory) {
  std::vector<std::string> paths;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(directory, ec))
    if (entry.path().extension() == ".tpl") paths.push_back(entry.path().string());
  if (ec) return not_found("cannot list " + directory + ": " + ec.message());
  std::sort(paths.begin(), paths.end());
  std::vector<CorpusSpec> specs;
  for (const auto& p : paths) {
    MAAS_ASSIGN_OR_RETURN(auto spec, load_spec(p));
    specs.push_back(std::move(spec));
  }
  return specs;
}

std::vector<CorpusLine> generate(const CorpusSpec& spec, uint64_t seed, size_t count, TemplateSet set) {
  uint64_t system = 0xcbf29ce484222325ULL;
  for (char c : spec.system) system = (system ^ static_cast<unsigned char>(c)) * 0x100000001b3ULL;
  Rng rng(seed * 0x2545f4914f6cdd1dULL + system);
  // Each seed skews the template frequencies differently (a factor of e^±1).
  std::vector<double> cumulative;
  double total = 0;
  for (const TemplateSpec& t : spec.templates) {
    double w = t.weight * std::exp(2 * rng.real() - 1);
    if (set == TemplateSet::kDevelopment && t.held_out) w = 0;
    cumulative.push_back(total += w);
  }
  Renderer renderer(spec, rng);
  int64_t clock = 1420070400000LL + rng.range(0, 4LL * 365 * 86400) * 1000;
  std::vector<CorpusLine> out;
  out.reserve(count);
  for (size_t i = 0; i < count; ++i) {
    double x = rng.real() * total;
    uint32_t k = static_cast<uint32_t>(std::upper_bound(cumulative.begin(), cumulative.end(), x) - cumulative.begin());
    if (k >= spec.templates.size()) k = static_cast<uint32_t>(spec.templates.size() - 1);
    clock += rng.range(0, 2500);
    const TemplateSpec& t = spec.templates[k];
    CorpusLine line;
    renderer.start_line(&t, clock);
    line.message = renderer.render(t.message);
    std::string header = t.vars.count("header") && t.vars.at("header") == "none" ? "" : renderer.render(spec.header);
    line.line = header.empty() ? line.message : header + (header.back() == '|' ? "" : " ") + line.message;
    line.truth = k;
    out.push_back(std::move(line));
  }
  return out;
}

double grouping_accuracy(const std::vector<uint32_t>& predicted, const std::vector<uint32_t>& truth) {
  if (predicted.empty() || predicted.size() != truth.size()) return 0;
  std::unordered_map<uint32_t, size_t> truth_size, predicted_size;
  std::unordered_map<uint32_t, uint32_t> truth_of_predicted;
  std::unordered_map<uint32_t, bool> pure;
  for (size_t i = 0; i < truth.size(); ++i) {
    ++truth_size[truth[i]];
    ++predicted_size[predicted[i]];
    auto [it, inserted] = truth_of_predicted.try_emplace(predicted[i], truth[i]);
    if (inserted) pure[predicted[i]] = true;
    else if (it->second != truth[i]) pure[predicted[i]] = false;
  }
  size_t correct = 0;
  for (const auto& [p, size] : predicted_size)
    if (pure[p] && truth_size[truth_of_predicted[p]] == size) correct += size;
  return static_cast<double>(correct) / static_cast<double>(truth.size());
}

}  // namespace maas::data::discovery::corpus
