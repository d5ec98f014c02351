#include "console/console_routes.h"

#include <spdlog/spdlog.h>

#include <memory>
#include <optional>

#include "console/asset_bundle.h"

namespace maas::console {
namespace {

using http::Request;
using http::Response;
using Awaitable = boost::asio::awaitable<Response>;

// No inline script may run, nothing may frame the console, and it talks only to its own origin. Styles set through
// the DOM (uPlot's, Preact's) are not inline styles to CSP.
constexpr const char* kContentSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; "
    "font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

void add_security_headers(Response& r) {
  r.headers.emplace_back("Content-Security-Policy", kContentSecurityPolicy);
  r.headers.emplace_back("X-Content-Type-Options", "nosniff");
  r.headers.emplace_back("X-Frame-Options", "DENY");
  r.headers.emplace_back("Referrer-Policy", "no-referrer");
  r.headers.emplace_back("Cross-Origin-Opener-Policy", "same-origin");
}

Response redirect(std::string location) {
  Response r;
  r.status = 302;
  r.content_type.clear();
  r.headers.emplace_back("Location", std::move(location));
  return r;
}

Response plain(int status, std::string text) {
  Response r;
  r.status = status;
  r.content_type = "text/plain; charset=utf-8";
  r.body = std::move(text);
  r.headers.emplace_back("Cache-Control", "no-cache");
  add_security_headers(r);
  return r;
}

// Whether the client takes gzip: named in Accept-Encoding (or "*") without q=0.
bool accepts_gzip(const Request& req) {
  auto header = req.header("accept-encoding");
  if (!header) return false;
  std::string_view rest = *header;
  while (!rest.empty()) {
    size_t comma = rest.find(',');
    std::string_view item = rest.substr(0, comma);
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    size_t semicolon = item.find(';');
    std::string_view coding = item.substr(0, semicolon);
    while (!coding.empty() && coding.front() == ' ') coding.remove_prefix(1);
    while (!coding.empty() && coding.back() == ' ') coding.remove_suffix(1);
    if (coding != "gzip" && coding != "*") continue;
    if (semicolon == std::string_view::npos) return true;
    std::string_view params = item.substr(semicolon + 1);
    std::string compact;
    for (char c : params) {
      if (c != ' ') compact += c;
    }
    // q=0, q=0.0, q=0.000: refused.
    return !(compact.starts_with("q=0") && compact.find_first_not_of("0.", 2) == std::string::npos);
  }
  return false;
}

bool etag_matches(const Request& req, const std::string& etag) {
  auto header = req.header("if-none-match");
  if (!header) return false;
  if (*header == "*") return true;
  // A list of validators; the weak form of ours matches too (a proxy may have weakened it when it compressed).
  return header->find(etag) != std::string::npos;
}

Response serve(const Request& req, const Asset& asset) {
  Response r;
  r.content_type = asset.content_type;
  r.headers.emplace_back("ETag", asset.etag);
  r.headers.emplace_back("Cache-Control", asset.immutable ? "public, max-age=31536000, immutable" : "no-cache");
  r.headers.emplace_back("Vary", "Accept-Encoding");
  add_security_headers(r);
  if (etag_matches(req, asset.etag)) {
    r.status = 304;
    r.content_type.clear();
    return r;
  }
  if (!asset.gzip.empty() && accepts_gzip(req)) {
    r.headers.emplace_back("Content-Encoding", "gzip");
    r.body = asset.gzip;
  } else {
    r.body = asset.body;
  }
  return r;
}

// A path under /ui/ that may name a file: '/'-separated names without "." or "..", backslashes or control
// characters. Anything else is not a file of the build (and is not an app route either).
bool is_clean(std::string_view path) {
  size_t start = 0;
  while (start <= path.size()) {
    size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) slash = path.size();
    std::string_view segment = path.substr(start, slash - start);
    if (segment == "." || segment == "..") return false;
    start = slash + 1;
  }
  for (unsigned char c : path) {
    if (c < 0x20 || c == 0x7f || c == '\\') return false;
  }
  return true;
}

// An app route ("models/iris", "logs") rather than a file: its last segment has no extension.
bool is_app_route(std::string_view path) {
  size_t slash = path.rfind('/');
  std::string_view last = slash == std::string_view::npos ? path : path.substr(slash + 1);
  return last.find('.') == std::string_view::npos;
}

std::filesystem::path default_dir() {
  std::error_code ec;
  auto exe = std::filesystem::canonical("/proc/self/exe", ec);
  if (ec) return "share/maas/console";
  return exe.parent_path().parent_path() / "share" / "maas" / "console";
}

}  // namespace

Status add_console_routes(http::Router& router, const ConsoleOptions& options) {
  if (!options.enabled) return {};
  const bool configured = !options.dir.empty();
  const std::filesystem::path dir = configured ? options.dir : default_dir();
  auto loaded = AssetBundle::load(dir);
  std::shared_ptr<const AssetBundle> bundle;
  if (loaded.ok()) {
    bundle = std::make_shared<const AssetBundle>(std::move(*loaded));
    spdlog::info("console: serving {} files from {} at /ui/", bundle->count(), dir.string());
  } else if (configured) {
    return Status(loaded.status().code(), "console.dir: " + loaded.status().message());
  } else {
    spdlog::warn("console: {}; /ui/ says how to build it", loaded.status().message());
  }

  auto root = [](Request&) -> Awaitable { co_return redirect("/ui/"); };
  router.add("GET", "/", root, http::BodyMode::kBuffered, http::Access::kPublic);
  router.add("GET", "/ui", root, http::BodyMode::kBuffered, http::Access::kPublic);
  router.add(
      "GET", "/ui/{path...}",
      [bundle, dir](Request& req) -> Awaitable {
        if (!bundle) {
          co_return plain(503, "The console was not built into " + dir.string() +
                                   ". Build it with `make build` (it needs node and console/node_modules, which "
                                   "scripts/setup.sh installs), or point console.dir at a build.\n");
        }
        const std::string& path = req.param("path");
        if (!is_clean(path)) co_return plain(404, "not found\n");
        const Asset* asset = bundle->find(path.empty() ? "index.html" : path);
        if (asset == nullptr && is_app_route(path)) asset = bundle->find("index.html");
        if (asset == nullptr) co_return plain(404, "not found\n");
        co_return serve(req, *asset);
      },
      http::BodyMode::kBuffered, http::Access::kPublic);
  return {};
}

}  // namespace maas::console
