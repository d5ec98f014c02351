// The job kind "artifacts.verify": re-hash every blob of the artifact store and report the corrupt ones, and the
// blobs versions reference that are missing. Progress is blobs done of all; the checkpoint is the last digest
// done, so a requeued or retried run carries on from there; it stops between blobs when cancelled.
//
// The kind (maasd's half) snapshots the digests versions reference when the job is submitted; the executor
// (maas-job's half, linked into maas-job: it needs only SHA-256 and the filesystem) reads the blob files
// directly, never opening the store (which would remove uploads in progress).
//
// Thread-safety: the kind's functions may be called from any thread; the executor runs on one.
#pragma once

#include <filesystem>
#include <functional>
#include <set>
#include <string>

#include "common/status.h"
#include "jobs/executor.h"
#include "jobs/job_kind.h"

namespace maas::artifacts {

inline constexpr const char* kVerifyJobKind = "artifacts.verify";

// `root`: the artifact store's directory; `referenced`: the digests versions reference now.
jobs::JobKind verify_job_kind(std::filesystem::path root, std::function<Result<std::set<std::string>>()> referenced);

// Params {"artifacts_dir", "expected": [digest...]}; result {"checked", "bytes", "corrupt": [...], "missing":
// [...], "ok"}.
Status verify_artifacts(jobs::JobContext& context);

}  // namespace maas::artifacts
