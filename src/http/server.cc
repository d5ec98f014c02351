#include "http/server.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <spdlog/spdlog.h>

#include <algorithm>

#include "http/session.h"
#include "http/tls.h"

namespace maas::http {
namespace asio = boost::asio;
using tcp = asio::ip::tcp;

Server::Server(ServerOptions options, const Router& router)
    : options_(std::move(options)),
      router_(router),
      io_(1),
      acceptor_(io_),
      hangups_(io_),
      connections_(static_cast<size_t>(options_.max_connections),
                   static_cast<size_t>(std::max(0, options_.max_connections_per_address))),
      body_budget_(options_.max_buffered_body_bytes) {
  // Concurrency hint 1: each loop is run by one thread, so Asio keeps handlers posted from that thread in a
  // private queue without locking; posts from other threads (a runner answering a request) still lock.
  for (int i = 1; i < options_.threads; ++i) {
    loops_.push_back(std::make_unique<EventLoop>(1));
    loop_guards_.push_back(asio::make_work_guard(*loops_.back()));
  }
}

Server::~Server() { destroy_handlers(); }

void Server::destroy_handlers() {
  // Handlers of one loop may hold objects of another — the acceptor's pending accept (main loop) holds the socket
  // it will fill for another loop; a runner's handler (main loop) holds a request whose timer is on its
  // connection's loop. So every loop's handlers are destroyed before any loop's services are.
  boost::system::error_code ignored;
  acceptor_.close(ignored);
  loop_guards_.clear();
  for (auto& loop : loops_) loop->destroy_handlers();
  io_.destroy_handlers();
}

Status Server::start() {
  boost::system::error_code ec;
  if (options_.tls()) MAAS_RETURN_IF_ERROR(reload_tls());
  if (options_.tls() || !hangup_hooks_.empty()) {
    hangups_.add(SIGHUP, ec);
    if (ec) return internal_error("cannot handle SIGHUP: " + ec.message());
  }
  auto address = asio::ip::make_address(options_.host, ec);
  if (ec) return invalid_argument("server.listen: '" + options_.host + "' is not an IP address");
  tcp::endpoint endpoint(address, options_.port);
  acceptor_.open(endpoint.protocol(), ec);
  if (!ec) acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor_.bind(endpoint, ec);
  if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return unavailable("cannot listen on " + options_.host + ":" + std::to_string(options_.port) + ": " + ec.message());
  }
  bound_port_ = acceptor_.local_endpoint().port();
  // Handled from here on, not from run(): whoever sees the port (a port file written right after start) may
  // send SIGTERM at once, and it must drain, not kill.
  signals_ = std::make_unique<asio::signal_set>(io_, SIGTERM, SIGINT);
  signals_->async_wait([this](const boost::system::error_code& ec, int signal) {
    if (ec) return;
    spdlog::info("received signal {}; draining", signal);
    begin_shutdown();
  });
  return {};
}

void Server::run() {
  asio::co_spawn(acceptor_.get_executor(), accept_loop(), asio::detached);
  if (options_.tls() || !hangup_hooks_.empty()) wait_for_hangup();
  std::vector<std::thread> threads;
  for (auto& loop : loops_) threads.emplace_back([&loop = *loop] { loop.run(); });
  io_.run();
  stop_loops();  // also when io_ was stopped by someone else
  for (auto& t : threads) t.join();
}

asio::io_context& Server::next_loop() {
  size_t i = next_loop_++ % (loops_.size() + 1);
  return i == 0 ? io_ : *loops_[i - 1];
}

void Server::stop_loops() {
  loop_guards_.clear();
  for (auto& loop : loops_) loop->stop();
}

std::shared_ptr<asio::ssl::context> Server::tls_context() {
  std::lock_guard lock(tls_mu_);
  return tls_;
}

Status Server::reload_tls() {
  MAAS_ASSIGN_OR_RETURN(auto ctx,
                        load_tls_context(options_.tls_cert_file, options_.tls_key_file, options_.tls_client_ca_file));
  std::lock_guard lock(tls_mu_);
  tls_ = std::move(ctx);
  return {};
}

void Server::wait_for_hangup() {
  hangups_.async_wait([this](const boost::system::error_code& ec, int) {
    if (ec) return;
    if (options_.tls()) {
      if (auto s = reload_tls(); s.ok()) {
        spdlog::info("SIGHUP: reloaded the TLS certificate {} and key {} for new connections", options_.tls_cert_file,
                     options_.tls_key_file);
      } else {
        spdlog::error("SIGHUP: TLS reload failed, keeping the current certificate: {}", s.message());
      }
    }
    for (const auto& hook : hangup_hooks_) hook();
    wait_for_hangup();
  });
}

