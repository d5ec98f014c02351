// ONNX: walks the ModelProto on the wire (no generated code) to check its opsets and describe the graph's inputs
// and outputs, seeking over initializer and attribute payloads instead of reading them.
#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "formats/inspectors.h"
#include "formats/protobuf_reader.h"

namespace maas::formats {
namespace {

// Field numbers from onnx.proto.
namespace model_field {
constexpr uint32_t kIrVersion = 1, kProducerName = 2, kProducerVersion = 3, kGraph = 7, kOpsetImport = 8;
}
namespace opset_field {
constexpr uint32_t kDomain = 1, kVersion = 2;
}
namespace graph_field {
constexpr uint32_t kNode = 1, kName = 2, kInitializer = 5, kInput = 11, kOutput = 12, kSparseInitializer = 15;
}
namespace node_field {
constexpr uint32_t kOpType = 4, kDomain = 7;
}
namespace tensor_field {
constexpr uint32_t kName = 8;
}
namespace sparse_tensor_field {
constexpr uint32_t kValues = 1;
}
namespace value_info_field {
constexpr uint32_t kName = 1, kType = 2;
}
namespace type_field {
constexpr uint32_t kTensorType = 1, kSequenceType = 4, kMapType = 5, kOpaqueType = 7, kSparseTensorType = 8,
                   kOptionalType = 9;
}
namespace tensor_type_field {
constexpr uint32_t kElemType = 1, kShape = 2;
}
namespace shape_field {
constexpr uint32_t kDim = 1;
}
namespace dimension_field {
constexpr uint32_t kDimValue = 1, kDimParam = 2;
}

constexpr std::string_view kDefaultDomain = "ai.onnx";
constexpr std::string_view kMlDomain = "ai.onnx.ml";
// The opset ranges this platform's runtimes understand (ONNX 1.18: ai.onnx 23, ai.onnx.ml 5).
constexpr int64_t kMaxDefaultOpset = 23;
constexpr int64_t kMaxMlOpset = 5;
constexpr uint64_t kMaxStringBytes = 64 << 10;
constexpr size_t kMaxGraphValues = 65536;
constexpr size_t kMaxRank = 64;

// TensorProto.DataType, indexed by value, with the Open Inference Protocol name where the protocol has one.
struct ElementType {
  std::string_view onnx_name;
  std::string_view datatype;
};
constexpr std::array<ElementType, 24> kElementTypes = {{
    {"UNDEFINED", ""},      {"FLOAT", "FP32"},    {"UINT8", "UINT8"},   {"INT8", "INT8"},       {"UINT16", "UINT16"},
    {"INT16", "INT16"},     {"INT32", "INT32"},   {"INT64", "INT64"},   {"STRING", "BYTES"},    {"BOOL", "BOOL"},
    {"FLOAT16", "FP16"},    {"DOUBLE", "FP64"},   {"UINT32", "UINT32"}, {"UINT64", "UINT64"},   {"COMPLEX64", ""},
    {"COMPLEX128", ""},     {"BFLOAT16", "BF16"}, {"FLOAT8E4M3FN", ""}, {"FLOAT8E4M3FNUZ", ""}, {"FLOAT8E5M2", ""},
    {"FLOAT8E5M2FNUZ", ""}, {"UINT4", ""},        {"INT4", ""},         {"FLOAT4E2M1", ""},
}};

Status expect_wire_type(const ProtoField& field, WireType expected, std::string_view what) {
  if (field.wire_type == expected) return {};
  return invalid_argument(std::string(what) + " (field " + std::to_string(field.number) + ") is encoded as " +
                          std::string(wire_type_name(field.wire_type)) + ", expected " +
                          std::string(wire_type_name(expected)));
}

Result<std::string> read_string_field(ProtoReader& reader, const ProtoField& field, std::string_view what) {
  MAAS_RETURN_IF_ERROR(expect_wire_type(field, WireType::kLengthDelimited, what));
  return with_context(reader.read_bytes(field, kMaxStringBytes), what);
}

Result<int64_t> read_int_field(const ProtoField& field, std::string_view what) {
  MAAS_RETURN_IF_ERROR(expect_wire_type(field, WireType::kVarint, what));
  return static_cast<int64_t>(field.value);
}

// The parts of a ModelProto the signature and the checks need.
class OnnxParser {
 public:
  explicit OnnxParser(FileReader& file) : file_(file) {}

