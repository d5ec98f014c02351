#include "logs/block_format.h"

#include <zlib.h>
#include <zstd.h>

#include <algorithm>
#include <charconv>
#include <cstring>

namespace maas::logs {
namespace {

// zstd's skippable frames take magics 0x184D2A50..0x184D2A5F; maas block headers use the last.
constexpr uint32_t kHeaderMagic = 0x184D2A5F;
constexpr uint32_t kFormatVersion = 1;

void put_u32(std::string* out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out->push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}
void put_u64(std::string* out, uint64_t v) {
  for (int i = 0; i < 8; ++i) out->push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}
uint64_t get_le(std::string_view s, size_t at, int bytes) {
  uint64_t v = 0;
  for (int i = bytes - 1; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(s[at + static_cast<size_t>(i)]);
  return v;
}

// One zstd context of each kind per thread, reused across blocks (creating one costs more than a small block).
template <typename Ctx, Ctx* (*Create)(), size_t (*Free)(Ctx*)>
Ctx* thread_context() {
  struct Holder {
    Ctx* ctx = Create();
    ~Holder() { Free(ctx); }
  };
  thread_local Holder holder;
  return holder.ctx;
}

ZSTD_CCtx* thread_cctx() { return thread_context<ZSTD_CCtx, ZSTD_createCCtx, ZSTD_freeCCtx>(); }
ZSTD_DCtx* thread_dctx() { return thread_context<ZSTD_DCtx, ZSTD_createDCtx, ZSTD_freeDCtx>(); }

void append_block(const BlockHeader& h, std::string_view frame, std::string* out) {
  std::string body;
  put_u32(&body, kFormatVersion);
  put_u64(&body, static_cast<uint64_t>(h.min_ts));
  put_u64(&body, static_cast<uint64_t>(h.max_ts));
  put_u32(&body, h.entries);
  put_u32(&body, h.raw_bytes);
  put_u32(&body, h.frame_bytes);
  put_u32(&body, h.frame_crc);
  put_u32(&body, static_cast<uint32_t>(h.labels.size()));
  body += h.labels;
  put_u32(out, kHeaderMagic);
  put_u32(out, static_cast<uint32_t>(body.size()));
  *out += body;
  *out += frame;
}

BlockHeader compress_into(std::string labels, std::string_view raw, int64_t min_ts, int64_t max_ts, uint32_t entries,
                          int zstd_level, std::string* out) {
  std::string frame(ZSTD_compressBound(raw.size()), '\0');
  size_t n = ZSTD_compressCCtx(thread_cctx(), frame.data(), frame.size(), raw.data(), raw.size(), zstd_level);
  frame.resize(ZSTD_isError(n) ? 0 : n);  // cannot fail with a bound-sized buffer
  BlockHeader h;
  h.labels = std::move(labels);
  h.min_ts = min_ts;
  h.max_ts = max_ts;
  h.entries = entries;
  h.raw_bytes = static_cast<uint32_t>(raw.size());
  h.frame_bytes = static_cast<uint32_t>(frame.size());
  h.frame_crc = static_cast<uint32_t>(
      crc32(0, reinterpret_cast<const Bytef*>(frame.data()), static_cast<uInt>(frame.size())));
  append_block(h, frame, out);
  return h;
}

}  // namespace

bool take_number(std::string_view* text, int64_t* value) {
  auto [ptr, ec] = std::from_chars(text->data(), text->data() + text->size(), *value);
  if (ec != std::errc() || ptr == text->data() + text->size() || *ptr != ' ') return false;
  text->remove_prefix(static_cast<size_t>(ptr - text->data()) + 1);
  return true;
}

BlockHeader encode_block(const LabelSet& labels, const Entry* entries, size_t count, int zstd_level, std::string* out) {
  std::string raw;
  int64_t min_ts = INT64_MAX, max_ts = INT64_MIN;
  for (size_t i = 0; i < count; ++i) {
    char buf[48];
    auto ts_end = std::to_chars(buf, buf + 24, entries[i].ts_ns).ptr;
    *ts_end++ = ' ';
    auto len_end = std::to_chars(ts_end, buf + sizeof(buf), entries[i].line.size()).ptr;
    *len_end++ = ' ';
    raw.append(buf, len_end);
    raw += entries[i].line;
    raw.push_back('\n');
    min_ts = std::min(min_ts, entries[i].ts_ns);
    max_ts = std::max(max_ts, entries[i].ts_ns);
  }
  return compress_into(labels.text(), raw, min_ts, max_ts, static_cast<uint32_t>(count), zstd_level, out);
}

Result<uint32_t> header_frame_size(std::string_view prefix) {
  if (prefix.size() < kHeaderPrefixBytes || get_le(prefix, 0, 4) != kHeaderMagic) {
    return internal_error("not a maas log block header");
  }
  auto size = static_cast<uint32_t>(get_le(prefix, 4, 4));
  if (size < 40 || size > kMaxHeaderFrameBytes) return internal_error("a log block header has a bad size");
  return size;
}

Result<BlockHeader> decode_header(std::string_view body) {
  if (body.size() < 40 || get_le(body, 0, 4) != kFormatVersion) {
    return internal_error("a log block header has an unknown format");
  }
  BlockHeader h;
  h.min_ts = static_cast<int64_t>(get_le(body, 4, 8));
  h.max_ts = static_cast<int64_t>(get_le(body, 12, 8));
  h.entries = static_cast<uint32_t>(get_le(body, 20, 4));
  h.raw_bytes = static_cast<uint32_t>(get_le(body, 24, 4));
  h.frame_bytes = static_cast<uint32_t>(get_le(body, 28, 4));
  h.frame_crc = static_cast<uint32_t>(get_le(body, 32, 4));
  auto labels_len = get_le(body, 36, 4);
  if (40 + labels_len != body.size()) return internal_error("a log block header is truncated");
  h.labels = std::string(body.substr(40));
  return h;
}

Result<std::string> decompress_frame(std::string_view frame, const BlockHeader& header) {
  auto crc = static_cast<uint32_t>(crc32(0, reinterpret_cast<const Bytef*>(frame.data()), static_cast<uInt>(frame.size())));
  if (frame.size() != header.frame_bytes || crc != header.frame_crc) {
    return internal_error("a log block fails its checksum");
  }
  std::string raw(header.raw_bytes, '\0');
  size_t n = ZSTD_decompressDCtx(thread_dctx(), raw.data(), raw.size(), frame.data(), frame.size());
  if (ZSTD_isError(n) || n != raw.size()) return internal_error("a log block does not decompress");
  return raw;
}

Result<std::string> recompress_block(const BlockHeader& header, std::string_view frame, int zstd_level) {
  MAAS_ASSIGN_OR_RETURN(std::string raw, decompress_frame(frame, header));
  std::string out;
  compress_into(header.labels, raw, header.min_ts, header.max_ts, header.entries, zstd_level, &out);
  return out;
}

}  // namespace maas::logs
