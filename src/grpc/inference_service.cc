#include "grpc/inference_service.h"

#include <spdlog/spdlog.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <chrono>
#include <nlohmann/json.hpp>

#include "common/files.h"
#include "grpc/infer_codec.h"
#include "http/dispatch.h"

namespace maas::grpc_api {
namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

struct InferenceService::Call {
  grpc::ServerUnaryReactor* reactor = nullptr;
  grpc::CallbackServerContext* ctx = nullptr;
  std::string rpc;
  Clock::time_point started;
  http::Request request;
  Reader read;
  std::atomic<bool> finished{false};
};

namespace {

// Response headers a client of the HTTP route would see that say something about the call: the gateway's choices
// (x-maas-*), rate limits, Retry-After and Server-Timing. Sent as initial metadata.
// `lower`: the header's name in lower case.
bool forwarded_header(const std::string& lower) {
  return lower.rfind("x-maas-", 0) == 0 || lower.rfind("x-ratelimit-", 0) == 0 || lower == "retry-after" ||
         lower == "server-timing";
}

// Client metadata that must not reach the route as a header: gRPC's own, binary values, and the framing of the body
// this side builds.
bool dropped_metadata(std::string_view name) {
  return name.empty() || name[0] == ':' || name.rfind("grpc-", 0) == 0 ||
         (name.size() > 4 && name.substr(name.size() - 4) == "-bin") || name == "content-type" || name == "te" ||
         name == "content-length" || name == "content-encoding" || name == "transfer-encoding" ||
         name == "inference-header-content-length";
}

std::string peer_address(const std::string& peer) {
  for (std::string_view prefix : {"ipv4:", "ipv6:", "unix:"}) {
    if (peer.rfind(prefix, 0) == 0) return peer.substr(prefix.size());
  }
  return peer;
}

// The client's deadline on maasd's clock; max() without one.
Clock::time_point latest(const grpc::CallbackServerContext& ctx) {
  auto deadline = ctx.deadline();
  auto now = std::chrono::system_clock::now();
  if (deadline >= now + std::chrono::hours(24 * 365)) return Clock::time_point::max();
  return Clock::now() + std::chrono::duration_cast<Clock::duration>(deadline - now);
}

http::Request route_request(grpc::CallbackServerContext& ctx, std::string method, std::string path, std::string body) {
  http::Request req;
  req.method = std::move(method);
  req.path = std::move(path);
  req.target = req.path;
  req.body = std::move(body);
  req.remote = peer_address(ctx.peer());
  for (const auto& [k, v] : ctx.client_metadata()) {
    std::string_view name(k.data(), k.size());
    if (dropped_metadata(name)) continue;
    req.headers.emplace_back(std::string(name), std::string(v.data(), v.size()));
  }
  req.headers.emplace_back("user-agent", "grpc");
  return req;
}

std::string model_path(const std::string& name, const std::string& version) {
  return "/v2/models/" + name + (version.empty() ? "" : "/versions/" + version);
}

// A PEM chain or key is a few KiB; this bounds what a wrong path can make maasd read.
constexpr size_t kMaxTlsFileBytes = size_t{1} << 20;

// A TLS file of the listener's, read once at start.
Status read_tls_file(const std::string& path, std::string* out) {
  auto bytes = maas::read_file(path, kMaxTlsFileBytes);
  if (!bytes.ok()) {
    return invalid_argument("cannot read " + path + " for the gRPC listener's TLS: " + bytes.status().message());
  }
  *out = std::move(*bytes);
  return {};
}

asio::awaitable<void> run(InferenceService* self, http::Server* server, std::shared_ptr<InferenceService::Call> call,
                          Clock::time_point until) {
  http::Response answer = co_await http::answer_local(*server, call->request, until);
  for (const auto& [k, v] : answer.headers) {
    std::string lower(k);
    for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (forwarded_header(lower)) call->ctx->AddInitialMetadata(lower, v);
  }
  self->finish(call, call->read(answer));
}

}  // namespace

InferenceService::InferenceService(http::Server& server, asio::io_context& loop, metrics::Registry& metrics)
    : http_(server),
      loop_(loop),
      requests_(
          metrics.counter("maas_grpc_requests_total", "gRPC calls by method and status code", {"method", "code"})),
      duration_(metrics.histogram("maas_grpc_request_duration_seconds", "gRPC call latency in maasd by method",
                                  {"method"}, metrics::latency_buckets())) {}

InferenceService::~InferenceService() { stop(); }

Status InferenceService::start(const ListenerOptions& options) {
  std::shared_ptr<grpc::ServerCredentials> credentials = grpc::InsecureServerCredentials();
  if (!options.tls_cert_file.empty()) {
    grpc::SslServerCredentialsOptions::PemKeyCertPair pair;
    MAAS_RETURN_IF_ERROR(read_tls_file(options.tls_key_file, &pair.private_key));
    MAAS_RETURN_IF_ERROR(read_tls_file(options.tls_cert_file, &pair.cert_chain));
    grpc::SslServerCredentialsOptions ssl;
    ssl.pem_key_cert_pairs.push_back(std::move(pair));
    credentials = grpc::SslServerCredentials(ssl);
  }
  const std::string host = options.host.find(':') != std::string::npos ? "[" + options.host + "]" : options.host;
  const std::string address = host + ":" + std::to_string(options.port);
  int selected = 0;
  grpc::ServerBuilder builder;
  builder.AddListeningPort(address, credentials, &selected);
  builder.SetMaxReceiveMessageSize(static_cast<int>(options.max_message_bytes));
  builder.SetMaxSendMessageSize(static_cast<int>(options.max_message_bytes));
  builder.RegisterService(this);
  server_ = builder.BuildAndStart();
  if (!server_ || selected == 0) {
    server_.reset();
    return unavailable("grpc.port: cannot listen on " + address + " (in use, or not an address of this host)");
  }
  port_ = static_cast<uint16_t>(selected);
  spdlog::info("gRPC inference listening on {}:{}", options.host, port_);
  return {};
}

void InferenceService::stop() {
  if (!server_) return;
  std::set<std::shared_ptr<Call>> left;
  {
    std::lock_guard lock(mu_);
    stopping_ = true;  // gRPC takes calls until Shutdown, and the loop that would answer them has stopped
    left = pending_;
  }
  for (const auto& call : left) {
    finish(call, grpc::Status(grpc::StatusCode::UNAVAILABLE, "maasd stopped before the call was answered"));
  }
  server_->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(2));
  server_->Wait();
  server_.reset();
}

