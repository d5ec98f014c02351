// The web console at /ui/: its built files served by maasd itself (same origin as the API), with caching,
// precompressed gzip, a fallback to index.html for the app's own routes, and security headers. The files are
// public: the app holds no data, and every API call it makes carries the user's key.
// The routes hold the bundle (immutable after start) and may be served from every I/O thread.
#pragma once

#include <filesystem>

#include "common/status.h"
#include "http/router.h"

namespace maas::console {

struct ConsoleOptions {
  bool enabled = true;
  std::filesystem::path dir;  // empty: share/maas/console beside the directory maasd's binary is in
};

// Adds GET / (a redirect to /ui/), /ui and /ui/{path...}. A console that was not built (no index.html where the
// default says) is a warning and /ui/ says how to build it; a console.dir that was set but holds no build is an
// error, for maasd to refuse to start with.
Status add_console_routes(http::Router& router, const ConsoleOptions& options);

}  // namespace maas::console
