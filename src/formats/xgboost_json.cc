// XGBoost JSON and UBJSON models: one SAX pass over the file that keeps only the handful of values a signature
// needs, counts trees without storing them, and bounds nesting depth and token size.
#include <algorithm>
#include <charconv>
#include <istream>
#include <map>
#include <streambuf>
#include <string>
#include <type_traits>
#include <vector>

#include "formats/inspectors.h"
#include "formats/xgboost_model.h"

namespace maas::formats {
namespace {

// XGBoost models nest about 8 levels deep; anything far deeper is not a model and could exhaust the stack.
constexpr size_t kMaxDepth = 64;
// One string or number bigger than this is not part of a model; nlohmann buffers a token whole, so cap it.
constexpr uint64_t kMaxTokenBytes = 64ull << 20;
constexpr size_t kMaxKeptKeyBytes = 128;
// Every value the inspector wants sits at most this many containers deep.
constexpr size_t kMaxInterestingDepth = 7;

constexpr std::string_view kNumFeature = "/learner/learner_model_param/num_feature";
constexpr std::string_view kNumClass = "/learner/learner_model_param/num_class";
constexpr std::string_view kNumTarget = "/learner/learner_model_param/num_target";
constexpr std::string_view kBaseScore = "/learner/learner_model_param/base_score";
constexpr std::string_view kObjective = "/learner/objective/name";
constexpr std::string_view kBooster = "/learner/gradient_booster/name";
constexpr std::string_view kNumTrees = "/learner/gradient_booster/model/gbtree_model_param/num_trees";
constexpr std::string_view kDartNumTrees = "/learner/gradient_booster/gbtree/model/gbtree_model_param/num_trees";
constexpr std::string_view kTrees = "/learner/gradient_booster/model/trees";
constexpr std::string_view kDartTrees = "/learner/gradient_booster/gbtree/model/trees";
constexpr std::string_view kVersionElement = "/version/#";

constexpr std::string_view kWanted[] = {kNumFeature, kNumClass, kNumTarget, kBaseScore,
                                        kObjective,  kBooster,  kNumTrees,  kDartNumTrees};

// Feeds the parser from a FileReader, and ends the input early when one token grows past kMaxTokenBytes (the SAX
// handler calls mark() at every event, so bytes since the last mark are the current token).
class TokenBoundedStreambuf : public std::streambuf {
 public:
  explicit TokenBoundedStreambuf(FileReader& file) : file_(file), buffer_(size_t{64} << 10) {}

  uint64_t consumed() const { return chunk_start_ + static_cast<uint64_t>(gptr() - eback()); }
  void mark() { last_mark_ = consumed(); }
  bool token_too_long() const { return token_too_long_; }
  const Status& read_error() const { return read_error_; }

 protected:
  int_type underflow() override {
    if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
    chunk_start_ += static_cast<uint64_t>(egptr() - eback());
    if (chunk_start_ - last_mark_ > kMaxTokenBytes) {
      token_too_long_ = true;
      return traits_type::eof();
    }
    size_t n = static_cast<size_t>(std::min<uint64_t>(buffer_.size(), file_.remaining()));
    if (n == 0) return traits_type::eof();
    read_error_ = file_.read(buffer_.data(), n);
    if (!read_error_.ok()) return traits_type::eof();
    setg(buffer_.data(), buffer_.data(), buffer_.data() + n);
    return traits_type::to_int_type(*gptr());
  }

 private:
  FileReader& file_;
  std::vector<char> buffer_;
  uint64_t chunk_start_ = 0;
  uint64_t last_mark_ = 0;
  bool token_too_long_ = false;
  Status read_error_;
};

// Tracks the path of the current value as "/learner/objective/name" (array elements are "#") and keeps the
// wanted values; never stores anything that grows with the model.
class SummaryHandler : public nlohmann::json_sax<nlohmann::json> {
 public:
  // `file_bytes` bounds the values the document may hold: every value takes at least a byte, except in UBJSON's
  // typed containers of T, F or Z, whose declared count costs nothing — a few bytes could otherwise declare 2^62
  // values and keep the parser busy for ever (found by fuzz/).
  SummaryHandler(TokenBoundedStreambuf& source, uint64_t file_bytes)
      : source_(source), max_values_(2 * file_bytes + 64) {}

  const std::map<std::string, nlohmann::json, std::less<>>& values() const { return values_; }
  const std::vector<int64_t>& version() const { return version_; }
  // -1 when the trees array was not seen.
  int64_t trees_seen() const { return trees_seen_; }
  const std::string& error() const { return error_; }