void InferenceService::finish(const std::shared_ptr<Call>& call, const grpc::Status& status) {
  if (call->finished.exchange(true)) return;
  {
    std::lock_guard lock(mu_);
    pending_.erase(call);
  }
  requests_.with({call->rpc, std::string(grpc_code_name(status.error_code()))}).inc();
  duration_.with({call->rpc}).observe(std::chrono::duration<double>(Clock::now() - call->started).count());
  call->reactor->Finish(status);
}

grpc::ServerUnaryReactor* InferenceService::dispatch(grpc::CallbackServerContext* ctx, std::string_view rpc,
                                                     http::Request req, Reader read) {
  auto call = std::make_shared<Call>();
  call->reactor = ctx->DefaultReactor();
  call->ctx = ctx;
  call->rpc = std::string(rpc);
  call->started = Clock::now();
  call->request = std::move(req);
  call->read = std::move(read);
  bool stopping = false;
  {
    std::lock_guard lock(mu_);
    stopping = stopping_;
    if (!stopping) pending_.insert(call);
  }
  auto* reactor = call->reactor;
  if (stopping) {
    finish(call, grpc::Status(grpc::StatusCode::UNAVAILABLE, "maasd is stopping"));
    return reactor;
  }
  asio::co_spawn(loop_, run(this, &http_, call, latest(*ctx)), asio::detached);
  return reactor;
}

