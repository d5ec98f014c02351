#include "data/prep/split.h"

#include <cmath>
#include <cstdint>

#include "data/datasets/import.h"
#include "data/engine/sql_text.h"

namespace maas::data::prep {
namespace {

using engine::quote_identifier;
using engine::quote_literal;
using nlohmann::json;

constexpr const char* kMethods[] = {"random", "stratified", "grouped", "time"};
constexpr const char* kInput = "maas_split_input";
constexpr const char* kRow = "__maas_row";
constexpr const char* kKey = "maas_key";
constexpr const char* kKeyed = "maas_split_keyed";
constexpr const char* kCuts = "maas_split_cuts";

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

// SQL of ⌊n·f⌋ (with a slack for fractions such as 0.7 that are not exact in binary).
std::string floor_of(const std::string& n, double f) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", f);
  return "floor(" + n + " * " + buf + " + 1e-9)";
}

// SQL of the part a row gets from its rank `r` (0-based) among `n` rows, by the fractions' floors: the first
// floor(n·train) rows train, the next floor(n·validation) validation, the rest test.
std::string part_by_rank(const SplitSpec& s, const std::string& r, const std::string& n) {
  return "CASE WHEN " + r + " < " + floor_of(n, s.train) + " THEN 'train' WHEN " + r + " < " + floor_of(n, s.train) +
         " + " + floor_of(n, s.validation) + " THEN 'validation' ELSE 'test' END";
}

// The MD5 of the seed and `what` (SQL text yielding VARCHAR): a group's place in the shuffled order.
std::string shuffle_key(const SplitSpec& s, const std::string& what) {
  return "md5(" + quote_literal(std::to_string(s.seed) + ":") + " || " + what + ")";
}

// The seed folded to 32 bits by splitmix64's finalizer, so nearby seeds give unrelated orders.
uint64_t seed_bits(int64_t seed) {
  uint64_t z = static_cast<uint64_t>(seed) + 0x9e3779b97f4a7c15ULL;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return (z ^ (z >> 31)) & 0xffffffffULL;
}

// `from` with a column kKey: a row's place in the shuffled order, unique per row. Its high 32 bits are MurmurHash3's
// 32-bit finalizer (fmix32, a bijection) of the low 32 bits of the row's position xor the seed's bits, its low 32
// bits the position's high bits; plain UBIGINT arithmetic (every product stays under 2^64), so any DuckDB version
// computes the same keys. Each round is its own projection so that no expression repeats its argument's.
std::string keyed_rows(const SplitSpec& s, const std::string& from) {
  const std::string k = kKey, mask = "CAST(4294967295 AS UBIGINT)";
  const std::string position = std::string("CAST(") + kRow + " AS UBIGINT)";
  auto round = [&](const std::string& inner, int shift, const char* multiplier) {
    std::string mixed = "xor(" + k + ", " + k + " >> " + std::to_string(shift) + ")";
    if (multiplier != nullptr) mixed = "((" + mixed + " * CAST(" + multiplier + " AS UBIGINT)) & " + mask + ")";
    return "(SELECT * REPLACE (" + mixed + " AS " + k + ") FROM " + inner + ")";
  };
  std::string sql = "(SELECT *, xor(" + position + " & " + mask + ", CAST(" + std::to_string(seed_bits(s.seed)) +
                    " AS UBIGINT)) AS " + k + " FROM " + from + ")";
  sql = round(sql, 16, "2246822507");  // 0x85ebca6b
  sql = round(sql, 13, "3266489909");  // 0xc2b2ae35
  sql = round(sql, 16, nullptr);
  return "(SELECT * REPLACE (" + k + " * CAST(4294967296 AS UBIGINT) + (" + position + " >> 32) AS " + k + ") FROM " +
         sql + ")";
}

// The class a row is ranked within: the stratification column, or one class for a random split.
std::string class_of(const SplitSpec& s) {
  return s.method == SplitMethod::kStratified ? quote_identifier(s.column) : std::string("0");
}

// Random and stratified splits rank rows by key within their class. A window over the whole rows materialized every
// column (3 s per 2M rows); instead the ranks are taken over (class, key) alone, and each class's last key of train
// and of validation (kCuts) is what the rows are compared with. Keys are unique, so `key <= cut` is `rank < n_part`.
Status rank_classes(engine::Connection& c, const SplitSpec& s) {
  MAAS_RETURN_IF_ERROR(
      c.execute(std::string("CREATE TEMP VIEW ") + kKeyed + " AS SELECT * FROM " + keyed_rows(s, kInput)));
  MAAS_RETURN_IF_ERROR(c.execute(std::string("CREATE TEMP TABLE maas_split_ranks AS SELECT ") + class_of(s) +
                                 " AS maas_class, " + kKey + ", row_number() OVER (PARTITION BY " + class_of(s) +
                                 " ORDER BY " + kKey + ") - 1 AS r FROM " + kKeyed));
  MAAS_RETURN_IF_ERROR(
      c.execute("CREATE TEMP TABLE maas_split_sizes AS SELECT maas_class, count(*) AS n FROM maas_split_ranks GROUP BY "
                "maas_class"));
  const std::string train = floor_of("n", s.train), validation = train + " + " + floor_of("n", s.validation);
  return c.execute(std::string("CREATE TEMP TABLE ") + kCuts + " AS SELECT z.maas_class, max(" + kKey +
                   ") FILTER (WHERE r < " + train + ") AS train_upto, max(" + kKey + ") FILTER (WHERE r < " +
                   validation +
                   ") AS validation_upto FROM maas_split_ranks q JOIN maas_split_sizes z ON q.maas_class IS NOT "
                   "DISTINCT FROM z.maas_class GROUP BY z.maas_class");
}

std::string assign_sql(const SplitSpec& s) {
  const std::string c = s.column.empty() ? "" : quote_identifier(s.column);
  switch (s.method) {
    case SplitMethod::kRandom:
    case SplitMethod::kStratified:
      return std::string("SELECT k.* EXCLUDE (") + kKey + "), CASE WHEN k." + kKey + " <= train_upto THEN 'train' " +
             "WHEN k." + kKey + " <= validation_upto THEN 'validation' ELSE 'test' END AS maas_part FROM " + kKeyed +
             " k JOIN " + kCuts + " ON " + (s.method == SplitMethod::kStratified ? "k." + c : std::string("0")) +
             " IS NOT DISTINCT FROM " + kCuts + ".maas_class";
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
    if (f.name == kRow || f.name == "file_row_number" || f.name == "maas_part" || f.name == "maas_group" ||
        f.name == kKey || f.name == "maas_class") {
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
  // The input is read where it lies and the assignment streams into the COPY: no table holds a copy of the rows.
  MAAS_RETURN_IF_ERROR(connection.execute(
      std::string("CREATE TEMP VIEW ") + kInput + " AS SELECT * EXCLUDE (file_row_number), file_row_number AS " + kRow +
      " FROM read_parquet(" + quote_literal(input.string()) + ", file_row_number = true)"));
  if (spec.method == SplitMethod::kRandom || spec.method == SplitMethod::kStratified) {
    MAAS_RETURN_IF_ERROR(rank_classes(connection, spec));
  }
  SplitResult out;
  const std::string part_column = quote_identifier(spec.split_column);
  MAAS_ASSIGN_OR_RETURN(
      auto copied, connection.query(std::string("COPY (SELECT * EXCLUDE (") + kRow + ", maas_part), maas_part AS " +
                                    part_column + " FROM (" + assign_sql(spec) + ") ORDER BY " + kRow + ") TO " +
                                    quote_literal(target.snapshot.string()) + " " + kSnapshotParquetOptions));
  out.table.rows = copied.rows_changed();
  MAAS_ASSIGN_OR_RETURN(auto counts, connection.query("SELECT " + part_column + ", count(*) FROM read_parquet(" +
                                                      quote_literal(target.snapshot.string()) + ") GROUP BY 1"));
  MAAS_ASSIGN_OR_RETURN(engine::Chunk chunk, counts.fetch_all());
  for (const char* part : {"train", "validation", "test"}) out.counts[part] = 0;
  for (size_t i = 0; i < chunk.rows; ++i) out.counts[chunk.columns[0].strings[i]] = chunk.columns[1].ints[i];
  return out;
}

}  // namespace maas::data::prep
