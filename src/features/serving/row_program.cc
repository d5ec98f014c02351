#include "features/serving/row_program.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string_view>

#include "features/step.h"

namespace maas::features {
namespace {
using nlohmann::json;
using runtime::DataType;
using runtime::Tensor;

template <typename T>
double load(const std::byte* data, size_t row) {
  T value;
  std::memcpy(&value, data + row * sizeof(T), sizeof(T));  // the payload need not be aligned
  return static_cast<double>(value);
}

// Value `row` of a number column of any numeric datatype (checked by the caller).
double number_at(const Tensor& t, size_t row) {
  const std::byte* d = t.data.data();
  switch (t.datatype) {
    case DataType::kFp64:
      return load<double>(d, row);
    case DataType::kFp32:
      return load<float>(d, row);
    case DataType::kInt64:
      return load<int64_t>(d, row);
    case DataType::kInt32:
      return load<int32_t>(d, row);
    case DataType::kInt16:
      return load<int16_t>(d, row);
    case DataType::kInt8:
      return load<int8_t>(d, row);
    case DataType::kUint64:
      return load<uint64_t>(d, row);
    case DataType::kUint32:
      return load<uint32_t>(d, row);
    case DataType::kUint16:
      return load<uint16_t>(d, row);
    default:
      return load<uint8_t>(d, row);  // UINT8, BOOL
  }
}

// Whether `t` is one column of `rows` rows whose datatype fits a column of `type`, its bytes all there.
bool column_fits(const Tensor& t, ColumnType type, size_t* rows) {
  const bool column_shape = t.shape.size() == 1 || (t.shape.size() == 2 && t.shape[1] == 1);
  if (!column_shape || t.shape[0] < 0) return false;
  *rows = static_cast<size_t>(t.shape[0]);
  if (type == ColumnType::kText) return t.datatype == DataType::kBytes;
  if (t.datatype == DataType::kBytes || t.datatype == DataType::kFp16) return false;
  return t.data.size() == *rows * runtime::datatype_size(t.datatype);
}

// The strings of a BYTES column; false when malformed.
bool texts_of(const Tensor& t, size_t rows, std::vector<std::string_view>& out) {
  out.clear();
  size_t offset = 0;
  for (size_t i = 0; i < rows; ++i) {
    uint32_t length = 0;
    if (offset + 4 > t.data.size()) return false;
    std::memcpy(&length, t.data.data() + offset, 4);
    offset += 4;
    if (length > t.data.size() - offset) return false;
    out.emplace_back(reinterpret_cast<const char*>(t.data.data() + offset), length);
    offset += length;
  }
  return offset == t.data.size();
}

const json* field(const json& object, const char* name) {
  if (!object.is_object()) return nullptr;
  auto it = object.find(name);
  return it == object.end() ? nullptr : &*it;
}

std::string step_kind(const json& step) {
  const json* kind = field(step, "step");
  return kind && kind->is_string() ? kind->get<std::string>() : "";
}

}  // namespace

bool RowProgram::number_ops(const json& steps, const json& states, size_t i, std::vector<NumberOp>* ops) {
  for (size_t k = 0; k < steps.size(); ++k) {
    const std::string kind = step_kind(steps[k]);
    const json& state = states[k];
    NumberOp op;
    if (kind == "SimpleImputer") {
      const json* statistics = field(state, "statistics");
      if (!statistics || !statistics->is_array() || i >= statistics->size() || !(*statistics)[i].is_number()) {
        return false;
      }
      op.impute = true;
      op.fill = (*statistics)[i].get<double>();
    } else if (kind == "StandardScaler" || kind == "RobustScaler" || kind == "MaxAbsScaler") {
      const json* center = field(state, "center");
      const json* scale = field(state, "scale");
      if (!center || !scale || !center->is_array() || !scale->is_array() || i >= center->size() || i >= scale->size()) {
        return false;
      }
      op.center = json_numbers((*center))[i];
      op.scale = json_numbers((*scale))[i];
    } else {
      return false;
    }
    ops->push_back(op);
  }
  return true;
}

std::optional<RowProgram> RowProgram::compile(const json& spec, const json& state, const std::vector<Input>& inputs,
                                              size_t output_columns) {
  RowProgram p;
  p.inputs_ = inputs;
  auto input_of = [&](const std::string& name) -> std::optional<size_t> {
    for (size_t i = 0; i < inputs.size(); ++i) {
      if (inputs[i].name == name) return i;
    }
    return std::nullopt;
  };
  auto pass_through = [&](size_t input) {
    p.outputs_.push_back({false, p.numbers_.size()});
    p.numbers_.push_back({input, {}});
    ++p.width_;
  };
  const json* transformers = field(spec, "transformers");
  const json* states = field(state, "transformers");
  if (!transformers || !states || !transformers->is_array() || !states->is_array() ||
      transformers->size() != states->size()) {
    return std::nullopt;
  }
  for (size_t t = 0; t < transformers->size(); ++t) {
    const json* columns = field((*transformers)[t], "columns");
    const json* steps = field((*transformers)[t], "steps");
    const json& step_states = (*states)[t];
    if (!columns || !steps || !columns->is_array() || !steps->is_array() || !step_states.is_array() ||
        step_states.size() != steps->size()) {
      return std::nullopt;
    }
    const bool one_hot = steps->size() == 1 && step_kind((*steps)[0]) == "OneHotEncoder";
    for (size_t i = 0; i < columns->size(); ++i) {
      const auto input = (*columns)[i].is_string() ? input_of((*columns)[i].get<std::string>()) : std::nullopt;
      if (!input) return std::nullopt;
      if (!one_hot) {
        if (inputs[*input].type != ColumnType::kNumber) return std::nullopt;
        NumberOutput out{*input, {}};
        if (!number_ops(*steps, step_states, i, &out.ops)) return std::nullopt;
        p.outputs_.push_back({false, p.numbers_.size()});
        p.numbers_.push_back(std::move(out));
        ++p.width_;
        continue;
      }
      // OneHotEncoder on a text column: its categories, each one's slot, the dropped and the infrequent slot.
      const json& s = step_states[0];
      const json* categories = field(s, "categories");
      const json* slot_of = field(s, "slot_of");
      const json* drop = field(s, "drop");
      const json* infrequent = field(s, "infrequent");
      const json* unknown = field((*steps)[0], "handle_unknown");
      if (inputs[*input].type != ColumnType::kText || !categories || !slot_of || !drop || !infrequent ||
          !categories->is_array() || !slot_of->is_array() || !drop->is_array() || !infrequent->is_array() ||
          i >= categories->size() || i >= slot_of->size() || i >= drop->size() || i >= infrequent->size()) {
        return std::nullopt;
      }
      const json* values = field((*categories)[i], "values");
      const json& slots = (*slot_of)[i];
      if (!values || !values->is_array() || !slots.is_array() || slots.size() < values->size() ||
          !(*drop)[i].is_number_integer() || !(*infrequent)[i].is_boolean()) {
        return std::nullopt;
      }
      int64_t width = 0;
      for (const json& slot : slots) {
        if (!slot.is_number_unsigned()) return std::nullopt;
        width = std::max(width, slot.get<int64_t>() + 1);
      }
      const int64_t dropped = (*drop)[i].get<int64_t>();
      auto position = [dropped](int64_t slot) {
        if (slot == dropped) return int64_t{-1};
        return slot - (dropped >= 0 && dropped < slot ? 1 : 0);
      };
      OneHotOutput out;
      out.input = *input;
      out.width = static_cast<size_t>(width - (dropped >= 0 ? 1 : 0));
      for (size_t k = 0; k < values->size(); ++k) {
        if (!(*values)[k].is_string()) return std::nullopt;
        out.position.emplace_back((*values)[k].get<std::string>(), position(slots[k].get<int64_t>()));
      }
      std::sort(out.position.begin(), out.position.end());
      const std::string handle = unknown && unknown->is_string() ? unknown->get<std::string>() : "error";
      if (handle == "ignore") {
        out.unknown = -1;
      } else if (handle == "infrequent_if_exist") {
        out.unknown = (*infrequent)[i].get<bool>() ? position(width - 1) : -1;
      } else {
        out.unknown = -2;
      }
      p.outputs_.push_back({true, p.one_hots_.size()});
      p.width_ += out.width;
      p.one_hots_.push_back(std::move(out));
    }
  }
  const json* remainder = field(state, "remainder");
  if (!remainder || !remainder->is_array()) return std::nullopt;
  for (const json& name : *remainder) {
    const auto input = name.is_string() ? input_of(name.get<std::string>()) : std::nullopt;
    if (!input || inputs[*input].type != ColumnType::kNumber) return std::nullopt;
    pass_through(*input);
  }
  if (p.width_ != output_columns) return std::nullopt;
  return p;
}

template <typename T>
bool RowProgram::write(const std::vector<const Tensor*>& columns, size_t rows, T* out) const {
  std::vector<std::string_view> texts;
  size_t offset = 0;  // of the current output column
  for (const Output& o : outputs_) {
    if (!o.one_hot) {
      const NumberOutput& n = numbers_[o.index];
      for (size_t r = 0; r < rows; ++r) {
        double v = number_at(*columns[n.input], r);
        if (std::isinf(v)) return false;  // every step refuses it: transform words the error
        for (const NumberOp& op : n.ops) {
          if (op.impute) {
            v = std::isnan(v) ? op.fill : v;
          } else {
            v = (v - op.center) / op.scale;
          }
        }
        out[r * width_ + offset] = static_cast<T>(v);
      }
      ++offset;
      continue;
    }
    const OneHotOutput& h = one_hots_[o.index];
    if (!texts_of(*columns[h.input], rows, texts)) return false;
    for (size_t r = 0; r < rows; ++r) {
      T* row = out + r * width_ + offset;
      std::fill(row, row + h.width, T{0});
      auto it = std::lower_bound(h.position.begin(), h.position.end(), texts[r],
                                 [](const auto& entry, std::string_view v) { return entry.first < v; });
      const int64_t position = it != h.position.end() && it->first == texts[r] ? it->second : h.unknown;
      if (position == -2) return false;  // handle_unknown: error
      if (position >= 0) row[position] = T{1};
    }
    offset += h.width;
  }
  return true;
}

std::optional<Tensor> RowProgram::run(const std::vector<Tensor>& columns,
                                      const runtime::TensorSpec& model_input) const {
  std::vector<const Tensor*> by_input(inputs_.size(), nullptr);
  size_t rows = 0;
  for (size_t i = 0; i < inputs_.size(); ++i) {
    // Clients send the columns in the signature's order: look there first.
    if (i < columns.size() && columns[i].name == inputs_[i].name) {
      by_input[i] = &columns[i];
    } else {
      for (const Tensor& t : columns) {
        if (t.name == inputs_[i].name) by_input[i] = &t;
      }
    }
    size_t n = 0;
    if (by_input[i] == nullptr || !column_fits(*by_input[i], inputs_[i].type, &n) || (i > 0 && n != rows)) {
      return std::nullopt;
    }
    rows = n;
  }
  const bool fp64 = model_input.datatype == DataType::kFp64;
  std::vector<std::byte> bytes(rows * width_ * (fp64 ? sizeof(double) : sizeof(float)));
  const bool written = fp64 ? write(by_input, rows, reinterpret_cast<double*>(bytes.data()))
                            : write(by_input, rows, reinterpret_cast<float*>(bytes.data()));
  if (!written) return std::nullopt;
  Tensor tensor;
  tensor.name = model_input.name;
  tensor.datatype = fp64 ? DataType::kFp64 : DataType::kFp32;
  tensor.shape = {static_cast<int64_t>(rows), static_cast<int64_t>(width_)};
  tensor.data = runtime::Buffer::adopt(std::move(bytes));
  return tensor;
}

}  // namespace maas::features
