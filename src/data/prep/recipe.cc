#include "data/prep/recipe.h"

#include <algorithm>
#include <cmath>
#include <set>

namespace maas::data::prep {
namespace {

using nlohmann::json;

struct StepName {
  StepKind kind;
  const char* name;
};
constexpr StepName kStepNames[] = {{StepKind::kDeduplicate, "deduplicate"},
                                   {StepKind::kDropMissing, "drop_missing"},
                                   {StepKind::kFillMissing, "fill_missing"},
                                   {StepKind::kClip, "clip"},
                                   {StepKind::kCast, "cast"},
                                   {StepKind::kFilter, "filter"}};
constexpr const char* kFillNames[] = {"mean", "median", "mode", "constant", "ffill"};
constexpr const char* kClipNames[] = {"iqr", "zscore", "quantile"};
constexpr const char* kCastTypes[] = {"BOOLEAN", "BIGINT", "INTEGER", "DOUBLE", "VARCHAR", "DATE", "TIMESTAMP"};
constexpr const char* kFilterOps[] = {"=", "!=", "<", "<=", ">", ">=", "in", "not_in", "is_null", "not_null"};

const char* step_name(StepKind kind) {
  for (const auto& s : kStepNames) {
    if (s.kind == kind) return s.name;
  }
  return "?";
}

// Reads one step's fields, naming the step in every message.
class StepReader {
 public:
  StepReader(const json& j, size_t index) : j_(j), where_("step " + std::to_string(index + 1)) {}

  Status bad(const std::string& what) const { return invalid_argument(where_ + ": " + what); }

  Status only(std::initializer_list<const char*> allowed) const {
    for (const auto& item : j_.items()) {
      const std::string& key = item.key();
      if (std::none_of(allowed.begin(), allowed.end(), [&](const char* a) { return key == a; })) {
        return bad("unknown field '" + key + "'");
      }
    }
    return {};
  }

  Result<std::string> string(const char* field, bool required) const {
    auto it = j_.find(field);
    if (it == j_.end() || it->is_null()) {
      if (required) return bad("field '" + std::string(field) + "' is required");
      return std::string();
    }
    if (!it->is_string() || it->get_ref<const std::string&>().empty()) {
      return bad("'" + std::string(field) + "' must be a non-empty string");
    }
    return it->get<std::string>();
  }

  Result<std::vector<std::string>> strings(const char* field) const {
    std::vector<std::string> out;
    auto it = j_.find(field);
    if (it == j_.end() || it->is_null()) return out;
    if (!it->is_array()) return bad("'" + std::string(field) + "' must be an array of column names");
    for (const auto& v : *it) {
      if (!v.is_string() || v.get_ref<const std::string&>().empty()) {
        return bad("'" + std::string(field) + "' must be an array of column names");
      }
      out.push_back(v.get<std::string>());
    }
    return out;
  }

  Result<std::optional<double>> number(const char* field) const {
    auto it = j_.find(field);
    if (it == j_.end() || it->is_null()) return std::optional<double>();
    if (!it->is_number() || !std::isfinite(it->get<double>())) {
      return bad("'" + std::string(field) + "' must be a finite number");
    }
    return std::optional<double>(it->get<double>());
  }

  template <size_t N>
  Result<size_t> choice(const char* field, const char* const (&names)[N]) const {
    MAAS_ASSIGN_OR_RETURN(std::string value, string(field, true));
    for (size_t i = 0; i < N; ++i) {
      if (value == names[i]) return i;
    }
    std::string list;
    for (const char* n : names) list += (list.empty() ? "" : ", ") + std::string(n);
    return bad("'" + std::string(field) + "' must be one of " + list + ", got '" + value + "'");
  }

  const json& raw() const { return j_; }

