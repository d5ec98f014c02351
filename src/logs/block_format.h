// The on-disk block of the segment engine. A segment file is a sequence of blocks, and each block is two zstd
// frames: a skippable frame (which zstd itself ignores) holding the block header — the stream's labels, time
// bounds, entry count, and the length and CRC-32 of the data frame — followed by an ordinary zstd frame of the
// entries. So every segment and every archive is a valid .zst file (`zstd -dc` prints the entries), and the
// headers alone, read by skipping data frames, rebuild the index at start.
//
// Entry text inside a data frame: "<ts_ns> <line bytes> <line>\n" per entry, the length making any byte legal.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "logs/record.h"

namespace maas::logs {

struct BlockHeader {
  std::string labels;  // canonical LabelSet text
  int64_t min_ts = 0;
  int64_t max_ts = 0;
  uint32_t entries = 0;
  uint32_t raw_bytes = 0;    // the decompressed size of the data frame
  uint32_t frame_bytes = 0;  // the compressed size of the data frame
  uint32_t frame_crc = 0;    // CRC-32 of the data frame's bytes
};

// The header frame's fixed part: magic (4) + frame size (4); the frame size bounds what follows.
constexpr size_t kHeaderPrefixBytes = 8;
constexpr uint32_t kMaxHeaderFrameBytes = 64 * 1024;

// Encodes entries (all of one stream) as one block appended to `out`; returns its header.
BlockHeader encode_block(const LabelSet& labels, const Entry* entries, size_t count, int zstd_level, std::string* out);
// The header frame's size from its 8-byte prefix; DATA_LOSS-like INTERNAL when it is not a block header.
Result<uint32_t> header_frame_size(std::string_view prefix);
// Decodes the header frame's body (what follows the 8-byte prefix).
Result<BlockHeader> decode_header(std::string_view body);
// Checks the CRC and decompresses a data frame.
Result<std::string> decompress_frame(std::string_view frame, const BlockHeader& header);
// Calls fn(ts, line) for each entry of decompressed block text; INTERNAL when malformed.
template <typename Fn>
Status for_each_entry(std::string_view raw, Fn&& fn);
// Recompresses a block at another level (archival); returns the new block bytes.
Result<std::string> recompress_block(const BlockHeader& header, std::string_view frame, int zstd_level);

// Parses a decimal number at the front of `text`, advancing it past the number and one following space.
bool take_number(std::string_view* text, int64_t* value);

template <typename Fn>
Status for_each_entry(std::string_view raw, Fn&& fn) {
  while (!raw.empty()) {
    int64_t ts = 0, len = 0;
    if (!take_number(&raw, &ts) || !take_number(&raw, &len) || len < 0 || static_cast<size_t>(len) + 1 > raw.size()) {
      return internal_error("a log block's entries are malformed");
    }
    fn(ts, raw.substr(0, static_cast<size_t>(len)));
    raw.remove_prefix(static_cast<size_t>(len) + 1);
  }
  return {};
}

}  // namespace maas::logs