grpc::ServerUnaryReactor* InferenceService::refuse(grpc::CallbackServerContext* ctx, std::string_view rpc,
                                                   const Status& why) {
  auto call = std::make_shared<Call>();
  call->reactor = ctx->DefaultReactor();
  call->ctx = ctx;
  call->rpc = std::string(rpc);
  call->started = Clock::now();
  finish(call, grpc_status(why));
  return call->reactor;
}

namespace {
// A reader for routes whose answer is JSON read by `fn` on success.
template <class Fn>
InferenceService::Reader json_reader(Fn fn) {
  return [fn](const http::Response& a) -> grpc::Status {
    if (a.status != 200) return grpc_status(a);
    return grpc_status(fn(a.body));
  };
}

// ServerReady and ModelReady: a 503 that says {"ready": false} is an answer, not an error.
bool not_ready(const http::Response& a) {
  if (a.status != 503) return false;
  auto doc = nlohmann::json::parse(a.body, nullptr, /*allow_exceptions=*/false);
  return doc.is_object() && doc.contains("ready") && doc["ready"].is_boolean();
}

// ServerReady and ModelReady: a 200 is ready, the route's "not ready" answer is not, anything else an error.
template <typename ReadyResponse>
InferenceService::Reader ready_reader(ReadyResponse* res) {
  return [res](const http::Response& a) {
    if (a.status != 200 && !not_ready(a)) return grpc_status(a);
    res->set_ready(a.status == 200);
    return grpc::Status::OK;
  };
}

}  // namespace

grpc::ServerUnaryReactor* InferenceService::ServerLive(grpc::CallbackServerContext* ctx,
                                                       const inference::ServerLiveRequest*,
                                                       inference::ServerLiveResponse* res) {
  return dispatch(ctx, "ServerLive", route_request(*ctx, "GET", "/v2/health/live", ""), [res](const http::Response& a) {
    if (a.status != 200) return grpc_status(a);
    res->set_live(true);
    return grpc::Status::OK;
  });
}

grpc::ServerUnaryReactor* InferenceService::ServerReady(grpc::CallbackServerContext* ctx,
                                                        const inference::ServerReadyRequest*,
                                                        inference::ServerReadyResponse* res) {
  return dispatch(ctx, "ServerReady", route_request(*ctx, "GET", "/v2/health/ready", ""), ready_reader(res));
}

grpc::ServerUnaryReactor* InferenceService::ModelReady(grpc::CallbackServerContext* ctx,
                                                       const inference::ModelReadyRequest* req,
                                                       inference::ModelReadyResponse* res) {
  if (auto s = check_segment(req->name(), "name", false); !s.ok()) return refuse(ctx, "ModelReady", s);
  if (auto s = check_segment(req->version(), "version", true); !s.ok()) return refuse(ctx, "ModelReady", s);
  return dispatch(ctx, "ModelReady", route_request(*ctx, "GET", model_path(req->name(), req->version()) + "/ready", ""),
                  ready_reader(res));
}

grpc::ServerUnaryReactor* InferenceService::ServerMetadata(grpc::CallbackServerContext* ctx,
                                                           const inference::ServerMetadataRequest*,
                                                           inference::ServerMetadataResponse* res) {
  return dispatch(ctx, "ServerMetadata", route_request(*ctx, "GET", "/v2", ""),
                  json_reader([res](const std::string& body) { return read_server_metadata(body, res); }));
}

grpc::ServerUnaryReactor* InferenceService::ModelMetadata(grpc::CallbackServerContext* ctx,
                                                          const inference::ModelMetadataRequest* req,
                                                          inference::ModelMetadataResponse* res) {
  if (auto s = check_segment(req->name(), "name", false); !s.ok()) return refuse(ctx, "ModelMetadata", s);
  if (auto s = check_segment(req->version(), "version", true); !s.ok()) return refuse(ctx, "ModelMetadata", s);
  return dispatch(ctx, "ModelMetadata", route_request(*ctx, "GET", model_path(req->name(), req->version()), ""),
                  json_reader([res](const std::string& body) { return read_model_metadata(body, res); }));
}

