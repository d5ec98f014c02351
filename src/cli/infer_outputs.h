// What `maas infer` prints: the server's response with any binary outputs decoded into "data" arrays, and the
// table of outputs with their values summarised the way numpy prints a large array.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"

namespace maas::cli {

// Decodes an inference response body. With `json_length` (the Inference-Header-Content-Length), the body is that
// much JSON and then the binary outputs, in order; each becomes a flat "data" array as a JSON output has, and
// loses its binary_data_size. FP32 and FP16 values are written with the fewest digits that give the same float
// back. INTERNAL for a body that is not JSON or whose binary part does not match its outputs.
Result<nlohmann::json> decode_infer_response(std::string_view body, std::optional<uint64_t> json_length);

// One output's values in nested brackets by its shape, e.g. "[[0.1, 0.9], [0.7, 0.3]]". Above 12 elements each
// dimension longer than 6 shows its first and last 3 entries around "...". A shape that does not match the data
// count shows the data flat.
std::string tensor_values_text(const nlohmann::json& data, const nlohmann::json& shape);

// NAME, DATATYPE, SHAPE, VALUES: one row per output of a decoded response.
std::string render_infer_outputs_table(const nlohmann::json& response);

}  // namespace maas::cli
