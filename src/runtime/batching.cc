#include "runtime/batching.h"

#include <cstring>

namespace maas::runtime {
namespace {

// Byte offsets where each of the first `rows` rows of a BYTES tensor start, plus the end.
Result<std::vector<size_t>> bytes_row_offsets(const Tensor& t, int64_t rows) {
  int64_t count = t.element_count();
  if (rows <= 0 || count < 0 || count % rows != 0) {
    return internal_error("output '" + t.name + "' does not divide into rows");
  }
  int64_t per_row = count / rows;
  std::vector<size_t> offsets{0};
  size_t offset = 0;
  for (int64_t i = 0; i < count; ++i) {
    if (offset + 4 > t.data.size()) return internal_error("malformed BYTES output '" + t.name + "'");
    uint32_t len = 0;
    std::memcpy(&len, t.data.data() + offset, 4);
    offset += 4 + len;
    if ((i + 1) % per_row == 0) offsets.push_back(offset);
  }
  return offsets;
}

}  // namespace

std::string batch_key(const ExecuteRequest& request) {
  std::string key;
  for (const auto& t : request.inputs) {
    key += t.name + ':' + std::string(datatype_name(t.datatype));
    for (size_t i = 1; i < t.shape.size(); ++i) key += ',' + std::to_string(t.shape[i]);
    key += ';';
  }
  key += '|';
  for (const auto& o : request.outputs) key += o + ';';
  key += '|';
  for (const auto& [k, v] : request.parameters) key += k + '=' + v + ';';
  return key;
}

Result<int64_t> batch_rows(const ExecuteRequest& request) {
  if (request.inputs.empty()) return invalid_argument("the request has no inputs");
  int64_t rows = -1;
  for (const auto& t : request.inputs) {
    if (t.shape.empty()) return invalid_argument("input '" + t.name + "' is a scalar; batched models need a batch dimension");
    if (rows >= 0 && t.shape[0] != rows) {
      return invalid_argument("inputs disagree on the batch dimension: '" + t.name + "' has " + std::to_string(t.shape[0]) +
                              " rows, the first input has " + std::to_string(rows));
    }
    rows = t.shape[0];
  }
  return rows;
}

ExecuteRequest concat_requests(const std::vector<const ExecuteRequest*>& requests, int64_t total_rows) {
  if (requests.size() == 1) return *requests.front();
  ExecuteRequest batch;
  batch.outputs = requests.front()->outputs;
  batch.parameters = requests.front()->parameters;
  for (size_t i = 0; i < requests.front()->inputs.size(); ++i) {
    size_t bytes = 0;
    for (const auto* r : requests) bytes += r->inputs[i].data.size();
    std::vector<std::byte> joined(bytes);
    size_t offset = 0;
    for (const auto* r : requests) {
      const auto& d = r->inputs[i].data;
      if (d.size() > 0) std::memcpy(joined.data() + offset, d.data(), d.size());
      offset += d.size();
    }
    Tensor t;
    t.name = requests.front()->inputs[i].name;
    t.datatype = requests.front()->inputs[i].datatype;
    t.shape = requests.front()->inputs[i].shape;
    t.shape[0] = total_rows;
    t.data = Buffer::adopt(std::move(joined));
    batch.inputs.push_back(std::move(t));
  }
  return batch;
}

Result<std::vector<std::vector<Tensor>>> split_outputs(const std::vector<Tensor>& outputs, const std::vector<int64_t>& rows) {
  std::vector<std::vector<Tensor>> parts(rows.size());
  if (rows.size() == 1) {
    parts[0] = outputs;
    return parts;
  }
  int64_t total = 0;
  for (int64_t r : rows) total += r;
  for (const auto& out : outputs) {
    if (out.shape.empty() || out.shape[0] != total) {
      return internal_error("output '" + out.name + "' does not have the batch's " + std::to_string(total) +
                            " rows in dimension 0; the model cannot be batched (set max_batch_size to 0)");
    }
    std::vector<size_t> offsets;
    if (out.datatype == DataType::kBytes) {
      MAAS_ASSIGN_OR_RETURN(offsets, bytes_row_offsets(out, total));
    } else {
      size_t row_bytes = total > 0 ? out.data.size() / static_cast<size_t>(total) : 0;
      for (int64_t i = 0; i <= total; ++i) offsets.push_back(static_cast<size_t>(i) * row_bytes);
    }
    int64_t row = 0;
    for (size_t i = 0; i < rows.size(); ++i) {
      Tensor part;
      part.name = out.name;
      part.datatype = out.datatype;
      part.shape = out.shape;
      part.shape[0] = rows[i];
      size_t begin = offsets[static_cast<size_t>(row)];
      size_t end = offsets[static_cast<size_t>(row + rows[i])];
      part.data = out.data.slice(begin, end - begin);
      parts[i].push_back(std::move(part));
      row += rows[i];
    }
  }
  return parts;
}

}  // namespace maas::runtime