grpc::ServerUnaryReactor* InferenceService::ModelInfer(grpc::CallbackServerContext* ctx,
                                                       const inference::ModelInferRequest* req,
                                                       inference::ModelInferResponse* res) {
  if (auto s = check_segment(req->model_name(), "model_name", false); !s.ok()) return refuse(ctx, "ModelInfer", s);
  if (auto s = check_segment(req->model_version(), "model_version", true); !s.ok()) {
    return refuse(ctx, "ModelInfer", s);
  }
  auto body = infer_body(*req);
  if (!body.ok()) return refuse(ctx, "ModelInfer", body.status());
  http::Request route = route_request(*ctx, "POST", model_path(req->model_name(), req->model_version()) + "/infer",
                                      std::move(body->body));
  route.headers.emplace_back("content-type", "application/octet-stream");
  route.headers.emplace_back("inference-header-content-length", std::to_string(body->json_length));
  return dispatch(ctx, "ModelInfer", std::move(route), [res](const http::Response& a) {
    if (a.status != 200) return grpc_status(a);
    return grpc_status(read_infer_answer(a, res));
  });
}

grpc::ServerUnaryReactor* InferenceService::ModelStatistics(grpc::CallbackServerContext* ctx,
                                                            const inference::ModelStatisticsRequest* req,
                                                            inference::ModelStatisticsResponse* res) {
  if (auto s = check_segment(req->name(), "name", true); !s.ok()) return refuse(ctx, "ModelStatistics", s);
  if (auto s = check_segment(req->version(), "version", true); !s.ok()) return refuse(ctx, "ModelStatistics", s);
  if (req->name().empty() && !req->version().empty()) {
    return refuse(ctx, "ModelStatistics", invalid_argument("a version needs the model's name"));
  }
  std::string path = req->name().empty() ? "/v2/models/stats" : model_path(req->name(), req->version()) + "/stats";
  return dispatch(ctx, "ModelStatistics", route_request(*ctx, "GET", std::move(path), ""),
                  json_reader([res](const std::string& body) { return read_statistics(body, res); }));
}

grpc::ServerUnaryReactor* InferenceService::RepositoryIndex(grpc::CallbackServerContext* ctx,
                                                            const inference::RepositoryIndexRequest* req,
                                                            inference::RepositoryIndexResponse* res) {
  const bool ready_only = req->ready();
  return dispatch(
      ctx, "RepositoryIndex", route_request(*ctx, "POST", "/v2/repository/index", ""),
      json_reader([res, ready_only](const std::string& body) { return read_repository_index(body, ready_only, res); }));
}

grpc::ServerUnaryReactor* InferenceService::repository_call(
    grpc::CallbackServerContext* ctx, std::string_view rpc, const std::string& model,
    const google::protobuf::Map<std::string, inference::ModelRepositoryParameter>& parameters, const char* action) {
  if (auto s = check_segment(model, "model_name", false); !s.ok()) return refuse(ctx, rpc, s);
  auto body = repository_body(parameters);
  if (!body.ok()) return refuse(ctx, rpc, body.status());
  return dispatch(ctx, rpc, route_request(*ctx, "POST", "/v2/repository/models/" + model + "/" + action, *body),
                  [](const http::Response& a) { return a.status == 200 ? grpc::Status::OK : grpc_status(a); });
}

grpc::ServerUnaryReactor* InferenceService::RepositoryModelLoad(grpc::CallbackServerContext* ctx,
                                                                const inference::RepositoryModelLoadRequest* req,
                                                                inference::RepositoryModelLoadResponse*) {
  return repository_call(ctx, "RepositoryModelLoad", req->model_name(), req->parameters(), "load");
}

grpc::ServerUnaryReactor* InferenceService::RepositoryModelUnload(grpc::CallbackServerContext* ctx,
                                                                  const inference::RepositoryModelUnloadRequest* req,
                                                                  inference::RepositoryModelUnloadResponse*) {
  return repository_call(ctx, "RepositoryModelUnload", req->model_name(), req->parameters(), "unload");
}

}  // namespace maas::grpc_api
