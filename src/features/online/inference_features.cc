#include "features/online/inference_features.h"

#include <algorithm>
#include <cstring>
#include <mutex>

#include "common/clock.h"

namespace maas::features::online {
namespace {

using runtime::DataType;
using runtime::Tensor;

// Element i of a numeric tensor as a double.
double number_at(const Tensor& t, size_t i) {
  switch (t.datatype) {
    case DataType::kBool:
      return t.as<uint8_t>()[i];
    case DataType::kUint8:
      return t.as<uint8_t>()[i];
    case DataType::kUint16:
      return t.as<uint16_t>()[i];
    case DataType::kUint32:
      return t.as<uint32_t>()[i];
    case DataType::kUint64:
      return static_cast<double>(t.as<uint64_t>()[i]);
    case DataType::kInt8:
      return t.as<int8_t>()[i];
    case DataType::kInt16:
      return t.as<int16_t>()[i];
    case DataType::kInt32:
      return t.as<int32_t>()[i];
    case DataType::kInt64:
      return static_cast<double>(t.as<int64_t>()[i]);
    case DataType::kFp32:
      return t.as<float>()[i];
    case DataType::kFp64:
      return t.as<double>()[i];
    case DataType::kFp16:
    case DataType::kBytes:
      break;
  }
  return 0;
}

bool is_integer(DataType d) {
  return d == DataType::kInt8 || d == DataType::kInt16 || d == DataType::kInt32 || d == DataType::kInt64 ||
         d == DataType::kUint8 || d == DataType::kUint16 || d == DataType::kUint32 || d == DataType::kUint64;
}

// The BYTES elements of a tensor (validated by the protocol parser: lengths fit).
std::vector<std::string> strings_of(const Tensor& t) {
  std::vector<std::string> out;
  const std::byte* p = t.data.data();
  const std::byte* end = p + t.data.size();
  while (p + 4 <= end) {
    uint32_t n = 0;
    std::memcpy(&n, p, 4);
    p += 4;
    out.emplace_back(reinterpret_cast<const char*>(p), n);
    p += n;
  }
  return out;
}

// A column input: shape [N] or [N, 1]; returns N.
Result<size_t> column_rows(const Tensor& t) {
  if ((t.shape.size() == 1 || (t.shape.size() == 2 && t.shape[1] == 1)) && t.shape[0] >= 0) {
    return static_cast<size_t>(t.shape[0]);
  }
  return invalid_argument("input '" + t.name + "' must be a column: shape [N] or [N, 1]");
}

Status read_entities(const Tensor& t, std::vector<Observation>& rows) {
  if (t.datatype == DataType::kBytes) {
    auto keys = strings_of(t);
    for (size_t i = 0; i < rows.size(); ++i) rows[i].entity = std::move(keys[i]);
    return {};
  }
  if (!is_integer(t.datatype)) return invalid_argument("input '" + t.name + "' (the entity) must be BYTES or INT*");
  for (size_t i = 0; i < rows.size(); ++i) {
    rows[i].entity = t.datatype == DataType::kUint64  ? std::to_string(t.as<uint64_t>()[i])
                     : t.datatype == DataType::kInt64 ? std::to_string(t.as<int64_t>()[i])
                                                      : std::to_string(static_cast<int64_t>(number_at(t, i)));
  }
  return {};
}

Status read_times(const Tensor& t, std::vector<Observation>& rows) {
  if (t.datatype == DataType::kInt64) {
    for (size_t i = 0; i < rows.size(); ++i) rows[i].time_us = t.as<int64_t>()[i];
    return {};
  }
  if (t.datatype == DataType::kBytes) {
    auto texts = strings_of(t);
    for (size_t i = 0; i < rows.size(); ++i) {
      auto ms = parse_rfc3339_ms(texts[i]);
      if (!ms)
        return invalid_argument("input '" + t.name + "' row " + std::to_string(i) + ": '" + texts[i] +
                                "' is not an RFC 3339 time");
      rows[i].time_us = *ms * 1000;
    }
    return {};
  }
  return invalid_argument("input '" + t.name +
                          "' (the time) must be INT64 (microseconds since the epoch) or BYTES (RFC 3339)");
}

// The model input the features fill: the one input of the signature the request does not carry.
Result<const runtime::TensorSpec*> features_input(const runtime::ModelSignature& signature,
                                                  const std::vector<Tensor>& inputs, const std::string& where) {
  const runtime::TensorSpec* target = nullptr;
  for (const auto& spec : signature.inputs) {
    const bool sent = std::any_of(inputs.begin(), inputs.end(), [&](const Tensor& t) { return t.name == spec.name; });
    if (sent) continue;
    if (target != nullptr) {
      return invalid_argument(where + ": the model has more than one input the request does not carry ('" +
                              target->name + "', '" + spec.name + "'); the features fill exactly one");
    }
    target = &spec;
  }
  if (target == nullptr)
    return invalid_argument(where + ": every model input is in the request; none is left for the features");
  if (target->datatype != DataType::kFp32 && target->datatype != DataType::kFp64) {
    return invalid_argument(where + ": the model input '" + target->name + "' is " +
                            std::string(runtime::datatype_name(target->datatype)) + "; the features are FP32 or FP64");
  }
  return target;
}

Tensor features_tensor(const runtime::TensorSpec& spec, const std::vector<std::vector<double>>& features,
                       size_t columns) {
  Tensor t;
  t.name = spec.name;
  t.datatype = spec.datatype;
  t.shape = {static_cast<int64_t>(features.size()), static_cast<int64_t>(columns)};
  if (spec.datatype == DataType::kFp64) {
    std::vector<double> flat;
    flat.reserve(features.size() * columns);
    for (const auto& row : features) flat.insert(flat.end(), row.begin(), row.end());
    t.data = runtime::Buffer::copy_of(flat.data(), flat.size() * sizeof(double));
  } else {
    std::vector<float> flat;
    flat.reserve(features.size() * columns);
    for (const auto& row : features) {
      for (double v : row) flat.push_back(static_cast<float>(v));
    }
    t.data = runtime::Buffer::copy_of(flat.data(), flat.size() * sizeof(float));
  }
  return t;
}

}  // namespace

Status InferenceFeatures::load() {
  MAAS_ASSIGN_OR_RETURN(auto all, records_.attachments());
  std::unique_lock lock(mu_);
  for (auto& [key, view] : all) attached_[key] = view;
  return {};
}

Status InferenceFeatures::attach(const std::string& model, int64_t version, const std::string& view) {
  MAAS_RETURN_IF_ERROR(records_.attach(model, version, view));
  std::unique_lock lock(mu_);
  attached_[{model, version}] = view;
  return {};
}

Status InferenceFeatures::detach(const std::string& model, int64_t version) {
  MAAS_RETURN_IF_ERROR(records_.detach(model, version));
  std::unique_lock lock(mu_);
  attached_.erase({model, version});
  return {};
}

std::optional<std::string> InferenceFeatures::attached(const std::string& model, int64_t version) const {
  std::shared_lock lock(mu_);
  auto it = attached_.find({model, version});
  if (it == attached_.end()) return std::nullopt;
  return it->second;
}

Status InferenceFeatures::before_infer(const std::string& model, int64_t version,
                                       const runtime::ModelSignature& signature, protocol::InferRequest& request) {
  auto name = attached(model, version);
  if (!name) return {};
  auto view = store_.view(*name);
  if (!view) return failed_precondition("feature view '" + *name + "' of model '" + model + "' is gone");
  const std::string where = "feature view '" + view->name + "'";
  auto input = [&](const std::string& column) -> Result<const Tensor*> {
    for (const Tensor& t : request.inputs) {
      if (t.name == column) return &t;
    }
    return invalid_argument(where + " needs the input '" + column + "' (a column of shape [N])");
  };
  MAAS_ASSIGN_OR_RETURN(const Tensor* entity, input(view->spec.entity));
  MAAS_ASSIGN_OR_RETURN(size_t n, column_rows(*entity));
  std::vector<Observation> rows(n);
  for (auto& row : rows) row.values.assign(view->values.size(), std::nan(""));
  MAAS_RETURN_IF_ERROR(read_entities(*entity, rows));
  MAAS_ASSIGN_OR_RETURN(const Tensor* time, input(view->spec.time));
  MAAS_ASSIGN_OR_RETURN(size_t time_rows, column_rows(*time));
  if (time_rows != n)
    return invalid_argument("input '" + time->name + "' has " + std::to_string(time_rows) + " rows, the entity " +
                            std::to_string(n));
  MAAS_RETURN_IF_ERROR(read_times(*time, rows));
  for (size_t c = 0; c < view->values.size(); ++c) {
    MAAS_ASSIGN_OR_RETURN(const Tensor* values, input(view->values[c]));
    MAAS_ASSIGN_OR_RETURN(size_t value_rows, column_rows(*values));
    if (value_rows != n)
      return invalid_argument("input '" + values->name + "' has " + std::to_string(value_rows) + " rows, the entity " +
                              std::to_string(n));
    if (values->datatype == DataType::kBytes || values->datatype == DataType::kFp16) {
      return invalid_argument("input '" + values->name + "' must be numeric (FP32, FP64, INT*, UINT*, BOOL)");
    }
    for (size_t i = 0; i < n; ++i) rows[i].values[c] = number_at(*values, i);
  }
  auto is_raw = [&](const Tensor& t) {
    return t.name == view->spec.entity || t.name == view->spec.time ||
           std::find(view->values.begin(), view->values.end(), t.name) != view->values.end();
  };
  std::erase_if(request.inputs, is_raw);
  MAAS_ASSIGN_OR_RETURN(const runtime::TensorSpec* target, features_input(signature, request.inputs, where));
  MAAS_ASSIGN_OR_RETURN(auto features, store_.observe(view->name, rows));
  request.inputs.push_back(features_tensor(*target, features, view->spec.features.size()));
  return {};
}

}  // namespace maas::features::online