  bool null() override {
    std::nullptr_t none = nullptr;
    return value(none);
  }
  bool boolean(bool v) override { return value(v); }
  bool number_integer(number_integer_t v) override { return value(v); }
  bool number_unsigned(number_unsigned_t v) override { return value(v); }
  bool number_float(number_float_t v, const string_t&) override { return value(v); }
  bool string(string_t& v) override { return value(v); }
  bool binary(binary_t&) override {
    std::nullptr_t none = nullptr;
    return value(none);
  }

  bool start_object(std::size_t) override {
    if (!enter()) return false;
    if (in_trees_array()) ++trees_seen_;
    frames_.push_back({path_.size(), false});
    return true;
  }
  bool key(string_t& key) override {
    source_.mark();
    path_.resize(frames_.back().path_length);
    path_ += '/';
    path_ += key.size() <= kMaxKeptKeyBytes ? std::string_view(key) : std::string_view("<long key>");
    return true;
  }
  bool end_object() override { return leave(); }
  bool start_array(std::size_t) override {
    if (!enter()) return false;
    if (in_trees_array()) ++trees_seen_;
    bool is_trees = path_ == kTrees || path_ == kDartTrees;
    if (is_trees) trees_seen_ = std::max<int64_t>(trees_seen_, 0);
    frames_.push_back({path_.size(), is_trees});
    path_ += "/#";
    return true;
  }
  bool end_array() override { return leave(); }

  bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception& e) override {
    if (!source_.read_error().ok()) {
      error_ = source_.read_error().message();
    } else if (source_.token_too_long()) {
      error_ = "a single value near byte " + std::to_string(source_.consumed()) + " is longer than " +
               std::to_string(kMaxTokenBytes >> 20) + " MiB";
    } else {
      // nlohmann's text is "[json.exception.parse_error.101] parse error at ...: <what>"; keep the readable part.
      std::string what = e.what();
      auto start = what.find("] ");
      if (start != std::string::npos) what = what.substr(start + 2);
      if (what.size() > 300) what = what.substr(0, 300) + "...";
      error_ = "malformed at byte " + std::to_string(position) + ": " + what;
    }
    return false;
  }

 private:
  struct Frame {
    size_t path_length;  // length of path_ when the container started
    bool is_trees;
  };

  bool in_trees_array() const {
    return !frames_.empty() && frames_.back().is_trees && path_.size() == frames_.back().path_length + 2;
  }

  bool enter() {
    source_.mark();
    if (!count_value()) return false;
    if (frames_.size() >= kMaxDepth) {
      error_ =
          "nested deeper than " + std::to_string(kMaxDepth) + " levels near byte " + std::to_string(source_.consumed());
      return false;
    }
    return true;
  }

  bool count_value() {
    if (++values_seen_ <= max_values_) return true;
    error_ = "declares more values than its " + std::to_string((max_values_ - 64) / 2) +
             " bytes can hold (a UBJSON count near byte " + std::to_string(source_.consumed()) + ")";
    return false;
  }

  bool leave() {
    source_.mark();
    path_.resize(frames_.back().path_length);
    frames_.pop_back();
    return true;
  }

  // Takes the value by reference so that the millions of numbers inside trees are never copied.
  template <typename T>
  bool value(T& v) {
    source_.mark();
    if (!count_value()) return false;
    if (frames_.size() > kMaxInterestingDepth) return true;
    if (in_trees_array()) ++trees_seen_;
    if (path_ == kVersionElement) {
      if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>) {
        if (version_.size() < 3) version_.push_back(static_cast<int64_t>(v));
      }
      return true;
    }
    for (std::string_view wanted : kWanted) {
      if (path_ == wanted) values_[path_] = nlohmann::json(v);
    }
    return true;
  }

  TokenBoundedStreambuf& source_;
  std::string path_;
  std::vector<Frame> frames_;
  std::map<std::string, nlohmann::json, std::less<>> values_;
  std::vector<int64_t> version_;
  int64_t trees_seen_ = -1;
  uint64_t values_seen_ = 0;
  uint64_t max_values_;
  std::string error_;
};

// "/learner/objective/name" -> "learner.objective.name", as a person reading the file would say it.
std::string dotted(std::string_view path) {
  std::string out(path.substr(1));
  for (char& c : out) {
    if (c == '/') c = '.';
  }
  return out;
}

// An integer stored as a JSON number or, as XGBoost writes its parameters, as a decimal string.
Result<int64_t> integer_value(const nlohmann::json& value, std::string_view path) {
  if (value.is_number_integer()) return value.get<int64_t>();
  if (value.is_string()) {
    const auto& text = value.get_ref<const std::string&>();
    int64_t out = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), out);
    if (error == std::errc() && end == text.data() + text.size()) return out;
    return invalid_argument(dotted(path) + " is not an integer: " + in_quotes(text));
  }
  return invalid_argument(dotted(path) + " is not an integer: " + value.dump());
}

