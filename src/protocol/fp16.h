// IEEE 754 half precision (binary16), which FP16 tensors hold as raw 16-bit patterns.
#pragma once

#include <cstdint>

namespace maas::protocol {

// The half nearest to `value`, ties to even; ±infinity beyond the half range (|value| >= 65520), a quiet NaN
// for NaN. Converting from double (not float) keeps a JSON number to one rounding after the decimal parse.
uint16_t fp16_from_double(double value);

// The exact float value of a half.
float fp16_to_float(uint16_t half);

inline bool fp16_is_finite(uint16_t half) { return (half & 0x7c00) != 0x7c00; }

}  // namespace maas::protocol
