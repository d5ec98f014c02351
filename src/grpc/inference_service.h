// maasd's gRPC listener: inference.GRPCInferenceService (grpc_predict_v2.proto) on its own port, each call answered
// by the HTTP /v2 route it corresponds to through http::answer_local — so a gRPC call is authorized (the bearer key in
// `authorization` metadata), routed through the gateway's services, limited, counted in the HTTP and inference
// series and written to the request log exactly as the same call over HTTP, with the same error messages.
//
// Threading: gRPC's threads run the callback methods, which only translate the message and post the call to maasd's
// main event loop; the loop's coroutine finishes the call's reactor, so no gRPC thread waits on inference.
// Lifetime: made and started by the grpc component; stop() must run once the event loops have stopped.
#pragma once

#include <grpcpp/grpcpp.h>

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>

#include "common/status.h"
#include "grpc/grpc_predict_v2.grpc.pb.h"
#include "http/server.h"
#include "metrics/metrics.h"

namespace maas::grpc_api {

struct ListenerOptions {
  std::string host;
  uint16_t port = 0;
  uint64_t max_message_bytes = 0;
  // Both set: TLS with the HTTP listener's certificate and key (read once, at start).
  std::string tls_cert_file;
  std::string tls_key_file;
};

class InferenceService final : public inference::GRPCInferenceService::CallbackService {
 public:
  InferenceService(http::Server& server, boost::asio::io_context& loop, metrics::Registry& metrics);
  ~InferenceService() override;

  // Binds and starts serving; UNAVAILABLE when the port cannot be bound, INVALID_ARGUMENT for unreadable TLS files.
  Status start(const ListenerOptions& options);
  uint16_t port() const { return port_; }
  // Finishes the calls still waiting on the (stopped) event loop with UNAVAILABLE, then shuts the listener down.
  void stop();

  grpc::ServerUnaryReactor* ServerLive(grpc::CallbackServerContext* ctx, const inference::ServerLiveRequest* req,
                                       inference::ServerLiveResponse* res) override;
  grpc::ServerUnaryReactor* ServerReady(grpc::CallbackServerContext* ctx, const inference::ServerReadyRequest* req,
                                        inference::ServerReadyResponse* res) override;
  grpc::ServerUnaryReactor* ModelReady(grpc::CallbackServerContext* ctx, const inference::ModelReadyRequest* req,
                                       inference::ModelReadyResponse* res) override;
  grpc::ServerUnaryReactor* ServerMetadata(grpc::CallbackServerContext* ctx,
                                           const inference::ServerMetadataRequest* req,
                                           inference::ServerMetadataResponse* res) override;
  grpc::ServerUnaryReactor* ModelMetadata(grpc::CallbackServerContext* ctx, const inference::ModelMetadataRequest* req,
                                          inference::ModelMetadataResponse* res) override;
  grpc::ServerUnaryReactor* ModelInfer(grpc::CallbackServerContext* ctx, const inference::ModelInferRequest* req,
                                       inference::ModelInferResponse* res) override;
  grpc::ServerUnaryReactor* ModelStatistics(grpc::CallbackServerContext* ctx,
                                            const inference::ModelStatisticsRequest* req,
                                            inference::ModelStatisticsResponse* res) override;
  grpc::ServerUnaryReactor* RepositoryIndex(grpc::CallbackServerContext* ctx,
                                            const inference::RepositoryIndexRequest* req,
                                            inference::RepositoryIndexResponse* res) override;
  grpc::ServerUnaryReactor* RepositoryModelLoad(grpc::CallbackServerContext* ctx,
                                                const inference::RepositoryModelLoadRequest* req,
                                                inference::RepositoryModelLoadResponse* res) override;
  grpc::ServerUnaryReactor* RepositoryModelUnload(grpc::CallbackServerContext* ctx,
                                                  const inference::RepositoryModelUnloadRequest* req,
                                                  inference::RepositoryModelUnloadResponse* res) override;

  // One call in flight: finished exactly once, by its coroutine or by stop().
  struct Call;
  // Reads the route's answer into the response message (the call's status).
  using Reader = std::function<grpc::Status(const http::Response&)>;
  // Counts the call and finishes its reactor, unless it was finished already. Any thread.
  void finish(const std::shared_ptr<Call>& call, const grpc::Status& status);

 private:
  // Posts `req` (the route's HTTP request) to the loop; `read` fills the response from a successful answer.
  grpc::ServerUnaryReactor* dispatch(grpc::CallbackServerContext* ctx, std::string_view rpc, http::Request req,
                                     Reader read);
  // Load or unload (`action`) through the repository routes.
  grpc::ServerUnaryReactor* repository_call(
      grpc::CallbackServerContext* ctx, std::string_view rpc, const std::string& model,
      const google::protobuf::Map<std::string, inference::ModelRepositoryParameter>& parameters, const char* action);
  // Finishes at once, without a route (a message that cannot become one).
  grpc::ServerUnaryReactor* refuse(grpc::CallbackServerContext* ctx, std::string_view rpc, const Status& why);

  http::Server& http_;
  boost::asio::io_context& loop_;
  metrics::Family<metrics::Counter>& requests_;
  metrics::Family<metrics::Histogram>& duration_;
  std::unique_ptr<grpc::Server> server_;
  uint16_t port_ = 0;
  std::mutex mu_;
  std::set<std::shared_ptr<Call>> pending_;  // guarded by mu_
  bool stopping_ = false;                    // guarded by mu_: calls from then on are answered UNAVAILABLE
};

}  // namespace maas::grpc_api
