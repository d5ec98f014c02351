#include "features/pipeline.h"

#include <set>

#include "common/json_fields.h"
#include "features/params.h"

namespace maas::features {
namespace {

constexpr size_t kMaxTransformers = 256;
constexpr size_t kMaxStepsPerTransformer = 64;

Result<std::vector<std::string>> column_list(const nlohmann::json& t, const std::string& where) {
  const auto it = t.find("columns");
  if (it == t.end() || !it->is_array() || it->empty()) {
    return invalid_argument(where + ": 'columns' must be a non-empty array of column names");
  }
  std::vector<std::string> columns;
  for (const auto& c : *it) {
    if (!c.is_string() || c.get_ref<const std::string&>().empty()) {
      return invalid_argument(where + ": 'columns' must hold non-empty strings");
    }
    columns.push_back(c.get<std::string>());
  }
  return columns;
}

}  // namespace

Result<Pipeline> Pipeline::from_spec(const nlohmann::json& spec) {
  MAAS_RETURN_IF_ERROR(check_known_fields(spec, "", {"transformers", "remainder", "verbose_feature_names_out"}));
  Pipeline p;
  p.spec_ = spec;
  const Params params(spec, "pipeline");
  MAAS_ASSIGN_OR_RETURN(std::string remainder, params.choice("remainder", "drop", {"drop", "passthrough"}));
  p.remainder_passthrough_ = remainder == "passthrough";
  MAAS_ASSIGN_OR_RETURN(p.verbose_names_, params.boolean("verbose_feature_names_out", true));
  const nlohmann::json* transformers = params.find("transformers");
  if (transformers == nullptr || !transformers->is_array() || transformers->empty() ||
      transformers->size() > kMaxTransformers) {
    return invalid_argument("'transformers' must be an array of 1 to " + std::to_string(kMaxTransformers) +
                            " transformers {\"name\", \"columns\", \"steps\"}");
  }
  std::set<std::string> names;
  for (size_t i = 0; i < transformers->size(); ++i) {
    const nlohmann::json& t = (*transformers)[i];
    const std::string where = "transformers[" + std::to_string(i) + "]";
    MAAS_RETURN_IF_ERROR(check_known_fields(t, where, {"name", "columns", "steps"}));
    Transformer out;
    const auto name = t.find("name");
    if (name == t.end() || !name->is_string() || name->get_ref<const std::string&>().empty() ||
        name->get_ref<const std::string&>().find("__") != std::string::npos) {
      return invalid_argument(where + ": 'name' must be a non-empty string without \"__\"");
    }
    out.name = name->get<std::string>();
    if (out.name == "remainder" || !names.insert(out.name).second) {
      return invalid_argument(where + ": name '" + out.name + "' is used twice (or is 'remainder')");
    }
    MAAS_ASSIGN_OR_RETURN(out.columns, column_list(t, where));
    const auto steps = t.find("steps");
    if (steps == t.end() || !steps->is_array() || steps->size() > kMaxStepsPerTransformer) {
      return invalid_argument(where + ": 'steps' must be an array of at most " +
                              std::to_string(kMaxStepsPerTransformer) + " steps ([] passes the columns through)");
    }
    for (size_t k = 0; k < steps->size(); ++k) {
      MAAS_ASSIGN_OR_RETURN(auto step, make_step((*steps)[k], where + ".steps[" + std::to_string(k) + "]"));
      out.steps.push_back(std::move(step));
    }
    p.transformers_.push_back(std::move(out));
  }
  return p;
}

std::string Pipeline::output_name(const std::string& transformer, const std::string& column) const {
  return verbose_names_ ? transformer + "__" + column : column;
}

Result<Table> Pipeline::select(const Table& data, const std::vector<std::string>& columns) const {
  Table out;
  for (const std::string& name : columns) {
    const Column* c = data.find(name);
    if (c == nullptr) return invalid_argument("the data has no column '" + name + "', which the pipeline uses");
    out.columns.push_back(*c);
  }
  return out;
}

Status Pipeline::append_output(Table& out, std::set<std::string>& names, Column column,
                               const std::string& transformer) const {
  column.name = output_name(transformer, column.name);
  if (!names.insert(column.name).second) {
    return invalid_argument("two output columns are named '" + column.name + "'; set verbose_feature_names_out");
  }
  out.columns.push_back(std::move(column));
  return {};
}

std::vector<std::string> Pipeline::columns_fit_reads() const {
  if (remainder_passthrough_) return {};
  std::vector<std::string> out;
  std::set<std::string> seen;
  for (const Transformer& t : transformers_) {
    for (const std::string& name : t.columns) {
      if (seen.insert(name).second) out.push_back(name);
    }
    for (const auto& step : t.steps) {
      if (!step->target().empty() && seen.insert(step->target()).second) out.push_back(step->target());
    }
  }
  return out;
}

std::vector<std::string> Pipeline::input_columns() const {
  std::vector<std::string> out;
  out.reserve(input_schema_.size());
  for (const InputColumn& in : input_schema_) out.push_back(in.name);
  return out;
}

Status Pipeline::fit(const Table& data, const Progress& progress) { return fit_transform(data, progress).status(); }

Result<Table> Pipeline::fit_transform(const Table& data, const Progress& progress) {
  MAAS_RETURN_IF_ERROR(data.check_shape());
  if (data.rows() == 0) return invalid_argument("the data has no rows to fit the pipeline on");
  fitted_ = false;
  input_schema_.clear();
  remainder_.clear();
  std::set<std::string> used, targets;
  for (const Transformer& t : transformers_) {
    for (const std::string& name : t.columns) {
      const Column* c = data.find(name);
      if (c == nullptr) {
        return invalid_argument("transformer '" + t.name + "' uses column '" + name + "', which the data lacks");
      }
      if (used.insert(name).second) input_schema_.push_back({name, c->type});
    }
    for (const auto& step : t.steps) {
      if (!step->target().empty()) targets.insert(step->target());
    }
  }
  if (remainder_passthrough_) {
    // A target is what the model predicts: it is not passed on as a feature, and serving does not have it.
    for (const Column& c : data.columns) {
      if (!targets.contains(c.name) && used.insert(c.name).second) {
        remainder_.push_back(c.name);
        input_schema_.push_back({c.name, c.type});
      }
    }
  }
  size_t total = 0, done = 0;
  for (const Transformer& t : transformers_) total += t.steps.size();
  Table out;
  std::set<std::string> names;
  for (Transformer& t : transformers_) {
    MAAS_ASSIGN_OR_RETURN(Table columns, select(data, t.columns));
    for (auto& step : t.steps) {
      if (progress) progress(done++, total, t.name);
      const Column* target = nullptr;
      if (!step->target().empty() && (target = data.find(step->target())) == nullptr) {
        return invalid_argument("transformer '" + t.name + "' learns from the target column '" + step->target() +
                                "', which the data lacks");
      }
      MAAS_ASSIGN_OR_RETURN(columns, step->fit_transform(columns, target));
    }
    for (Column& c : columns.columns) MAAS_RETURN_IF_ERROR(append_output(out, names, std::move(c), t.name));
  }
  for (const std::string& name : remainder_)
    MAAS_RETURN_IF_ERROR(append_output(out, names, *data.find(name), "remainder"));
  output_columns_.clear();
  for (const Column& c : out.columns) output_columns_.push_back(c.name);
  fitted_ = true;
  return out;
}

Result<Table> Pipeline::transform(const Table& data) const {
  if (!fitted_) return failed_precondition("the pipeline is not fitted");
  MAAS_RETURN_IF_ERROR(data.check_shape());
  for (const InputColumn& in : input_schema_) {
    const Column* c = data.find(in.name);
    if (c == nullptr) return invalid_argument("the data has no column '" + in.name + "', which the pipeline uses");
    if (c->type != in.type) {
      return invalid_argument(std::string("column '") + in.name + "' holds " + type_name(c->type) +
                              ", but the pipeline was fitted on " + type_name(in.type));
    }
  }
  Table out;
  std::set<std::string> names;
  for (const Transformer& t : transformers_) {
    MAAS_ASSIGN_OR_RETURN(Table columns, select(data, t.columns));
    for (const auto& step : t.steps) {
      MAAS_ASSIGN_OR_RETURN(columns, step->transform(columns));
    }
    for (Column& c : columns.columns) MAAS_RETURN_IF_ERROR(append_output(out, names, std::move(c), t.name));
  }
  for (const std::string& name : remainder_)
    MAAS_RETURN_IF_ERROR(append_output(out, names, *data.find(name), "remainder"));
  return out;
}

nlohmann::json Pipeline::state() const {
  nlohmann::json j = {{"input_schema", nlohmann::json::array()},
                      {"remainder", remainder_},
                      {"output_columns", output_columns_},
                      {"transformers", nlohmann::json::array()}};
  for (const InputColumn& in : input_schema_)
    j["input_schema"].push_back({{"name", in.name}, {"type", type_name(in.type)}});
  for (const Transformer& t : transformers_) {
    nlohmann::json steps = nlohmann::json::array();
    for (const auto& step : t.steps) steps.push_back(step->state());
    j["transformers"].push_back(std::move(steps));
  }
  return j;
}

Status Pipeline::load_state(const nlohmann::json& state) {
  // The state is an artifact maas wrote; a malformed one is corruption, not a client's mistake.
  try {
    input_schema_.clear();
    for (const auto& in : state.at("input_schema")) {
      input_schema_.push_back({in.at("name").get<std::string>(),
                               in.at("type").get<std::string>() == "text" ? ColumnType::kText : ColumnType::kNumber});
    }
    remainder_ = state.at("remainder").get<std::vector<std::string>>();
    output_columns_ = state.at("output_columns").get<std::vector<std::string>>();
    const nlohmann::json& steps = state.at("transformers");
    if (steps.size() != transformers_.size()) return internal_error("the pipeline state does not match its spec");
    for (size_t i = 0; i < transformers_.size(); ++i) {
      if (steps[i].size() != transformers_[i].steps.size()) {
        return internal_error("the pipeline state does not match its spec");
      }
      for (size_t k = 0; k < steps[i].size(); ++k) {
        MAAS_RETURN_IF_ERROR(transformers_[i].steps[k]->load_state(steps[i][k]));
      }
    }
  } catch (const nlohmann::json::exception& e) {
    return internal_error(std::string("the pipeline state is malformed: ") + e.what());
  }
  fitted_ = true;
  return {};
}

}  // namespace maas::features
