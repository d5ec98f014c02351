#include "training/xgboost/training_table.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

#include "data/engine/sql_text.h"

namespace maas::training {
namespace {

namespace engine = data::engine;

constexpr float kMissing = std::numeric_limits<float>::quiet_NaN();

bool is_categorical(const TrainSpec& spec, const std::string& name) {
  return std::find(spec.categorical.begin(), spec.categorical.end(), name) != spec.categorical.end();
}

std::string select_sql(const std::string& file, const TrainSpec& spec, const std::string& split_value) {
  std::string sql = "SELECT ";
  for (const std::string& name : spec.features) {
    sql += "CAST(" + engine::quote_identifier(name) + (is_categorical(spec, name) ? " AS VARCHAR), " : " AS DOUBLE), ");
  }
  sql += "CAST(" + engine::quote_identifier(spec.label) + " AS DOUBLE)";
  if (!spec.weight_column.empty()) sql += ", CAST(" + engine::quote_identifier(spec.weight_column) + " AS DOUBLE)";
  if (!spec.group_column.empty()) sql += ", CAST(" + engine::quote_identifier(spec.group_column) + " AS VARCHAR)";
  // read_parquet directly (data::parquet_relation lives in data/datasets, which the torch plugin does not link).
  sql += " FROM read_parquet(" + engine::quote_literal(file) + ")";
  if (!spec.split_column.empty()) {
    sql += " WHERE CAST(" + engine::quote_identifier(spec.split_column) +
           " AS VARCHAR) = " + engine::quote_literal(split_value);
  }
  return sql;
}

// The value of a numeric column's row as a float, NaN when NULL.
float number_at(const engine::Column& column, size_t row) {
  if (column.is_null(row)) return kMissing;
  if (column.kind == engine::ColumnKind::kDouble) return static_cast<float>(column.doubles[row]);
  return static_cast<float>(column.ints[row]);
}

}  // namespace

Result<TrainingTable> read_table(engine::Connection& connection, const std::string& file, const TrainSpec& spec,
                                 const std::string& split_value, const std::vector<FeatureColumn>* categories) {
  const size_t n_features = spec.features.size();
  MAAS_ASSIGN_OR_RETURN(engine::QueryResult result, connection.query(select_sql(file, spec, split_value)));
  TrainingTable table;
  std::vector<std::vector<std::string>> strings(n_features);  // categorical values, coded once all are read
  std::vector<std::vector<uint8_t>> present(n_features);
  std::vector<std::string> groups;
  for (;;) {
    MAAS_ASSIGN_OR_RETURN(auto chunk, result.next_chunk());
    if (!chunk) break;
    for (size_t row = 0; row < chunk->rows; ++row) {
      for (size_t f = 0; f < n_features; ++f) {
        const engine::Column& column = chunk->columns[f];
        if (column.kind == engine::ColumnKind::kString) {
          present[f].push_back(column.is_null(row) ? 0 : 1);
          strings[f].push_back(column.is_null(row) ? std::string() : column.strings[row]);
          table.values.push_back(kMissing);
        } else {
          table.values.push_back(number_at(column, row));
        }
      }
      const engine::Column& label = chunk->columns[n_features];
      if (label.is_null(row)) return invalid_argument("the label column '" + spec.label + "' has a NULL value");
      table.label.push_back(number_at(label, row));
      size_t next = n_features + 1;
      if (!spec.weight_column.empty()) {
        const engine::Column& weight = chunk->columns[next++];
        if (weight.is_null(row)) {
          return invalid_argument("the weight column '" + spec.weight_column + "' has a NULL value");
        }
        table.weight.push_back(number_at(weight, row));
      }
      if (!spec.group_column.empty()) {
        const engine::Column& group = chunk->columns[next];
        groups.push_back(group.is_null(row) ? std::string() : group.strings[row]);
      }
    }
  }
  if (table.rows() == 0) {
    return invalid_argument(spec.split_column.empty()
                                ? "the dataset version has no rows"
                                : "no row has '" + split_value + "' in the split column '" + spec.split_column + "'");
  }
  for (size_t f = 0; f < n_features; ++f) {
    FeatureColumn column{spec.features[f], is_categorical(spec, spec.features[f]), {}};
    if (column.categorical) {
      if (categories) {
        column.categories = (*categories)[f].categories;
      } else {
        std::set<std::string> seen;
        for (size_t r = 0; r < table.rows(); ++r) {
          if (present[f][r]) seen.insert(strings[f][r]);
        }
        column.categories.assign(seen.begin(), seen.end());
      }
      for (size_t r = 0; r < table.rows(); ++r) {
        if (!present[f][r]) continue;
        auto it = std::lower_bound(column.categories.begin(), column.categories.end(), strings[f][r]);
        if (it != column.categories.end() && *it == strings[f][r]) {
          table.values[r * n_features + f] = static_cast<float>(it - column.categories.begin());
        }
      }
    }
    table.features.push_back(std::move(column));
  }
  // Queries as runs of equal group values, each run a query of its own: a value seen again later is an error.
  std::set<std::string> closed;
  for (size_t r = 0; r < groups.size(); ++r) {
    if (r > 0 && groups[r] == groups[r - 1]) {
      table.group_sizes.back() += 1;
      continue;
    }
    if (!closed.insert(groups[r]).second) {
      return invalid_argument("the rows of query '" + groups[r] + "' (column '" + spec.group_column +
                              "') are not contiguous; sort the dataset by that column");
    }
    table.group_sizes.push_back(1);
  }
  return table;
}

Result<TrainingDatabase> open_training_database(int threads, const std::filesystem::path& scratch_dir,
                                                std::vector<std::filesystem::path> files) {
  engine::EngineOptions options;
  options.threads = std::max(1, threads);
  options.temp_directory = scratch_dir / "spill";
  options.file_access = engine::FileAccess{std::move(files), {}};
  MAAS_ASSIGN_OR_RETURN(auto database, engine::Database::open(options));
  MAAS_ASSIGN_OR_RETURN(engine::Connection connection, database->connect());
  return TrainingDatabase{std::move(database), std::move(connection)};
}

}  // namespace maas::training
