#include "data/prep/split.h"

#include <cmath>

#include "data/engine/sql_text.h"

namespace maas::data::prep {
namespace {

using engine::quote_identifier;
using engine::quote_literal;
using nlohmann::json;

constexpr const char* kMethods[] = {"random", "stratified", "grouped", "time"};
constexpr const char* kInput = "maas_split_input";
constexpr const char* kRow = "__maas_row";

// Fractions are compared after the sum of floating-point fractions (0.7 + 0.2 + 0.1 is not exactly 1).
constexpr double kFractionSlack = 1e-9;

Result<double> fraction(const json& fractions, const char* name) {
  auto it = fractions.find(name);
  if (it == fractions.end() || it->is_null()) return 0.0;
  if (!it->is_number() || !(it->get<double>() >= 0 && it->get<double>() <= 1)) {
    return invalid_argument(std::string("fractions.") + name + " must be a number in [0, 1]");
  }
  return it->get<double>();
}

// SQL of the part a row gets from its rank `r` (0-based) among `n` rows, by the fractions' floors: the first
// floor(n·train) rows train, the next floor(n·validation) validation, the rest test.
std::string part_by_rank(const SplitSpec& s, const std::string& r, const std::string& n) {
  auto floor_of = [&](double f) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.17g", f);
    return "floor(" + n + " * " + buf + " + 1e-9)";
  };
  return "CASE WHEN " + r + " < " + floor_of(s.train) + " THEN 'train' WHEN " + r + " < " + floor_of(s.train) + " + " +
         floor_of(s.validation) + " THEN 'validation' ELSE 'test' END";
}

// The MD5 of the seed and `what` (SQL text yielding VARCHAR): a row's or a group's place in the shuffled order.
std::string shuffle_key(const SplitSpec& s, const std::string& what) {
  return "md5(" + quote_literal(std::to_string(s.seed) + ":") + " || " + what + ")";
}

std::string assign_sql(const SplitSpec& s) {
  const std::string row = shuffle_key(s, std::string("CAST(") + kRow + " AS VARCHAR)");
  const std::string c = s.column.empty() ? "" : quote_identifier(s.column);
  switch (s.method) {
    case SplitMethod::kRandom:
      return std::string("SELECT *, ") +
             part_by_rank(s, "(row_number() OVER (ORDER BY " + row + ") - 1)", "(count(*) OVER ())") +
             " AS maas_part FROM " + kInput;
    case SplitMethod::kStratified:
      return std::string("SELECT *, ") +
             part_by_rank(s, "(row_number() OVER (PARTITION BY " + c + " ORDER BY " + row + ") - 1)",
                          "(count(*) OVER (PARTITION BY " + c + "))") +
             " AS maas_part FROM " + kInput;
    case SplitMethod::kTime:
      return std::string("SELECT *, ") +
             part_by_rank(s, "(row_number() OVER (ORDER BY " + c + " ASC NULLS LAST, " + kRow + ") - 1)",
                          "(count(*) OVER ())") +
             " AS maas_part FROM " + kInput;
    case SplitMethod::kGrouped: {
      // Groups in shuffled order; a group goes to the part its first row's cumulative position falls in, so a group
      // is never cut. A missing value is a group of its own.
      const std::string group = shuffle_key(s, "coalesce('v' || CAST(" + c + " AS VARCHAR), 'missing')");
      return std::string("WITH keyed AS (SELECT *, ") + group + " AS maas_group FROM " + kInput +
             "), sizes AS (SELECT maas_group, count(*) AS size FROM keyed GROUP BY maas_group), "
             "placed AS (SELECT maas_group, sum(size) OVER (ORDER BY maas_group ROWS UNBOUNDED PRECEDING) - size AS "
             "before, sum(size) OVER () AS total FROM sizes) "
             "SELECT keyed.* EXCLUDE (maas_group), " +
             part_by_rank(s, "placed.before", "placed.total") +
             " AS maas_part FROM keyed JOIN placed USING (maas_group)";
    }
  }
  return {};
}

}  // namespace

