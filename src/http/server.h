// maasd's HTTP/1.1 server on Boost.Beast: one event loop (io_context) per I/O thread, each connection served by
// one loop for its whole life as one coroutine (no thread per connection, no lock or wake-up shared between
// loops on a connection's path — nginx's and Envoy's worker model), keep-alive with requests answered in order, size limits and timeouts
// on every read, connection limits (global and per client address, closing the oldest idle connection for a new
// one at the limit), a budget for buffered bodies, JSON access logs, and a graceful drain on shutdown. With a
// certificate and key it speaks HTTPS only, and SIGHUP reloads them for new connections.
//
// Lifetime: the Router must outlive the Server. start() then run() from the main thread; begin_shutdown() may be
// called from any thread (it is also wired to SIGTERM and SIGINT).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/ssl/context.hpp>

#include "common/status.h"
#include "http/body_budget.h"
#include "http/connection_table.h"
#include "http/router.h"

namespace maas::http {

// One answered request, as the server hands it to ServerOptions::on_request_done.
struct CompletedRequest {
  const Request& request;
  int status = 0;
  uint64_t bytes_in = 0;
  uint64_t bytes_out = 0;
  std::chrono::nanoseconds duration{0};
};

struct ServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 8080;
  int threads = 1;
  std::chrono::milliseconds header_timeout{10'000};
  std::chrono::milliseconds idle_timeout{60'000};
  std::chrono::milliseconds request_timeout{30'000};
  std::chrono::milliseconds upload_timeout{3'600'000};
  std::chrono::milliseconds drain_timeout{30'000};
  uint64_t max_json_body_bytes = 1 << 20;
  uint64_t max_infer_body_bytes = 64 << 20;
  uint64_t max_streamed_body_bytes = 8ull << 30;
  uint64_t max_header_bytes = 16 << 10;
  // Request bodies buffered in memory by all connections together, at most (0: no budget); streamed bodies are
  // not counted.
  uint64_t max_buffered_body_bytes = 1ull << 30;
  int max_connections = 4096;
  int max_connections_per_address = 256;  // 0: no per-address limit
  // Both set: HTTPS (PEM files, re-read on SIGHUP). Both empty: plain HTTP.
  std::string tls_cert_file;
  std::string tls_key_file;
  // With TLS: PEM CA certificates whose client certificates are verified (mutual TLS); empty: none asked for.
  std::string tls_client_ca_file;
  bool tls() const { return !tls_cert_file.empty(); }
  // Called on the I/O thread after each response is written (metrics, the log center); must not block.
  std::function<void(const CompletedRequest&)> on_request_done;
};

// What the server refused or closed, counted since start (metrics read them through Server::stats()).
enum class ConnectionEvent {
  kRefusedFull,        // every connection busy at limits.max_connections: answered 503
  kRefusedPerAddress,  // the client's address at limits.max_connections_per_address: closed at accept
  kEvictedIdle,        // an idle connection closed to make room for a new client at limits.max_connections
  kHeaderTimeout,      // a request's headers (the first request's: from accept) not complete in time: closed
  kBodyBudget,         // a request refused with 503 because its body would exceed limits.max_buffered_body_bytes
};
inline constexpr size_t kConnectionEventCount = 5;

struct ServerStats {
  size_t open_connections = 0;
  uint64_t buffered_body_bytes = 0;
  uint64_t events[kConnectionEventCount] = {};  // indexed by ConnectionEvent
  uint64_t count(ConnectionEvent e) const { return events[static_cast<size_t>(e)]; }
};

// An io_context whose pending handlers can be destroyed apart from its services: the server's loops hold each
// other's objects in their handlers, so all handlers go before any loop's services do (Server::~Server).
class EventLoop : public boost::asio::io_context {
 public:
  explicit EventLoop(int concurrency_hint) : boost::asio::io_context(concurrency_hint) {}
  // Destroys every pending handler (execution_context::shutdown); afterwards the loop is only fit for destruction.
  void destroy_handlers() { shutdown(); }
};

// Decides, from the headers alone (the body is not read yet), whether a request may call a route of `access`:
// the caller, or UNAUTHENTICATED / PERMISSION_DENIED. Not called for public routes.
using Authenticator = std::function<Result<std::shared_ptr<const Principal>>(const Request&, Access)>;
// Sees every answered request once its response is written (on an I/O thread: it must not block).
using RequestObserver = std::function<void(const Request&, int status, std::chrono::microseconds duration)>;

class Server {
 public:
  Server(ServerOptions options, const Router& router);
  ~Server();

  // Both are set before start() and read-only afterwards. Without an authenticator every route is open (the
  // http layer's own tests).
  void set_authenticator(Authenticator authenticator) { authenticator_ = std::move(authenticator); }
  void set_observer(RequestObserver observer) { observer_ = std::move(observer); }
  const Authenticator& authenticator() const { return authenticator_; }
  const RequestObserver& observer() const { return observer_; }

  // Loads the TLS files (when set), binds and listens; INVALID_ARGUMENT for a bad address or TLS file,
  // UNAVAILABLE when the port is taken.
  Status start();
  // Serves until shutdown has drained; returns when every I/O thread has stopped.
  void run();
  void begin_shutdown();
  // Once run() has returned: destroys every pending handler (suspended coroutines and what they hold) while the
  // objects they refer to still exist; afterwards the server is only fit for destruction. Idempotent.
  void destroy_handlers();
  bool draining() const { return draining_.load(); }
  // The bound port (useful with port 0).
  uint16_t port() const { return bound_port_; }
  const std::string& host() const { return options_.host; }
  // The main loop: run by the thread that calls run(). It also serves connections (its share of them), and it is
  // where the rest of maasd (runners, stores, timers) posts its work. The other loops serve connections only.
  boost::asio::io_context& io() { return io_; }

  // Used by connection coroutines.
  const ServerOptions& options() const { return options_; }
  const Router& router() const { return router_; }
  // The TLS context for a connection accepted now; null without TLS. Any thread.
  std::shared_ptr<boost::asio::ssl::context> tls_context();
  // Re-reads the certificate and key into a new context for new connections; on error the current one stays.
  // Any thread (SIGHUP calls it on an I/O thread).
  Status reload_tls();
  // Runs `hook` on every SIGHUP (after the TLS reload, with TLS); call before start().
  void on_hangup(std::function<void()> hook) { hangup_hooks_.push_back(std::move(hook)); }
  void unregister_session(const std::shared_ptr<SessionHandle>& handle);
  BodyBudget& body_budget() { return body_budget_; }
  void count(ConnectionEvent event) { events_[static_cast<size_t>(event)].fetch_add(1, std::memory_order_relaxed); }
  // Any thread.
  ServerStats stats() const;

 private:
  boost::asio::awaitable<void> accept_loop();
  // The loop for the next connection: round robin over the main loop and the others.
  boost::asio::io_context& next_loop();
  void stop_loops();
  void wait_for_hangup();
  // Closes a connection chosen for closing (evicted) on its own loop, unless it has ended meanwhile.
  static void close_evicted(const std::shared_ptr<SessionHandle>& handle);
  void close_idle_sessions();
  void wait_for_drain(std::chrono::steady_clock::time_point deadline);

  ServerOptions options_;
  const Router& router_;
  Authenticator authenticator_;
  RequestObserver observer_;
  EventLoop io_;
  // Loops 1..threads-1, each run by one thread of its own; kept running while idle until shutdown.
  std::vector<std::unique_ptr<EventLoop>> loops_;
  std::vector<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> loop_guards_;
  size_t next_loop_ = 0;  // accept_loop only
  boost::asio::ip::tcp::acceptor acceptor_;
  std::unique_ptr<boost::asio::signal_set> signals_;
  // Installed by start() so that a SIGHUP sent as soon as the port is known is queued, not fatal.
  boost::asio::signal_set hangups_;
  std::vector<std::function<void()>> hangup_hooks_;
  std::mutex tls_mu_;
  std::shared_ptr<boost::asio::ssl::context> tls_;  // guarded by tls_mu_
  uint16_t bound_port_ = 0;
  std::atomic<bool> draining_{false};
  ConnectionTable connections_;
  BodyBudget body_budget_;
  std::atomic<uint64_t> events_[kConnectionEventCount] = {};
};

}  // namespace maas::http
