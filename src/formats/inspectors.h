// The per-format entry points behind inspect_artifact, and the message helpers they share. Internal to src/formats.
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"
#include "formats/file_reader.h"
#include "formats/format.h"

namespace maas::formats {

// Each validates the file behind `file` (positioned anywhere) as an artifact of one framework and describes it.
// A malformed file is INVALID_ARGUMENT with a message that starts with the format's name ("gguf: ...").
Result<ArtifactInfo> inspect_gguf(FileReader& file);
Result<ArtifactInfo> inspect_onnx(FileReader& file);
Result<ArtifactInfo> inspect_xgboost(FileReader& file);
Result<ArtifactInfo> inspect_torchscript(FileReader& file);
Result<ArtifactInfo> inspect_maas_graph(FileReader& file);

// Whether a file that starts with `head` (its first bytes, up to 64) looks like each format.
bool looks_like_gguf(std::string_view head);
bool looks_like_onnx(std::string_view head);
bool looks_like_xgboost(std::string_view head);
bool looks_like_torchscript(std::string_view head);
bool looks_like_maas_graph(std::string_view head);

// `status` with "prefix: " put before its message; the code is kept. OK stays OK.
Status with_context(const Status& status, std::string_view prefix);
template <typename T>
Result<T> with_context(Result<T> result, std::string_view prefix) {
  if (result.ok()) return result;
  return with_context(result.status(), prefix);
}
// `text` in single quotes for a message, non-printable bytes as \xNN, cut to `max_chars` with "...".
std::string in_quotes(std::string_view text, size_t max_chars = 80);

}  // namespace maas::formats
