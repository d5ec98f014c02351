// NumPy .npy files (format versions 1, 2 and 3) read as Open Inference Protocol tensors: the header's dtype, order
// and shape, and where the element bytes lie. Nothing is converted: the bytes are sent as the file holds them,
// so only little-endian (or one-byte) dtypes with a v2 datatype are accepted.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace maas::cli {

// The dictionary that a .npy header holds, e.g. `{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }`.
struct NpyHeader {
  std::string descr;
  bool fortran_order = false;
  std::vector<int64_t> shape;
};

// Parses the header dictionary, a Python literal. INVALID_ARGUMENT for a malformed literal, a missing or unknown
// key, a structured dtype (a list as descr) or a negative dimension.
Result<NpyHeader> parse_npy_header(std::string_view text);

struct NpyDatatype {
  std::string_view datatype;  // "FP32"
  size_t element_size = 0;
};

// "<f4" -> {"FP32", 4}; nullopt for a dtype with no v2 datatype or not little-endian.
std::optional<NpyDatatype> npy_datatype(std::string_view descr);

struct NpyArray {
  std::string datatype;
  std::vector<int64_t> shape;
  std::string_view data;  // the element bytes, C order: a view into the bytes given to parse_npy
};

// Reads a whole .npy file. INVALID_ARGUMENT, saying what is wrong, for a bad magic or version, a malformed
// header, Fortran order, a dtype without a v2 datatype, or data whose size does not match the shape.
Result<NpyArray> parse_npy(std::string_view file);

// True when `bytes` start with the .npy magic string.
bool has_npy_magic(std::string_view bytes);

}  // namespace maas::cli
