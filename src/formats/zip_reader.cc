// Zip archive structures (APPNOTE.TXT 4.3): end-of-central-directory records, central-directory entries with their
// zip64 extra field, local headers, and decoding of stored and (with zlib) deflated entries.
#include "formats/zip_reader.h"

#include <algorithm>
#include <cstring>
#include <vector>

#ifdef MAAS_FORMATS_HAVE_ZLIB
#include <zlib.h>
#endif

#include "formats/inspectors.h"

namespace maas::formats {
namespace {

constexpr uint32_t kLocalHeaderSignature = 0x04034b50;
constexpr uint32_t kCentralHeaderSignature = 0x02014b50;
constexpr uint32_t kEndSignature = 0x06054b50;
constexpr uint32_t kZip64LocatorSignature = 0x07064b50;
constexpr uint32_t kZip64EndSignature = 0x06064b50;
constexpr uint64_t kEndRecordBytes = 22;
constexpr uint64_t kZip64LocatorBytes = 20;
constexpr uint64_t kZip64EndRecordBytes = 56;
constexpr uint64_t kCentralHeaderBytes = 46;
constexpr uint64_t kLocalHeaderBytes = 30;
constexpr uint16_t kZip64ExtraId = 0x0001;
constexpr uint64_t kMaxCommentBytes = 0xffff;

uint16_t u16_at(const std::string& bytes, size_t at) {
  return static_cast<uint16_t>(static_cast<unsigned char>(bytes[at]) | static_cast<unsigned char>(bytes[at + 1]) << 8);
}
uint32_t u32_at(const std::string& bytes, size_t at) {
  return static_cast<uint32_t>(u16_at(bytes, at)) | static_cast<uint32_t>(u16_at(bytes, at + 2)) << 16;
}
uint64_t u64_at(const std::string& bytes, size_t at) {
  return static_cast<uint64_t>(u32_at(bytes, at)) | static_cast<uint64_t>(u32_at(bytes, at + 4)) << 32;
}

Status read_zip64_end(FileReader& file, uint64_t locator_at, ZipDirectory& directory, uint64_t& end_at) {
  MAAS_RETURN_IF_ERROR(file.seek(locator_at));
  MAAS_ASSIGN_OR_RETURN(std::string locator, file.read_string(kZip64LocatorBytes));
  uint64_t record_at = u64_at(locator, 8);
  if (record_at > locator_at || locator_at - record_at < kZip64EndRecordBytes) {
    return invalid_argument("the zip64 end-of-central-directory locator at byte " + std::to_string(locator_at) +
                            " points at byte " + std::to_string(record_at) + ", which is not before it");
  }
  MAAS_RETURN_IF_ERROR(file.seek(record_at));
  MAAS_ASSIGN_OR_RETURN(std::string record, file.read_string(kZip64EndRecordBytes));
  if (u32_at(record, 0) != kZip64EndSignature) {
    return invalid_argument("no zip64 end-of-central-directory record at byte " + std::to_string(record_at));
  }
  if (u32_at(record, 16) != 0 || u32_at(record, 20) != 0) {
    return invalid_argument("multi-disk zip archives are not supported");
  }
  directory.zip64 = true;
  directory.entry_count = u64_at(record, 32);
  directory.size = u64_at(record, 40);
  directory.offset = u64_at(record, 48);
  end_at = record_at;
  return {};
}

// Fills in the zip64 values of an entry whose 32-bit fields hold 0xffffffff, from its extra field.
Status apply_zip64_extra(const std::string& extra, ZipEntry& entry, bool need_uncompressed, bool need_compressed,
                         bool need_offset) {
  size_t at = 0;
  while (at + 4 <= extra.size()) {
    uint16_t id = u16_at(extra, at);
    uint16_t length = u16_at(extra, at + 2);
    if (at + 4 + length > extra.size()) break;
    if (id == kZip64ExtraId) {
      size_t field = at + 4;
      size_t end = field + length;
      auto take = [&](bool needed, uint64_t& out) -> bool {
        if (!needed) return true;
        if (field + 8 > end) return false;
        out = u64_at(extra, field);
        field += 8;
        return true;
      };
      if (take(need_uncompressed, entry.uncompressed_size) && take(need_compressed, entry.compressed_size) &&
          take(need_offset, entry.local_header_offset)) {
        return {};
      }
      break;
    }
    at += 4 + length;
  }
  return invalid_argument("entry " + in_quotes(entry.name) +
                          " needs zip64 sizes but its zip64 extra field is missing " + "or too short");
}

#ifdef MAAS_FORMATS_HAVE_ZLIB
Result<std::string> inflate_entry(FileReader& file, const ZipEntry& entry, uint64_t max_bytes) {
  z_stream stream{};
  // Negative window bits: a raw deflate stream, as zip stores it.
  if (inflateInit2(&stream, -MAX_WBITS) != Z_OK) return internal_error("cannot initialise zlib");
  std::string out;
  std::vector<char> input(size_t{64} << 10);
  std::vector<char> output(size_t{64} << 10);
  uint64_t left = entry.compressed_size;
  int rc = Z_OK;
  while (rc != Z_STREAM_END && out.size() < max_bytes) {
    if (stream.avail_in == 0) {
      size_t n = static_cast<size_t>(std::min<uint64_t>(input.size(), left));
      if (n == 0) break;
      Status status = file.read(input.data(), n);
      if (!status.ok()) {
        inflateEnd(&stream);
        return status;
      }
      left -= n;
      stream.next_in = reinterpret_cast<Bytef*>(input.data());
      stream.avail_in = static_cast<uInt>(n);
    }
    stream.next_out = reinterpret_cast<Bytef*>(output.data());
    stream.avail_out = static_cast<uInt>(output.size());
    rc = inflate(&stream, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END) {
      inflateEnd(&stream);
      return invalid_argument("entry " + in_quotes(entry.name) + " is not valid deflate data");
    }
    out.append(output.data(), output.size() - stream.avail_out);
  }
  inflateEnd(&stream);
  if (out.size() > max_bytes) out.resize(static_cast<size_t>(max_bytes));
  return out;
}
#endif

}  // namespace

Result<ZipDirectory> read_zip_directory(FileReader& file) {
  uint64_t tail_bytes = std::min<uint64_t>(file.size(), kEndRecordBytes + kMaxCommentBytes);
  uint64_t tail_at = file.size() - tail_bytes;
  MAAS_RETURN_IF_ERROR(file.seek(tail_at));
  MAAS_ASSIGN_OR_RETURN(std::string tail, file.read_string(tail_bytes));
  // Search backwards: the record is last, followed only by a comment whose length it states.
  std::optional<uint64_t> found;
  for (size_t i = tail.size() >= kEndRecordBytes ? tail.size() - kEndRecordBytes + 1 : 0; i-- > 0;) {
    if (u32_at(tail, i) == kEndSignature && i + kEndRecordBytes + u16_at(tail, i + 20) <= tail.size()) {
      found = i;
      break;
    }
  }
  if (!found) {
    return invalid_argument(
        "no end-of-central-directory record: the zip archive is truncated, or this is not a zip archive");
  }
  size_t at = static_cast<size_t>(*found);
  uint64_t end_at = tail_at + at;
  ZipDirectory directory;
  if (u16_at(tail, at + 4) != 0 || u16_at(tail, at + 6) != 0) {
    return invalid_argument("multi-disk zip archives are not supported");
  }
  directory.entry_count = u16_at(tail, at + 10);
  directory.size = u32_at(tail, at + 12);
  directory.offset = u32_at(tail, at + 16);
  // PyTorch writes the zip64 records whatever the archive's size; other writers only when a field overflows.
  if (end_at >= kZip64LocatorBytes) {
    MAAS_RETURN_IF_ERROR(file.seek(end_at - kZip64LocatorBytes));
    MAAS_ASSIGN_OR_RETURN(uint32_t signature, file.read_le<uint32_t>());
    if (signature == kZip64LocatorSignature) {
      MAAS_RETURN_IF_ERROR(read_zip64_end(file, end_at - kZip64LocatorBytes, directory, end_at));
    }
  }
  if (directory.offset > end_at || directory.size > end_at - directory.offset) {
    return invalid_argument("the central directory (" + std::to_string(directory.size) + " bytes at byte " +
                            std::to_string(directory.offset) + ") does not end before its end record at byte " +
                            std::to_string(end_at) + "; the archive is truncated or corrupt");
  }
  if (directory.entry_count > directory.size / kCentralHeaderBytes) {
    return invalid_argument("the central directory claims " + std::to_string(directory.entry_count) +
                            " entries but has only " + std::to_string(directory.size) + " bytes");
  }
  return directory;
}

Status for_each_zip_entry(FileReader& file, const ZipDirectory& directory,
                          const std::function<Status(const ZipEntry&)>& visit) {
  uint64_t end = directory.offset + directory.size;
  uint64_t at = directory.offset;
  for (uint64_t i = 0; i < directory.entry_count; ++i) {
    std::string where = "central directory entry #" + std::to_string(i) + " at byte " + std::to_string(at);
    if (end - at < kCentralHeaderBytes) return invalid_argument(where + " runs past the end of the directory");
    MAAS_RETURN_IF_ERROR(file.seek(at));
    MAAS_ASSIGN_OR_RETURN(std::string header, file.read_string(kCentralHeaderBytes));
    if (u32_at(header, 0) != kCentralHeaderSignature) return invalid_argument(where + " has a bad signature");
    uint64_t variable = uint64_t{u16_at(header, 28)} + u16_at(header, 30) + u16_at(header, 32);
    if (end - at - kCentralHeaderBytes < variable)
      return invalid_argument(where + " runs past the end of the directory");
    ZipEntry entry;
    entry.method = u16_at(header, 10);
    entry.compressed_size = u32_at(header, 20);
    entry.uncompressed_size = u32_at(header, 24);
    entry.local_header_offset = u32_at(header, 42);
    MAAS_ASSIGN_OR_RETURN(entry.name, file.read_string(u16_at(header, 28)));
    MAAS_ASSIGN_OR_RETURN(std::string extra, file.read_string(u16_at(header, 30)));
    bool need_uncompressed = entry.uncompressed_size == 0xffffffff;
    bool need_compressed = entry.compressed_size == 0xffffffff;
    bool need_offset = entry.local_header_offset == 0xffffffff;
    if (need_uncompressed || need_compressed || need_offset) {
      MAAS_RETURN_IF_ERROR(apply_zip64_extra(extra, entry, need_uncompressed, need_compressed, need_offset));
    }
    // A local header of at least 30 bytes plus the data must fit before the central directory.
    if (entry.local_header_offset > directory.offset ||
        directory.offset - entry.local_header_offset < kLocalHeaderBytes ||
        entry.compressed_size > directory.offset - entry.local_header_offset - kLocalHeaderBytes) {
      return invalid_argument("entry " + in_quotes(entry.name) + " (" + std::to_string(entry.compressed_size) +
                              " bytes, local header at byte " + std::to_string(entry.local_header_offset) +
                              ") does not lie before the central directory at byte " +
                              std::to_string(directory.offset) + "; the archive is truncated or corrupt");
    }
    MAAS_RETURN_IF_ERROR(visit(entry));
    at += kCentralHeaderBytes + variable;
  }
  return {};
}

bool can_read_zip_method(uint16_t method) {
#ifdef MAAS_FORMATS_HAVE_ZLIB
  return method == 0 || method == 8;
#else
  return method == 0;
#endif
}

Result<std::string> read_zip_entry(FileReader& file, const ZipEntry& entry, uint64_t max_bytes) {
  MAAS_RETURN_IF_ERROR(file.seek(entry.local_header_offset));
  MAAS_ASSIGN_OR_RETURN(std::string header, file.read_string(kLocalHeaderBytes));
  if (u32_at(header, 0) != kLocalHeaderSignature) {
    return invalid_argument("entry " + in_quotes(entry.name) + " has no local header at byte " +
                            std::to_string(entry.local_header_offset));
  }
  // Sizes come from the central directory: PyTorch writes zeros in the local header and a data descriptor after.
  MAAS_RETURN_IF_ERROR(file.skip(uint64_t{u16_at(header, 26)} + u16_at(header, 28)));
  MAAS_RETURN_IF_ERROR(
      with_context(file.check_remaining(entry.compressed_size), "entry " + in_quotes(entry.name) + " is truncated"));
  if (entry.method == 0) {
    if (entry.compressed_size != entry.uncompressed_size) {
      return invalid_argument("stored entry " + in_quotes(entry.name) +
                              " has different compressed and uncompressed sizes");
    }
    return file.read_string(std::min(entry.compressed_size, max_bytes));
  }
#ifdef MAAS_FORMATS_HAVE_ZLIB
  if (entry.method == 8) return inflate_entry(file, entry, max_bytes);
#endif
  return failed_precondition("entry " + in_quotes(entry.name) + " uses compression method " +
                             std::to_string(entry.method) + ", which cannot be read here");
}

}  // namespace maas::formats
