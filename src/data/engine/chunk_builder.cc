#include "data/engine/chunk_builder.h"

namespace maas::data::engine {

ChunkBuilder::ChunkBuilder(std::span<const duckdb_type> types) {
  std::vector<duckdb_logical_type> logical;
  logical.reserve(types.size());
  for (duckdb_type type : types) logical.push_back(duckdb_create_logical_type(type));
  chunk_ = duckdb_create_data_chunk(logical.data(), logical.size());
  for (duckdb_logical_type& type : logical) duckdb_destroy_logical_type(&type);
}

ChunkBuilder::~ChunkBuilder() {
  if (chunk_ != nullptr) duckdb_destroy_data_chunk(&chunk_);
}

void ChunkBuilder::reset() { duckdb_data_chunk_reset(chunk_); }

void ChunkBuilder::set_string(size_t column, size_t row, std::string_view value) {
  duckdb_vector_assign_string_element_len(vector(column), row, value.data(), value.size());
}

void ChunkBuilder::set_null(size_t column, size_t row) {
  duckdb_vector v = vector(column);
  duckdb_vector_ensure_validity_writable(v);
  duckdb_validity_set_row_invalid(duckdb_vector_get_validity(v), row);
}

}  // namespace maas::data::engine