// base_score: a number, "5E-1", or since XGBoost 2 "[5E-1]" or "[1E0,2E0]" for several targets.
Result<nlohmann::json> base_score_value(const nlohmann::json& value) {
  if (value.is_number()) return value;
  if (!value.is_string()) return invalid_argument("learner.learner_model_param.base_score is not a number");
  std::string_view text = value.get_ref<const std::string&>();
  bool bracketed = text.size() >= 2 && text.front() == '[' && text.back() == ']';
  if (bracketed) text = text.substr(1, text.size() - 2);
  auto scores = nlohmann::json::array();
  while (true) {
    auto comma = text.find(',');
    std::string_view item = text.substr(0, comma);
    double score = 0;
    auto [end, error] = std::from_chars(item.data(), item.data() + item.size(), score);
    if (item.empty() || error != std::errc() || end != item.data() + item.size()) {
      return invalid_argument("learner.learner_model_param.base_score is not a number: " +
                              in_quotes(value.get_ref<const std::string&>()));
    }
    scores.push_back(score);
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  if (scores.size() == 1) return scores[0];
  return scores;
}

Result<XgboostModel> summarize(const SummaryHandler& handler) {
  const auto& values = handler.values();
  auto required = [&](std::string_view path) -> Result<nlohmann::json> {
    auto it = values.find(path);
    if (it == values.end()) return invalid_argument("the model has no " + dotted(path));
    return it->second;
  };
  auto required_string = [&](std::string_view path) -> Result<std::string> {
    MAAS_ASSIGN_OR_RETURN(auto value, required(path));
    if (!value.is_string() || value.get_ref<const std::string&>().empty()) {
      return invalid_argument(dotted(path) + " is not a non-empty string");
    }
    return value.get<std::string>();
  };
  if (values.empty() && handler.trees_seen() < 0) {
    return invalid_argument(
        "not an XGBoost model: it has none of learner.learner_model_param, learner.objective, "
        "learner.gradient_booster");
  }

  XgboostModel model;
  MAAS_ASSIGN_OR_RETURN(auto num_feature, required(kNumFeature));
  MAAS_ASSIGN_OR_RETURN(model.num_feature, integer_value(num_feature, kNumFeature));
  MAAS_ASSIGN_OR_RETURN(auto num_class, required(kNumClass));
  MAAS_ASSIGN_OR_RETURN(model.num_class, integer_value(num_class, kNumClass));
  if (auto it = values.find(kNumTarget); it != values.end()) {
    MAAS_ASSIGN_OR_RETURN(model.num_target, integer_value(it->second, kNumTarget));
  }
  MAAS_ASSIGN_OR_RETURN(auto base_score, required(kBaseScore));
  MAAS_ASSIGN_OR_RETURN(model.base_score, base_score_value(base_score));
  MAAS_ASSIGN_OR_RETURN(model.objective, required_string(kObjective));
  MAAS_ASSIGN_OR_RETURN(model.booster, required_string(kBooster));

  if (model.booster == "gbtree" || model.booster == "dart") {
    std::string_view count_path = model.booster == "gbtree" ? kNumTrees : kDartNumTrees;
    std::string_view trees_path = model.booster == "gbtree" ? kTrees : kDartTrees;
    auto it = values.find(count_path);
    if (it == values.end() && handler.trees_seen() < 0) {
      return invalid_argument("the " + model.booster + " model has neither " + dotted(count_path) + " nor " +
                              dotted(trees_path));
    }
    if (it != values.end()) {
      MAAS_ASSIGN_OR_RETURN(model.num_trees, integer_value(it->second, count_path));
      if (handler.trees_seen() >= 0 && handler.trees_seen() != model.num_trees) {
        return invalid_argument(dotted(count_path) + " is " + std::to_string(model.num_trees) + " but " +
                                dotted(trees_path) + " holds " + std::to_string(handler.trees_seen()) + " trees");
      }
    } else {
      model.num_trees = handler.trees_seen();
    }
  }
  const auto& version = handler.version();
  for (size_t i = 0; i < version.size(); ++i) model.version += (i ? "." : "") + std::to_string(version[i]);
  return model;
}

}  // namespace

Result<XgboostModel> read_xgboost_json(FileReader& file, bool ubjson) {
  MAAS_RETURN_IF_ERROR(file.seek(0));
  TokenBoundedStreambuf source(file);
  std::istream stream(&source);
  SummaryHandler handler(source, file.size());
  auto format = ubjson ? nlohmann::json::input_format_t::ubjson : nlohmann::json::input_format_t::json;
  bool parsed = nlohmann::json::sax_parse(stream, &handler, format);
  if (!parsed) {
    if (!handler.error().empty()) return invalid_argument(handler.error());
    return invalid_argument("malformed " + std::string(ubjson ? "UBJSON" : "JSON"));
  }
  return summarize(handler);
}

}  // namespace maas::formats