asio::awaitable<void> Server::accept_loop() {
  for (;;) {
    boost::system::error_code ec;
    // No strand: a loop is run by one thread, which serializes everything of the connection (posts from other
    // threads included) for free; a strand's lock and invoker cost ~5 % of a request.
    tcp::socket socket =
        co_await acceptor_.async_accept(next_loop().get_executor(), asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
      if (ec == asio::error::operation_aborted || !acceptor_.is_open()) co_return;
      // Out of file descriptors and the like: back off briefly instead of spinning.
      spdlog::warn("accept failed: {}", ec.message());
      asio::steady_timer pause(acceptor_.get_executor(), std::chrono::milliseconds(50));
      co_await pause.async_wait(asio::redirect_error(asio::use_awaitable, ec));
      continue;
    }
    auto peer = socket.remote_endpoint(ec);
    if (ec) continue;  // gone already; the socket closes here
    auto handle = std::make_shared<SessionHandle>(socket.get_executor(), peer.address().to_string(),
                                                  std::chrono::steady_clock::now());
    std::shared_ptr<SessionHandle> evicted;
    switch (connections_.admit(handle, &evicted)) {
      case ConnectionTable::Verdict::kTooManyFromAddress:
        // Closed without a word: answering would cost a TLS handshake, and this client holds enough already.
        count(ConnectionEvent::kRefusedPerAddress);
        continue;
      case ConnectionTable::Verdict::kFull: {
        count(ConnectionEvent::kRefusedFull);
        auto executor = socket.get_executor();
        asio::co_spawn(executor, refuse_connection(*this, std::move(socket)), asio::detached);
        continue;
      }
      case ConnectionTable::Verdict::kAdmitted:
        break;
    }
    if (evicted != nullptr) {
      count(ConnectionEvent::kEvictedIdle);
      close_evicted(evicted);
    }
    auto executor = socket.get_executor();
    asio::co_spawn(executor, serve_connection(*this, std::move(socket), std::move(handle)), asio::detached);
  }
}

void Server::unregister_session(const std::shared_ptr<SessionHandle>& handle) { connections_.remove(handle); }

ServerStats Server::stats() const {
  ServerStats stats;
  stats.open_connections = connections_.size();
  stats.buffered_body_bytes = body_budget_.in_use();
  for (size_t i = 0; i < kConnectionEventCount; ++i) stats.events[i] = events_[i].load(std::memory_order_relaxed);
  return stats;
}

void Server::close_evicted(const std::shared_ptr<SessionHandle>& handle) {
  // On the connection's loop, where `stream` and `alive` are written, so the check cannot race with the session
  // ending (reading `stream` on the acceptor's thread could: the session could null it in between).
  asio::post(handle->executor, [handle] {
    if (handle->alive && handle->stream != nullptr) {
      boost::system::error_code ignored;
      handle->stream->socket().shutdown(tcp::socket::shutdown_both, ignored);
      handle->stream->socket().close(ignored);
    }
  });
}

void Server::close_idle_sessions() {
  for (const auto& handle : connections_.evict_all_idle()) close_evicted(handle);
}

void Server::begin_shutdown() {
  if (draining_.exchange(true)) return;
  asio::post(acceptor_.get_executor(), [this] {
    boost::system::error_code ignored;
    acceptor_.close(ignored);
    close_idle_sessions();
    wait_for_drain(std::chrono::steady_clock::now() + options_.drain_timeout);
  });
}

void Server::wait_for_drain(std::chrono::steady_clock::time_point deadline) {
  size_t remaining = connections_.size();
  if (remaining == 0 || std::chrono::steady_clock::now() >= deadline) {
    if (remaining > 0) spdlog::warn("drain timeout: closing {} connections with requests in flight", remaining);
    stop_loops();
    io_.stop();
    return;
  }
  // Connections that finished a request while draining close themselves; idle ones were closed above, but a
  // connection that turned idle after that needs closing again.
  close_idle_sessions();
  auto timer = std::make_shared<asio::steady_timer>(io_, std::chrono::milliseconds(20));
  timer->async_wait([this, timer, deadline](const boost::system::error_code&) { wait_for_drain(deadline); });
}

}  // namespace maas::http
