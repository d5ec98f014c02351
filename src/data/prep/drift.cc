#include "data/prep/drift.h"

#include <algorithm>
#include <cmath>

#include "data/engine/sql_text.h"
#include "data/prep/column_stats.h"
#include "data/prep/ks.h"
#include "data/prep/recipe.h"

namespace maas::data::prep {
namespace {

using engine::quote_identifier;
using nlohmann::json;

constexpr const char* kSides[] = {"maas_drift_a", "maas_drift_b"};

Result<engine::Chunk> all_rows(engine::Connection& c, const std::string& sql) {
  MAAS_ASSIGN_OR_RETURN(auto result, c.query(sql));
  return result.fetch_all();
}

// The bin SQL of a numeric value: how many of the (distinct, ascending) edges lie below it (numpy's
// searchsorted(edges, v, side="left")).
std::string numeric_bin(const std::string& value, const std::vector<double>& edges) {
  if (edges.empty()) return "0";
  std::string sql;
  for (double e : edges)
    sql += (sql.empty() ? "" : " + ") + std::string("CAST(") + value + " > " + double_sql(e) + " AS INTEGER)";
  return "(" + sql + ")";
}

Result<json> ks(engine::Connection& c, const ColumnRef& a, const ColumnRef& b, int64_t n_a, int64_t n_b) {
  if (n_a == 0 || n_b == 0) return json(nullptr);
  const std::string v = "CAST(" + quote_identifier(a.name) + " AS DOUBLE)";
  auto counts = [&](const ColumnRef& side) {
    return "SELECT " + v + " AS v, count(*) AS n FROM " + side.table + " WHERE NOT " + missing_sql(side) +
           " GROUP BY 1";
  };
  // ks_2samp's statistic: the largest |F_a(v) − F_b(v)| over every value of both samples, the empirical CDFs taken
  // right-continuous (searchsorted side="right"), each a count over its sample size.
  const std::string sql = "WITH ca AS (" + counts(a) + "), cb AS (" + counts(b) +
                          "), j AS (SELECT v, coalesce(ca.n, 0) AS na, coalesce(cb.n, 0) AS nb FROM ca FULL JOIN cb "
                          "USING (v)), cum AS (SELECT sum(na) OVER w AS fa, sum(nb) OVER w AS fb FROM j WINDOW w AS "
                          "(ORDER BY v ROWS UNBOUNDED PRECEDING)) SELECT max(abs(CAST(fa AS DOUBLE) / " +
                          std::to_string(n_a) + " - CAST(fb AS DOUBLE) / " + std::to_string(n_b) + ")) FROM cum";
  MAAS_ASSIGN_OR_RETURN(engine::Chunk rows, all_rows(c, sql));
  const KsPValue p = ks_2samp_pvalue(n_a, n_b, rows.columns[0].doubles[0]);
  return json{{"statistic", p.statistic}, {"pvalue", p.pvalue}, {"method", p.exact ? "exact" : "asymp"}};
}

Result<json> column_drift(engine::Connection& c, const Field& fa, const Field& fb, const DriftOptions& options) {
  const bool numeric = is_numeric_type(fa.type) && is_numeric_type(fb.type);
  ColumnRef a{kSides[0], fa.name, is_floating_type(fa.type)};
  ColumnRef b{kSides[1], fb.name, is_floating_type(fb.type)};
  MAAS_ASSIGN_OR_RETURN(int64_t present_a, count_present(c, a));
  MAAS_ASSIGN_OR_RETURN(int64_t present_b, count_present(c, b));
  auto total = [&](const char* table) -> Result<int64_t> {
    MAAS_ASSIGN_OR_RETURN(engine::Chunk rows, all_rows(c, std::string("SELECT count(*) FROM ") + table));
    return rows.columns[0].ints[0];
  };
  MAAS_ASSIGN_OR_RETURN(int64_t rows_a, total(kSides[0]));
  MAAS_ASSIGN_OR_RETURN(int64_t rows_b, total(kSides[1]));
  json out = {{"name", fa.name},
              {"kind", numeric ? "numeric" : "categorical"},
              {"count_a", present_a},
              {"count_b", present_b},
              {"missing_a", rows_a - present_a},
              {"missing_b", rows_b - present_b}};

  std::string bin_a, bin_b;
  const std::string col = quote_identifier(fa.name);
  if (numeric) {
    std::vector<double> qs, edges;
    for (int i = 1; i < options.bins; ++i) qs.push_back(static_cast<double>(i) / options.bins);
    MAAS_ASSIGN_OR_RETURN(auto cuts, quantiles(c, a, qs));
    for (const auto& q : cuts) {
      if (q && (edges.empty() || *q > edges.back())) edges.push_back(*q);
    }
    out["bin_edges"] = edges;
    bin_a = bin_b = numeric_bin("CAST(" + col + " AS DOUBLE)", edges);
  } else {
    bin_a = bin_b = "CAST(" + col + " AS VARCHAR)";
  }
  // Missing values are a bin of their own: the flag is part of the bin's key, so their bin value only has to be
  // equal on both sides and never NULL (which a join never matches); it is never read as a bin.
  const std::string missing_bin = numeric ? "-1" : "''";
  auto side = [&](const ColumnRef& ref, const std::string& bin) {
    return "SELECT " + missing_sql(ref) + " AS missing, CASE WHEN " + missing_sql(ref) + " THEN " + missing_bin +
           " ELSE " + bin + " END AS bin, count(*) AS n FROM " + ref.table + " GROUP BY ALL";
  };
  // PSI = Σ (p_b − p_a)·ln(p_b / p_a) over bins, each proportion floored at kPsiFloor so an empty bin stays finite;
  // summed in DuckDB, so a column with millions of distinct values never holds its bins here.
  out["psi"] = nullptr;
  out["bins"] = 0;
  if (rows_a > 0 && rows_b > 0) {
    const std::string floor = double_sql(kPsiFloor);
    MAAS_ASSIGN_OR_RETURN(
        engine::Chunk rows,
        all_rows(c, "WITH sa AS (" + side(a, bin_a) + "), sb AS (" + side(b, bin_b) +
                        "), p AS (SELECT greatest(coalesce(sa.n, 0) / " + std::to_string(rows_a) + ", " + floor +
                        ") AS pa, greatest(coalesce(sb.n, 0) / " + std::to_string(rows_b) + ", " + floor +
                        ") AS pb FROM sa FULL JOIN sb USING (missing, bin)) "
                        "SELECT count(*), fsum((pb - pa) * ln(pb / pa)) FROM p"));
    out["bins"] = rows.columns[0].ints[0];
    out["psi"] = rows.columns[1].doubles[0];
  }
  if (numeric) {
    MAAS_ASSIGN_OR_RETURN(out["ks"], ks(c, a, b, present_a, present_b));
  }
  return out;
}

}  // namespace

DriftSide drift_side(const std::string& file, Schema schema, const std::string& part, const std::string& split_column) {
  DriftSide out{parquet_relation(file), std::move(schema)};
  if (part.empty()) return out;
  const std::string col = quote_identifier(split_column);
  out.relation = "(SELECT * EXCLUDE (" + col + ") FROM " + out.relation + " WHERE " + col + " = " +
                 engine::quote_literal(part) + ")";
  std::erase_if(out.schema, [&](const Field& f) { return f.name == split_column; });
  return out;
}

Result<json> drift(engine::Connection& c, const DriftSide& a, const DriftSide& b, const DriftOptions& options) {
  std::vector<std::pair<Field, Field>> columns;
  for (const auto& fa : a.schema) {
    if (!options.columns.empty() &&
        std::find(options.columns.begin(), options.columns.end(), fa.name) == options.columns.end()) {
      continue;
    }
    auto fb = std::find_if(b.schema.begin(), b.schema.end(), [&](const Field& f) { return f.name == fa.name; });
    if (fb != b.schema.end()) columns.emplace_back(fa, *fb);
  }
  for (const auto& name : options.columns) {
    if (std::none_of(columns.begin(), columns.end(), [&](const auto& p) { return p.first.name == name; })) {
      return invalid_argument("column '" + name + "' is not in both sides");
    }
  }
  for (size_t i = 0; i < 2; ++i) {
    MAAS_RETURN_IF_ERROR(c.execute(std::string("CREATE OR REPLACE TEMP TABLE ") + kSides[i] + " AS SELECT * FROM " +
                                   (i == 0 ? a.relation : b.relation)));
  }
  json out = {{"columns", json::array()}, {"max_psi", nullptr}};
  double max_psi = -1;
  for (const auto& [fa, fb] : columns) {
    MAAS_ASSIGN_OR_RETURN(json column, column_drift(c, fa, fb, options));
    if (const json& p = column["psi"]; p.is_number()) max_psi = std::max(max_psi, p.get<double>());
    out["columns"].push_back(std::move(column));
  }
  if (max_psi >= 0) out["max_psi"] = max_psi;
  return out;
}

Result<json> drift_of_versions(engine::Connection& c, const json& params, const std::string& file_a,
                               const std::string& file_b) {
  auto text = [&params](const json& j, const char* key, const char* fallback) {
    auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string(fallback);
  };
  const std::string split_column = text(params, "split_column", "split");
  DriftOptions options;
  if (auto it = params.find("columns"); it != params.end() && it->is_array()) {
    for (const auto& name : *it) {
      if (name.is_string()) options.columns.push_back(name.get<std::string>());
    }
  }
  if (auto it = params.find("bins"); it != params.end() && it->is_number_integer()) options.bins = it->get<int>();
  if (!params.contains("a") || !params["a"].is_object() || !params.contains("b") || !params["b"].is_object()) {
    return invalid_argument("params.a and params.b are required");
  }
  const json& a = params["a"];
  const json& b = params["b"];
  auto side = [&](const json& input, const std::string& file) {
    return drift_side(file, schema_from_json(input.contains("schema") ? input["schema"] : json()),
                      text(input, "part", ""), split_column);
  };
  MAAS_ASSIGN_OR_RETURN(json answer, drift(c, side(a, file_a), side(b, file_b), options));
  auto ref = [](const json& input) {
    json j = {{"dataset", input.contains("dataset") ? input["dataset"] : json()},
              {"version", input.contains("version") ? input["version"] : json()}};
    if (input.contains("part") && input["part"].is_string() && !input["part"].get<std::string>().empty()) {
      j["part"] = input["part"];
    }
    return j;
  };
  answer["a"] = ref(a);
  answer["b"] = ref(b);
  answer["bins"] = options.bins;
  return answer;
}

}  // namespace maas::data::prep
