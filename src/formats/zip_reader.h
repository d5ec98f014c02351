// Reads a zip archive from its end: the end-of-central-directory record (zip64 too), the central directory entry by
// entry, and single entries (stored, or deflated when zlib is available), never the archive as a whole.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "common/status.h"
#include "formats/file_reader.h"

namespace maas::formats {

// One central-directory entry. Sizes and the offset are the zip64 values when the archive uses them.
struct ZipEntry {
  std::string name;
  uint16_t method = 0;  // 0: stored, 8: deflated
  uint64_t compressed_size = 0;
  uint64_t uncompressed_size = 0;
  uint64_t local_header_offset = 0;
};

// Where the central directory is, from the end-of-central-directory record.
struct ZipDirectory {
  uint64_t entry_count = 0;
  uint64_t offset = 0;
  uint64_t size = 0;
  bool zip64 = false;
};

// Finds the end-of-central-directory record in the last 64 KiB of the file, following the zip64 locator when
// there is one, and checks that the directory it points at lies inside the file. INVALID_ARGUMENT when there is
// no such record: the archive is truncated or not a zip at all.
Result<ZipDirectory> read_zip_directory(FileReader& file);

// Calls `visit` for each central-directory entry in order, after checking that the entry's header and its data
// (by the local header offset and compressed size) lie inside the file. Stops at the first error, its own or
// `visit`'s.
Status for_each_zip_entry(FileReader& file, const ZipDirectory& directory,
                          const std::function<Status(const ZipEntry&)>& visit);

// Whether read_zip_entry can decode entries compressed with `method`.
bool can_read_zip_method(uint16_t method);

// Up to the first `max_bytes` of an entry's uncompressed content (all of it when it is shorter).
Result<std::string> read_zip_entry(FileReader& file, const ZipEntry& entry, uint64_t max_bytes);

}  // namespace maas::formats