 private:
  const json& j_;
  std::string where_;
};

Result<Step> read_fill(const StepReader& r, Step step) {
  MAAS_RETURN_IF_ERROR(r.only({"step", "column", "strategy", "value", "group_by", "order_by"}));
  MAAS_ASSIGN_OR_RETURN(step.column, r.string("column", true));
  MAAS_ASSIGN_OR_RETURN(size_t strategy, r.choice("strategy", kFillNames));
  step.fill = static_cast<FillStrategy>(strategy);
  MAAS_ASSIGN_OR_RETURN(step.columns, r.strings("group_by"));
  MAAS_ASSIGN_OR_RETURN(step.order_by, r.string("order_by", step.fill == FillStrategy::kForwardFill));
  if (step.fill != FillStrategy::kForwardFill && (!step.columns.empty() || !step.order_by.empty())) {
    return r.bad("group_by and order_by apply to the ffill strategy only");
  }
  auto value = r.raw().find("value");
  bool has_value = value != r.raw().end() && !value->is_null();
  if (step.fill == FillStrategy::kConstant) {
    if (!has_value || !(value->is_number() || value->is_string() || value->is_boolean())) {
      return r.bad("the constant strategy needs a 'value' (a number, a string or a boolean)");
    }
    step.value = *value;
  } else if (has_value) {
    return r.bad("'value' applies to the constant strategy only");
  }
  return step;
}

Result<Step> read_clip(const StepReader& r, Step step) {
  MAAS_RETURN_IF_ERROR(r.only({"step", "column", "method", "k", "lower", "upper"}));
  MAAS_ASSIGN_OR_RETURN(step.column, r.string("column", true));
  MAAS_ASSIGN_OR_RETURN(size_t method, r.choice("method", kClipNames));
  step.clip = static_cast<ClipMethod>(method);
  MAAS_ASSIGN_OR_RETURN(auto k, r.number("k"));
  MAAS_ASSIGN_OR_RETURN(auto lower, r.number("lower"));
  MAAS_ASSIGN_OR_RETURN(auto upper, r.number("upper"));
  if (step.clip == ClipMethod::kQuantile) {
    if (k) return r.bad("'k' applies to the iqr and zscore methods");
    if (!lower || !upper) return r.bad("the quantile method needs 'lower' and 'upper' (e.g. 0.01 and 0.99)");
    if (!(*lower >= 0 && *lower < *upper && *upper <= 1)) {
      return r.bad("'lower' and 'upper' must satisfy 0 <= lower < upper <= 1");
    }
    step.lower = *lower;
    step.upper = *upper;
  } else {
    if (lower || upper) return r.bad("'lower' and 'upper' apply to the quantile method");
    step.k = k.value_or(step.clip == ClipMethod::kIqr ? 1.5 : 3.0);
    if (step.k <= 0) return r.bad("'k' must be positive");
  }
  return step;
}

Result<Step> read_cast(const StepReader& r, Step step) {
  MAAS_RETURN_IF_ERROR(r.only({"step", "column", "type", "on_error"}));
  MAAS_ASSIGN_OR_RETURN(step.column, r.string("column", true));
  MAAS_ASSIGN_OR_RETURN(size_t type, r.choice("type", kCastTypes));
  step.type = kCastTypes[type];
  if (r.raw().contains("on_error")) {
    constexpr const char* kFailures[] = {"null", "reject"};
    MAAS_ASSIGN_OR_RETURN(size_t failure, r.choice("on_error", kFailures));
    step.on_error = static_cast<CastFailure>(failure);
  }
  return step;
}

Result<Step> read_filter(const StepReader& r, Step step) {
  MAAS_RETURN_IF_ERROR(r.only({"step", "column", "op", "value"}));
  MAAS_ASSIGN_OR_RETURN(step.column, r.string("column", true));
  MAAS_ASSIGN_OR_RETURN(size_t op, r.choice("op", kFilterOps));
  step.op = kFilterOps[op];
  auto value = r.raw().find("value");
  bool has_value = value != r.raw().end() && !value->is_null();
  auto scalar = [](const json& v) { return v.is_number() || v.is_string() || v.is_boolean(); };
  if (step.op == "is_null" || step.op == "not_null") {
    if (has_value) return r.bad("'" + step.op + "' takes no 'value'");
  } else if (step.op == "in" || step.op == "not_in") {
    if (!has_value || !value->is_array() || value->empty() || value->size() > 10000 ||
        !std::all_of(value->begin(), value->end(), scalar)) {
      return r.bad("'" + step.op + "' needs a 'value' that is an array of 1 to 10000 numbers, strings or booleans");
    }
    step.value = *value;
  } else {
    if (!has_value || !scalar(*value))
      return r.bad("'" + step.op + "' needs a 'value' (a number, a string or a boolean)");
    step.value = *value;
  }
  return step;
}

Result<Step> read_step(const json& j, size_t index) {
  StepReader r(j, index);
  if (!j.is_object()) return r.bad("must be an object with a 'step' field");
  MAAS_ASSIGN_OR_RETURN(std::string name, r.string("step", true));
  Step step;
  auto known =
      std::find_if(std::begin(kStepNames), std::end(kStepNames), [&](const StepName& s) { return name == s.name; });
  if (known == std::end(kStepNames)) {
    return r.bad("unknown step '" + name + "' (deduplicate, drop_missing, fill_missing, clip, cast, filter)");
  }
  step.kind = known->kind;
  switch (step.kind) {
    case StepKind::kDeduplicate:
    case StepKind::kDropMissing: {
      MAAS_RETURN_IF_ERROR(r.only({"step", "columns"}));
      MAAS_ASSIGN_OR_RETURN(step.columns, r.strings("columns"));
      return step;
    }
    case StepKind::kFillMissing:
      return read_fill(r, std::move(step));
    case StepKind::kClip:
      return read_clip(r, std::move(step));
    case StepKind::kCast:
      return read_cast(r, std::move(step));
    case StepKind::kFilter:
      return read_filter(r, std::move(step));
  }
  return r.bad("unknown step");
}

// A JSON operand fits a column when it is of the column's kind; anything else is refused here rather than cast.
bool fits(const json& value, const std::string& type) {
  if (is_numeric_type(type)) {
    // A fraction does not fit an integer column (DuckDB would round it).
    const bool integer = !is_floating_type(type) && type.rfind("DECIMAL", 0) != 0;
    return value.is_number() && !(integer && value.is_number_float());
  }
  if (type == "BOOLEAN") return value.is_boolean();
  // Strings compare with text and with the scalar types DuckDB reads from text; nested types (lists, structs, maps)
  // take no operand.
  static const std::set<std::string> kFromText = {"VARCHAR", "DATE", "TIME", "TIMESTAMP", "TIMESTAMP WITH TIME ZONE",
                                                  "UUID"};
  return value.is_string() && kFromText.count(type) > 0;
}

}  // namespace

bool is_floating_type(const std::string& type) { return type == "DOUBLE" || type == "FLOAT"; }

bool is_numeric_type(const std::string& type) {
  static const std::set<std::string> kNumeric = {"TINYINT",   "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT",
                                                 "USMALLINT", "UINTEGER", "UBIGINT", "FLOAT",  "DOUBLE"};
  return kNumeric.count(type) > 0 || type.rfind("DECIMAL", 0) == 0;
}

bool is_text_type(const std::string& type) { return type == "VARCHAR"; }

Result<Recipe> recipe_from_json(const json& j) {
  if (!j.is_object()) return invalid_argument("a recipe is an object {\"steps\": [...]}");
  for (const auto& [key, _] : j.items()) {
    if (key != "steps") return invalid_argument("unknown recipe field '" + key + "' (a recipe has 'steps')");
  }
  auto steps = j.find("steps");
  if (steps == j.end() || !steps->is_array() || steps->empty()) {
    return invalid_argument("'steps' must be a non-empty array of steps");
  }
  if (steps->size() > kMaxSteps)
    return invalid_argument("a recipe has at most " + std::to_string(kMaxSteps) + " steps");
  Recipe recipe;
  for (size_t i = 0; i < steps->size(); ++i) {
    MAAS_ASSIGN_OR_RETURN(Step step, read_step((*steps)[i], i));
    recipe.steps.push_back(std::move(step));
  }
  return recipe;
}

Result<Schema> check_recipe(const Recipe& recipe, Schema schema) {
  for (size_t i = 0; i < recipe.steps.size(); ++i) {
    const Step& s = recipe.steps[i];
    const std::string where = "step " + std::to_string(i + 1) + " (" + step_name(s.kind) + "): ";
    auto column = [&](const std::string& name) -> Result<Field*> {
      for (auto& f : schema) {
        if (f.name == name) return &f;
      }
      return invalid_argument(where + "unknown column '" + name + "'");
    };
    for (const auto& name : s.columns) MAAS_RETURN_IF_ERROR(column(name).status());
    if (!s.order_by.empty()) MAAS_RETURN_IF_ERROR(column(s.order_by).status());
    if (s.column.empty()) continue;
    MAAS_ASSIGN_OR_RETURN(Field * f, column(s.column));
    const bool numeric = is_numeric_type(f->type);
    switch (s.kind) {
      case StepKind::kFillMissing:
        if ((s.fill == FillStrategy::kMean || s.fill == FillStrategy::kMedian) && !numeric) {
          return invalid_argument(where + "column '" + f->name + "' is " + f->type + "; mean and median need a number");
        }
        if (s.fill == FillStrategy::kConstant && !fits(s.value, f->type)) {
          return invalid_argument(where + "the value " + s.value.dump() + " does not fit column '" + f->name +
                                  "' of type " + f->type);
        }
        if (s.fill == FillStrategy::kMean || s.fill == FillStrategy::kMedian) f->type = "DOUBLE";
        break;
      case StepKind::kClip:
        if (!numeric)
          return invalid_argument(where + "column '" + f->name + "' is " + f->type + "; clipping needs a number");
        f->type = "DOUBLE";
        break;
      case StepKind::kCast:
        f->type = s.type;
        break;
      case StepKind::kFilter:
        if (s.value.is_array()) {
          for (const auto& v : s.value) {
            if (!fits(v, f->type)) {
              return invalid_argument(where + "the value " + v.dump() + " does not fit column '" + f->name +
                                      "' of type " + f->type);
            }
          }
        } else if (!s.value.is_null() && !fits(s.value, f->type)) {
          return invalid_argument(where + "the value " + s.value.dump() + " does not fit column '" + f->name +
                                  "' of type " + f->type);
        }
        break;
      default:
        break;
    }
  }
  return schema;
}

json recipe_to_json(const Recipe& recipe) {
  json steps = json::array();
  for (const Step& s : recipe.steps) {
    json j = {{"step", step_name(s.kind)}};
    switch (s.kind) {
      case StepKind::kDeduplicate:
      case StepKind::kDropMissing:
        if (!s.columns.empty()) j["columns"] = s.columns;
        break;
      case StepKind::kFillMissing:
        j["column"] = s.column;
        j["strategy"] = kFillNames[static_cast<size_t>(s.fill)];
        if (s.fill == FillStrategy::kConstant) j["value"] = s.value;
        if (!s.columns.empty()) j["group_by"] = s.columns;
        if (!s.order_by.empty()) j["order_by"] = s.order_by;
        break;
      case StepKind::kClip:
        j["column"] = s.column;
        j["method"] = kClipNames[static_cast<size_t>(s.clip)];
        if (s.clip == ClipMethod::kQuantile) {
          j["lower"] = s.lower;
          j["upper"] = s.upper;
        } else {
          j["k"] = s.k;
        }
        break;
      case StepKind::kCast:
        j["column"] = s.column;
        j["type"] = s.type;
        j["on_error"] = s.on_error == CastFailure::kNull ? "null" : "reject";
        break;
      case StepKind::kFilter:
        j["column"] = s.column;
        j["op"] = s.op;
        if (!s.value.is_null()) j["value"] = s.value;
        break;
    }
    steps.push_back(std::move(j));
  }
  return {{"steps", steps}};
}

}  // namespace maas::data::prep