Result<SplitSpec> split_spec_from_json(const json& j) {
  if (!j.is_object()) return invalid_argument("a split is an object {\"method\", \"fractions\", ...}");
  SplitSpec s;
  for (const auto& [key, _] : j.items()) {
    if (key != "method" && key != "fractions" && key != "seed" && key != "column" && key != "split_column") {
      return invalid_argument("unknown split field '" + key + "'");
    }
  }
  auto method = j.find("method");
  if (method == j.end() || !method->is_string()) {
    return invalid_argument("'method' must be one of random, stratified, grouped, time");
  }
  bool known = false;
  for (size_t i = 0; i < std::size(kMethods); ++i) {
    if (*method == kMethods[i]) {
      s.method = static_cast<SplitMethod>(i);
      known = true;
    }
  }
  if (!known) return invalid_argument("'method' must be one of random, stratified, grouped, time");
  auto fractions = j.find("fractions");
  if (fractions == j.end() || !fractions->is_object()) {
    return invalid_argument(
        "'fractions' must be an object such as {\"train\": 0.8, \"validation\": 0.1, \"test\": 0.1}");
  }
  for (const auto& [key, _] : fractions->items()) {
    if (key != "train" && key != "validation" && key != "test") {
      return invalid_argument("unknown part '" + key + "' in fractions (train, validation, test)");
    }
  }
  MAAS_ASSIGN_OR_RETURN(s.train, fraction(*fractions, "train"));
  MAAS_ASSIGN_OR_RETURN(s.validation, fraction(*fractions, "validation"));
  MAAS_ASSIGN_OR_RETURN(s.test, fraction(*fractions, "test"));
  if (std::fabs(s.train + s.validation + s.test - 1) > kFractionSlack) {
    return invalid_argument("the fractions must sum to 1");
  }
  if (s.train <= 0) return invalid_argument("fractions.train must be positive");
  if (auto seed = j.find("seed"); seed != j.end() && !seed->is_null()) {
    if (!seed->is_number_integer()) return invalid_argument("'seed' must be an integer");
    s.seed = seed->get<int64_t>();
  }
  if (auto column = j.find("column"); column != j.end() && !column->is_null()) {
    if (!column->is_string() || column->get_ref<const std::string&>().empty()) {
      return invalid_argument("'column' must be a column name");
    }
    s.column = column->get<std::string>();
  }
  if (s.method == SplitMethod::kRandom && !s.column.empty())
    return invalid_argument("a random split takes no 'column'");
  if (s.method != SplitMethod::kRandom && s.column.empty()) {
    return invalid_argument(std::string("a ") + kMethods[static_cast<size_t>(s.method)] +
                            " split needs 'column' (the label, the group or the order)");
  }
  if (auto name = j.find("split_column"); name != j.end() && !name->is_null()) {
    if (!name->is_string() || name->get_ref<const std::string&>().empty() ||
        name->get_ref<const std::string&>().size() > 256) {
      return invalid_argument("'split_column' must be a column name of 1-256 bytes");
    }
    s.split_column = name->get<std::string>();
  }
  return s;
}

Status check_split(const SplitSpec& spec, const Schema& schema) {
  bool found = spec.column.empty();
  for (const auto& f : schema) {
    if (f.name == spec.split_column) {
      return invalid_argument("the input already has a column '" + spec.split_column +
                              "'; name another with 'split_column'");
    }
    if (f.name == kRow || f.name == "file_row_number" || f.name == "maas_part" || f.name == "maas_group") {
      return invalid_argument("a column named '" + f.name + "' cannot be split (the name is reserved)");
    }
    if (f.name == spec.column) found = true;
  }
  if (!found) return invalid_argument("unknown column '" + spec.column + "'");
  return {};
}

json split_spec_to_json(const SplitSpec& s) {
  json fractions = {{"train", s.train}};
  if (s.validation > 0) fractions["validation"] = s.validation;
  if (s.test > 0) fractions["test"] = s.test;
  json j = {{"method", kMethods[static_cast<size_t>(s.method)]},
            {"fractions", fractions},
            {"seed", s.seed},
            {"split_column", s.split_column}};
  if (!s.column.empty()) j["column"] = s.column;
  return j;
}

Result<SplitResult> split_snapshot(engine::Connection& connection, const std::filesystem::path& input,
                                   const SplitSpec& spec, const ImportTarget& target) {
  MAAS_RETURN_IF_ERROR(connection.execute(
      std::string("CREATE TEMP TABLE ") + kInput + " AS SELECT * EXCLUDE (file_row_number), file_row_number AS " +
      kRow + " FROM read_parquet(" + quote_literal(input.string()) + ", file_row_number = true)"));
  MAAS_RETURN_IF_ERROR(connection.execute("CREATE TEMP TABLE maas_split AS " + assign_sql(spec)));
  SplitResult out;
  MAAS_ASSIGN_OR_RETURN(
      auto copied,
      connection.query(std::string("COPY (SELECT * EXCLUDE (") + kRow + ", maas_part), maas_part AS " +
                       quote_identifier(spec.split_column) + " FROM maas_split ORDER BY " + kRow + ") TO " +
                       quote_literal(target.snapshot.string()) + " (FORMAT parquet, COMPRESSION zstd)"));
  out.table.rows = copied.rows_changed();
  MAAS_ASSIGN_OR_RETURN(auto counts, connection.query("SELECT maas_part, count(*) FROM maas_split GROUP BY maas_part"));
  MAAS_ASSIGN_OR_RETURN(engine::Chunk chunk, counts.fetch_all());
  for (const char* part : {"train", "validation", "test"}) out.counts[part] = 0;
  for (size_t i = 0; i < chunk.rows; ++i) out.counts[chunk.columns[0].strings[i]] = chunk.columns[1].ints[i];
  return out;
}

}  // namespace maas::data::prep
