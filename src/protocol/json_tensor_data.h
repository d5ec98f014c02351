// Reads the "data" of a JSON request input into tensor bytes: a flat, or a nested, row-major array, checked
// element by element against the shape and the datatype and written straight into a buffer sized from the shape.
#pragma once

#include <simdjson.h>

#include <cstdint>
#include <span>
#include <string_view>

#include "common/status.h"
#include "runtime/tensor.h"

namespace maas::protocol {

// `element_count` is the product of `shape`; the caller has checked that the JSON is large enough to hold that
// many elements, so the buffer allocated up front stays proportional to the request. INVALID_ARGUMENT, naming
// `input_name`, on the first element or dimension that does not fit.
Result<runtime::Buffer> read_json_tensor_data(simdjson::ondemand::value data, std::string_view input_name,
                                              runtime::DataType datatype, std::span<const int64_t> shape,
                                              size_t element_count);

// The message for a simdjson error met while reading a request.
Status malformed_json(simdjson::error_code error);

}  // namespace maas::protocol
