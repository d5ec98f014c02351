// What `maas infer` sends: its --input, --datatype and --param flags turned into an Open Inference Protocol
// request. JSON inputs travel as "data" arrays; .npy inputs as binary tensors after the JSON (Triton's binary
// tensor data extension), their bytes untouched. Errors are INVALID_ARGUMENT and end the command with exit code 2.
#pragma once

#include <cstddef>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace maas::cli {

// `--input NAME=@FILE` (a .json or .npy file) or `--input NAME=JSON` (the value itself).
struct InputFlag {
  std::string name;
  std::string value;  // the file's path, or the JSON text
  bool from_file = false;
};
Result<InputFlag> parse_input_flag(std::string_view text);

// True for the v2 datatype names (BOOL, UINT8, ..., FP64, BYTES).
bool is_v2_datatype(std::string_view datatype);

// `--datatype NAME=FP32` flags, by input name; an unknown datatype or a name given twice is an error.
Result<std::map<std::string, std::string>> parse_datatype_flags(const std::vector<std::string>& items);

// `--param key=value` flags as the request's parameters: "true" and "false" become booleans, integers numbers,
// anything else a string (the server reads every parameter from its text).
Result<nlohmann::json> parse_parameter_flags(const std::vector<std::string>& items);

// One input of a request: its JSON object and, for a binary tensor, the bytes that follow the JSON.
class RequestInput {
 public:
  explicit RequestInput(nlohmann::json header) : header_(std::move(header)) {}
  // A binary input whose bytes are binary_size bytes at binary_offset of `owner` (the whole file, moved in).
  RequestInput(nlohmann::json header, std::string owner, size_t binary_offset, size_t binary_size)
      : header_(std::move(header)),
        owner_(std::move(owner)),
        offset_(binary_offset),
        size_(binary_size),
        binary_(true) {}

  const nlohmann::json& header() const { return header_; }
  std::string_view binary() const { return std::string_view(owner_).substr(offset_, size_); }
  bool is_binary() const { return binary_; }

 private:
  nlohmann::json header_;
  std::string owner_;
  size_t offset_ = 0;
  size_t size_ = 0;
  bool binary_ = false;
};

// An input from JSON: a nested array of numbers, booleans or strings, whose nesting gives the shape (it must be
// rectangular), or a whole v2 input object {"shape", "datatype", "data"}. The datatype is the --datatype flag's
// (`datatype`) or the object's (they must agree), else FP32 for numbers, BOOL for booleans, BYTES for strings.
Result<RequestInput> json_input(const std::string& name, const nlohmann::json& value,
                                const std::optional<std::string>& datatype);

// An input from the bytes of a .npy file. A `datatype` flag must agree with the file's dtype: nothing is converted.
Result<RequestInput> npy_input(const std::string& name, std::string file, const std::optional<std::string>& datatype);

// Reads what an --input flag names: the file (a .npy when named so or when it starts with the .npy magic,
// else JSON) or the inline JSON.
Result<RequestInput> read_input(const InputFlag& flag, const std::optional<std::string>& datatype);

struct EncodedRequest {
  std::string body;
  std::optional<size_t> json_length;  // set when binary tensors follow the JSON: Inference-Header-Content-Length
  std::string content_type;
};

// The request body. `outputs` names the outputs to return (empty: all); `binary_outputs` asks for them as binary
// tensors; `parameters` is an object of request parameters.
EncodedRequest encode_infer_request(const std::vector<RequestInput>& inputs, const std::vector<std::string>& outputs,
                                    bool binary_outputs, const nlohmann::json& parameters);

}  // namespace maas::cli