  Result<ArtifactInfo> parse();

 private:
  Status read_model();
  Status read_opset_import(ProtoReader reader);
  Status check_opsets() const;
  Status read_graph(ProtoReader reader);
  Status read_node(ProtoReader reader);
  Result<TensorSpec> read_value_info(ProtoReader reader, const std::string& where);
  Status read_type(ProtoReader reader, TensorSpec& spec, const std::string& where);
  Status read_tensor_type(ProtoReader reader, TensorSpec& spec, const std::string& where);
  Status read_shape(ProtoReader reader, TensorSpec& spec, const std::string& where);
  Status drop_initialized_inputs(ProtoReader reader);
  Result<std::string> read_initializer_name(ProtoReader reader);

  FileReader& file_;
  int64_t ir_version_ = 0;
  std::string producer_name_;
  std::string producer_version_;
  std::vector<ProtoField> graphs_;
  std::map<std::string, int64_t> opsets_;
  std::string graph_name_;
  uint64_t node_count_ = 0;
  uint64_t initializer_count_ = 0;
  std::set<std::string> operators_;
  std::vector<TensorSpec> inputs_;
  std::vector<TensorSpec> outputs_;
};

Status OnnxParser::read_model() {
  ProtoReader reader(file_, 0, file_.size());
  while (true) {
    MAAS_ASSIGN_OR_RETURN(auto field, reader.next());
    if (!field) return {};
    switch (field->number) {
      case model_field::kIrVersion: {
        MAAS_ASSIGN_OR_RETURN(ir_version_, read_int_field(*field, "ModelProto.ir_version"));
        break;
      }
      case model_field::kProducerName: {
        MAAS_ASSIGN_OR_RETURN(producer_name_, read_string_field(reader, *field, "ModelProto.producer_name"));
        break;
      }
      case model_field::kProducerVersion: {
        MAAS_ASSIGN_OR_RETURN(producer_version_, read_string_field(reader, *field, "ModelProto.producer_version"));
        break;
      }
      case model_field::kGraph:
        MAAS_RETURN_IF_ERROR(expect_wire_type(*field, WireType::kLengthDelimited, "ModelProto.graph"));
        // Parsed after the walk: opset_import usually follows the graph on the wire.
        graphs_.push_back(*field);
        break;
      case model_field::kOpsetImport:
        MAAS_RETURN_IF_ERROR(expect_wire_type(*field, WireType::kLengthDelimited, "ModelProto.opset_import"));
        MAAS_RETURN_IF_ERROR(read_opset_import(reader.message(*field)));
        break;
      default:
        break;
    }
  }
}

Status OnnxParser::read_opset_import(ProtoReader reader) {
  std::string domain;
  int64_t version = 0;
  while (true) {
    MAAS_ASSIGN_OR_RETURN(auto field, reader.next());
    if (!field) break;
    if (field->number == opset_field::kDomain) {
      MAAS_ASSIGN_OR_RETURN(domain, read_string_field(reader, *field, "OperatorSetIdProto.domain"));
    } else if (field->number == opset_field::kVersion) {
      MAAS_ASSIGN_OR_RETURN(version, read_int_field(*field, "OperatorSetIdProto.version"));
    }
  }
  // "" and "ai.onnx" name the same default domain.
  if (domain.empty()) domain = kDefaultDomain;
  if (!opsets_.emplace(domain, version).second) {
    return invalid_argument("the operator set domain " + in_quotes(domain) + " is imported twice");
  }
  return {};
}

Status OnnxParser::check_opsets() const {
  auto default_opset = opsets_.find(std::string(kDefaultDomain));
  if (default_opset == opsets_.end()) {
    return invalid_argument("the model imports no opset for the default domain ('' or 'ai.onnx')");
  }
  for (const auto& [domain, version] : opsets_) {
    int64_t max_version = 0;
    if (domain == kDefaultDomain) {
      max_version = kMaxDefaultOpset;
    } else if (domain == kMlDomain) {
      max_version = kMaxMlOpset;
    } else {
      return invalid_argument("unknown operator set domain " + in_quotes(domain) + " (supported: '" +
                              std::string(kDefaultDomain) + "', '" + std::string(kMlDomain) + "')");
    }
    if (version < 1 || version > max_version) {
      return invalid_argument("opset version " + std::to_string(version) + " of domain " + in_quotes(domain) +
                              " is not supported (supported: 1 to " + std::to_string(max_version) + ")");
    }
  }
  return {};
}

Status OnnxParser::read_node(ProtoReader reader) {
  std::string op_type;
  while (true) {
    MAAS_ASSIGN_OR_RETURN(auto field, reader.next());
    if (!field) break;
    // Attributes (which may hold large tensors) and everything else are skipped by the reader.
    if (field->number == node_field::kOpType) {
      MAAS_ASSIGN_OR_RETURN(op_type, read_string_field(reader, *field, "NodeProto.op_type"));
    } else if (field->number == node_field::kDomain) {
      MAAS_RETURN_IF_ERROR(read_string_field(reader, *field, "NodeProto.domain").status());
    }
  }
  if (op_type.empty()) return invalid_argument("node #" + std::to_string(node_count_) + " has no op_type");
  operators_.insert(std::move(op_type));
  ++node_count_;
  return {};
}

Status OnnxParser::read_shape(ProtoReader reader, TensorSpec& spec, const std::string& where) {
  while (true) {
    MAAS_ASSIGN_OR_RETURN(auto field, reader.next());
    if (!field) return {};
    if (field->number != shape_field::kDim) continue;
    MAAS_RETURN_IF_ERROR(expect_wire_type(*field, WireType::kLengthDelimited, "TensorShapeProto.dim"));
    if (spec.shape.size() == kMaxRank) return invalid_argument(where + " has more than 64 dimensions");
    // A symbolic (dim_param) or absent size is a variable dimension.
    int64_t size = -1;
    ProtoReader dim = reader.message(*field);
    while (true) {
      MAAS_ASSIGN_OR_RETURN(auto dim_field, dim.next());
      if (!dim_field) break;
      if (dim_field->number == dimension_field::kDimValue) {
        MAAS_ASSIGN_OR_RETURN(size, read_int_field(*dim_field, "Dimension.dim_value"));
        if (size < 0) {
          return invalid_argument(where + " dimension " + std::to_string(spec.shape.size()) + " has negative size " +
                                  std::to_string(size));
        }
      } else if (dim_field->number == dimension_field::kDimParam) {
        MAAS_RETURN_IF_ERROR(read_string_field(dim, *dim_field, "Dimension.dim_param").status());
        size = -1;
      }
    }
    spec.shape.push_back(size);
  }
}

Status OnnxParser::read_tensor_type(ProtoReader reader, TensorSpec& spec, const std::string& where) {
  int64_t elem_type = 0;
  while (true) {
    MAAS_ASSIGN_OR_RETURN(auto field, reader.next());
    if (!field) break;
    if (field->number == tensor_type_field::kElemType) {
      MAAS_ASSIGN_OR_RETURN(elem_type, read_int_field(*field, "TypeProto.Tensor.elem_type"));
    } else if (field->number == tensor_type_field::kShape) {
      MAAS_RETURN_IF_ERROR(expect_wire_type(*field, WireType::kLengthDelimited, "TypeProto.Tensor.shape"));
      MAAS_RETURN_IF_ERROR(read_shape(reader.message(*field), spec, where));
    }
  }
  if (elem_type <= 0 || elem_type >= static_cast<int64_t>(kElementTypes.size())) {
    return invalid_argument(where + " has unknown element type " + std::to_string(elem_type));
  }
  // Element types the Open Inference Protocol cannot carry (complex, float8, int4) keep an empty datatype.
  spec.datatype = kElementTypes[static_cast<size_t>(elem_type)].datatype;
  return {};
}

Status OnnxParser::read_type(ProtoReader reader, TensorSpec& spec, const std::string& where) {
  bool typed = false;
  while (true) {
    MAAS_ASSIGN_OR_RETURN(auto field, reader.next());
    if (!field) break;
    switch (field->number) {
      case type_field::kTensorType:
        MAAS_RETURN_IF_ERROR(expect_wire_type(*field, WireType::kLengthDelimited, "TypeProto.tensor_type"));
        MAAS_RETURN_IF_ERROR(read_tensor_type(reader.message(*field), spec, where));
        typed = true;
        break;
      // Sequences, maps (e.g. a classifier's ZipMap output), optionals and sparse tensors have no tensor
      // signature in the Open Inference Protocol: they keep an empty datatype and shape.
      case type_field::kSequenceType:
      case type_field::kMapType:
      case type_field::kOpaqueType:
      case type_field::kSparseTensorType:
      case type_field::kOptionalType:
        typed = true;
        break;
      default:
        break;
    }
  }
  if (!typed) return invalid_argument(where + " has no type");
  return {};
}

Result<TensorSpec> OnnxParser::read_value_info(ProtoReader reader, const std::string& where) {
  TensorSpec spec;
  std::optional<ProtoField> type;
  while (true) {
    MAAS_ASSIGN_OR_RETURN(auto field, reader.next());
    if (!field) break;
    if (field->number == value_info_field::kName) {
      MAAS_ASSIGN_OR_RETURN(spec.name, read_string_field(reader, *field, "ValueInfoProto.name"));
    } else if (field->number == value_info_field::kType) {
      MAAS_RETURN_IF_ERROR(expect_wire_type(*field, WireType::kLengthDelimited, "ValueInfoProto.type"));
      type = field;
    }
  }
  if (spec.name.empty()) return invalid_argument(where + " has no name");
  std::string named = where + " " + in_quotes(spec.name);
  if (!type) return invalid_argument(named + " has no type");
  MAAS_RETURN_IF_ERROR(read_type(reader.message(*type), spec, named));
  return spec;
}

Status OnnxParser::read_graph(ProtoReader reader) {
  while (true) {
    MAAS_ASSIGN_OR_RETURN(auto field, reader.next());
    if (!field) return {};
    switch (field->number) {
      case graph_field::kNode:
        MAAS_RETURN_IF_ERROR(expect_wire_type(*field, WireType::kLengthDelimited, "GraphProto.node"));
        MAAS_RETURN_IF_ERROR(read_node(reader.message(*field)));
        break;
      case graph_field::kName: {
        MAAS_ASSIGN_OR_RETURN(graph_name_, read_string_field(reader, *field, "GraphProto.name"));
        break;
      }
      case graph_field::kInput:
      case graph_field::kOutput: {
        bool is_input = field->number == graph_field::kInput;
        auto& specs = is_input ? inputs_ : outputs_;
        std::string where = std::string(is_input ? "graph input #" : "graph output #") + std::to_string(specs.size());
        MAAS_RETURN_IF_ERROR(expect_wire_type(*field, WireType::kLengthDelimited, "GraphProto.input/output"));
        if (specs.size() == kMaxGraphValues) return invalid_argument("the graph has more than 65536 inputs or outputs");
        MAAS_ASSIGN_OR_RETURN(TensorSpec spec, read_value_info(reader.message(*field), where));
        specs.push_back(std::move(spec));
        break;
      }
      default:
        break;
    }
  }
}

Result<std::string> OnnxParser::read_initializer_name(ProtoReader reader) {
  std::string name;
  while (true) {
    MAAS_ASSIGN_OR_RETURN(auto field, reader.next());
    if (!field) return name;
    // raw_data and the typed data fields are skipped by seeking.
    if (field->number == tensor_field::kName) {
      MAAS_ASSIGN_OR_RETURN(name, read_string_field(reader, *field, "TensorProto.name"));
    }
  }
}

// Older exporters list every weight as a graph input too; those inputs are not fed by a client.
Status OnnxParser::drop_initialized_inputs(ProtoReader reader) {
  std::unordered_map<std::string, size_t> input_index;
  for (size_t i = 0; i < inputs_.size(); ++i) input_index.emplace(inputs_[i].name, i);
  std::vector<bool> initialized(inputs_.size(), false);
  while (true) {
    MAAS_ASSIGN_OR_RETURN(auto field, reader.next());
    if (!field) break;
    std::string name;
    if (field->number == graph_field::kInitializer) {
      MAAS_RETURN_IF_ERROR(expect_wire_type(*field, WireType::kLengthDelimited, "GraphProto.initializer"));
      MAAS_ASSIGN_OR_RETURN(name, read_initializer_name(reader.message(*field)));
    } else if (field->number == graph_field::kSparseInitializer) {
      MAAS_RETURN_IF_ERROR(expect_wire_type(*field, WireType::kLengthDelimited, "GraphProto.sparse_initializer"));
      ProtoReader sparse = reader.message(*field);
      while (true) {
        MAAS_ASSIGN_OR_RETURN(auto sparse_field, sparse.next());
        if (!sparse_field) break;
        if (sparse_field->number != sparse_tensor_field::kValues) continue;
        MAAS_RETURN_IF_ERROR(expect_wire_type(*sparse_field, WireType::kLengthDelimited, "SparseTensorProto.values"));
        MAAS_ASSIGN_OR_RETURN(name, read_initializer_name(sparse.message(*sparse_field)));
      }
    } else {
      continue;
    }
    ++initializer_count_;
    auto it = input_index.find(name);
    if (it != input_index.end()) initialized[it->second] = true;
  }
  std::vector<TensorSpec> fed;
  for (size_t i = 0; i < inputs_.size(); ++i) {
    if (!initialized[i]) fed.push_back(std::move(inputs_[i]));
  }
  inputs_ = std::move(fed);
  return {};
}

Result<ArtifactInfo> OnnxParser::parse() {
  MAAS_RETURN_IF_ERROR(with_context(read_model(), "not a valid ONNX protobuf"));
  if (ir_version_ <= 0) return invalid_argument("the model has no ir_version (ModelProto field 1)");
  if (graphs_.empty()) return invalid_argument("the model has no graph (ModelProto field 7)");
  MAAS_RETURN_IF_ERROR(check_opsets());
  ProtoReader top(file_, 0, file_.size());
  for (const auto& graph : graphs_) {
    MAAS_RETURN_IF_ERROR(with_context(read_graph(top.message(graph)), "in the graph"));
  }
  for (const auto& graph : graphs_) {
    MAAS_RETURN_IF_ERROR(with_context(drop_initialized_inputs(top.message(graph)), "in the graph's initializers"));
  }

  ArtifactInfo info;
  info.framework = Framework::kOnnx;
  info.format = "onnx";
  info.inputs = std::move(inputs_);
  info.outputs = std::move(outputs_);
  auto& details = info.details;
  details["ir_version"] = ir_version_;
  details["producer_name"] = producer_name_;
  if (!producer_version_.empty()) details["producer_version"] = producer_version_;
  details["graph_name"] = graph_name_;
  details["opsets"] = opsets_;
  details["operators"] = operators_;
  details["node_count"] = node_count_;
  details["initializer_count"] = initializer_count_;
  return info;
}

}  // namespace

// A ModelProto starts with ir_version (field 1, varint: tag 0x08) followed by a small version number; exporters
// write it first. Anything else in the first bytes is left to other detectors.
bool looks_like_onnx(std::string_view head) {
  if (head.size() < 2 || head[0] != 0x08) return false;
  auto version = static_cast<unsigned char>(head[1]);
  if (version == 0 || version >= 0x80) return false;
  if (head.size() == 2) return true;
  // The next tag should be a length-delimited field (producer_name, graph, opset_import, ...).
  auto tag = static_cast<unsigned char>(head[2]);
  return (tag & 7) == 2 && (tag >> 3) >= 2;
}

Result<ArtifactInfo> inspect_onnx(FileReader& file) {
  OnnxParser parser(file);
  auto result = parser.parse();
  if (!result.ok()) return with_context(result.status(), "onnx");
  return result;
}

}  // namespace maas::formats
