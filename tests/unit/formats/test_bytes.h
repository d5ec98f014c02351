// Byte-string builders for the format tests (little-endian values, protobuf fields, zip archives) and a helper
// that writes them to a temporary file, so every format can be exercised without python or model files.
#pragma once

#include <gtest/gtest.h>

#include <bit>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace maas::formats::testing {

// Appends little-endian values to a string.
class Bytes {
 public:
  template <typename T>
  Bytes& le(T value) {
    auto bits = std::bit_cast<std::conditional_t<
        sizeof(T) == 8, uint64_t,
        std::conditional_t<sizeof(T) == 4, uint32_t, std::conditional_t<sizeof(T) == 2, uint16_t, uint8_t>>>>(value);
    for (size_t i = 0; i < sizeof(T); ++i) data_ += static_cast<char>((bits >> (8 * i)) & 0xff);
    return *this;
  }
  Bytes& u8(uint8_t v) { return le(v); }
  Bytes& u16(uint16_t v) { return le(v); }
  Bytes& u32(uint32_t v) { return le(v); }
  Bytes& u64(uint64_t v) { return le(v); }
  Bytes& i32(int32_t v) { return le(v); }
  Bytes& f32(float v) { return le(v); }
  Bytes& raw(std::string_view bytes) {
    data_ += bytes;
    return *this;
  }
  Bytes& zeros(size_t count) {
    data_.append(count, '\0');
    return *this;
  }
  // A u64 length followed by the bytes (GGUF and dmlc strings).
  Bytes& string64(std::string_view text) { return u64(text.size()).raw(text); }
  const std::string& str() const { return data_; }
  size_t size() const { return data_.size(); }

 private:
  std::string data_;
};

// Protocol buffers wire format.
namespace pb {
inline std::string varint(uint64_t value) {
  std::string out;
  do {
    uint8_t byte = value & 0x7f;
    value >>= 7;
    out += static_cast<char>(byte | (value ? 0x80 : 0));
  } while (value);
  return out;
}
inline std::string field_varint(uint32_t number, uint64_t value) { return varint(number << 3 | 0) + varint(value); }
inline std::string field_bytes(uint32_t number, std::string_view payload) {
  return varint(number << 3 | 2) + varint(payload.size()) + std::string(payload);
}
}  // namespace pb

// One file of a zip archive; `method` 0 stores `data` as is, 8 means `data` is already raw deflate output of
// `uncompressed_size` bytes.
struct ZipFile {
  std::string name;
  std::string data;
  uint16_t method = 0;
  uint64_t uncompressed_size = 0;  // for method 8
};

// A zip archive as PyTorch writes it: local headers with the sizes, a central directory, and (when `zip64`) the
// zip64 end record and locator before the classic end record. CRCs are left zero; no reader here checks them.
inline std::string make_zip(const std::vector<ZipFile>& files, bool zip64 = false) {
  Bytes out;
  std::vector<uint64_t> offsets;
  for (const auto& file : files) {
    offsets.push_back(out.size());
    uint64_t uncompressed = file.method == 0 ? file.data.size() : file.uncompressed_size;
    out.u32(0x04034b50).u16(20).u16(0).u16(file.method).u16(0).u16(0).u32(0);
    out.u32(static_cast<uint32_t>(file.data.size())).u32(static_cast<uint32_t>(uncompressed));
    out.u16(static_cast<uint16_t>(file.name.size())).u16(0).raw(file.name).raw(file.data);
  }
  uint64_t directory_at = out.size();
  for (size_t i = 0; i < files.size(); ++i) {
    const auto& file = files[i];
    uint64_t uncompressed = file.method == 0 ? file.data.size() : file.uncompressed_size;
    out.u32(0x02014b50).u16(20).u16(20).u16(0).u16(file.method).u16(0).u16(0).u32(0);
    out.u32(static_cast<uint32_t>(file.data.size())).u32(static_cast<uint32_t>(uncompressed));
    out.u16(static_cast<uint16_t>(file.name.size())).u16(0).u16(0).u16(0).u16(0).u32(0);
    out.u32(static_cast<uint32_t>(offsets[i])).raw(file.name);
  }
  uint64_t directory_size = out.size() - directory_at;
  if (zip64) {
    uint64_t record_at = out.size();
    out.u32(0x06064b50).u64(44).u16(45).u16(45).u32(0).u32(0);
    out.u64(files.size()).u64(files.size()).u64(directory_size).u64(directory_at);
    out.u32(0x07064b50).u32(0).u64(record_at).u32(1);
  }
  out.u32(0x06054b50).u16(0).u16(0).u16(static_cast<uint16_t>(files.size())).u16(static_cast<uint16_t>(files.size()));
  out.u32(static_cast<uint32_t>(directory_size)).u32(static_cast<uint32_t>(directory_at)).u16(0);
  return out.str();
}

// Writes `content` to a fresh file under the test temp directory and returns its path.
inline std::filesystem::path write_temp(std::string_view name, std::string_view content) {
  auto dir = std::filesystem::path(::testing::TempDir()) / "formats_test";
  std::filesystem::create_directories(dir);
  auto path = dir / name;
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
  return path;
}

// Success when `result` failed with `code` and a message containing `phrase`; the message is shown otherwise.
template <typename ResultOrStatus>
::testing::AssertionResult failed_with(const ResultOrStatus& result, std::string_view phrase,
                                       StatusCode code = StatusCode::kInvalidArgument) {
  Status status;
  if constexpr (std::is_same_v<ResultOrStatus, Status>) {
    status = result;
  } else {
    status = result.status();
  }
  if (status.ok()) return ::testing::AssertionFailure() << "succeeded; expected an error containing: " << phrase;
  if (status.code() != code || status.message().find(phrase) == std::string::npos) {
    return ::testing::AssertionFailure() << "got " << status.to_string() << "; expected " << status_code_name(code)
                                         << " containing: " << phrase;
  }
  return ::testing::AssertionSuccess();
}

}  // namespace maas::formats::testing
