// The server's open connections and who may open another: a limit per client address (as nginx's limit_conn) and
// the global limit, at which the oldest idle connection is closed to let the new client in (as nginx closes its
// oldest reusable connections), so that a flood of sockets that send nothing cannot lock out health checks and
// real clients. A connection is idle while it waits for the first byte of a request (its first one included).
//
// Thread-safe: one mutex, taken when a connection is accepted or ends and at shutdown, never per request. A
// connection's idle state is an atomic of its own, written by its loop on every request.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <boost/beast/core/tcp_stream.hpp>

namespace maas::http {

// One connection as the server sees it. `executor`, `address` and `accepted_at` are set at accept and never
// change; `stream` and `alive` are read and written on the connection's loop only (others post there).
class SessionHandle {
 public:
  using Clock = std::chrono::steady_clock;
  SessionHandle(boost::beast::tcp_stream::executor_type loop, std::string client_address, Clock::time_point accepted);

  const boost::beast::tcp_stream::executor_type executor;
  const std::string address;  // the client's IP address, the per-address limit's key
  const Clock::time_point accepted_at;
  boost::beast::tcp_stream* stream = nullptr;  // the TCP stream, under TLS too; null once the session ends
  bool alive = true;

  // The connection waits for a request's first byte (again); false once it was chosen for closing.
  bool mark_idle();
  // A request has begun; false if the connection was chosen for closing meanwhile (it must not serve it).
  bool mark_busy();
  // Idle since when, or nullopt when busy or chosen for closing. Any thread.
  std::optional<Clock::time_point> idle_since() const;
  // Chooses this connection for closing if it is still idle since `since`; any thread.
  bool try_evict(Clock::time_point since);

 private:
  static constexpr int64_t kBusy = 0;
  static constexpr int64_t kEvicted = -1;
  // kBusy, kEvicted, or the steady-clock tick (> 0) since which the connection is idle.
  std::atomic<int64_t> state_;
};

class ConnectionTable {
 public:
  // max_per_address 0: no per-address limit.
  ConnectionTable(size_t max_connections, size_t max_per_address)
      : max_connections_(max_connections), max_per_address_(max_per_address) {}

  enum class Verdict { kAdmitted, kTooManyFromAddress, kFull };
  // Registers `handle` unless its address is at its limit or the server is at its limit with no idle connection.
  // At the limit, the oldest idle connection is chosen for closing and returned in *evicted (the caller closes it;
  // it stays counted until it ends).
  Verdict admit(const std::shared_ptr<SessionHandle>& handle, std::shared_ptr<SessionHandle>* evicted);
  void remove(const std::shared_ptr<SessionHandle>& handle);
  size_t size() const;
  // Chooses every idle connection for closing and returns them (the drain on shutdown).
  std::vector<std::shared_ptr<SessionHandle>> evict_all_idle();

 private:
  std::shared_ptr<SessionHandle> evict_oldest_idle();  // mu_ held

  const size_t max_connections_;
  const size_t max_per_address_;
  mutable std::mutex mu_;
  std::unordered_set<std::shared_ptr<SessionHandle>> sessions_;  // guarded by mu_
  std::unordered_map<std::string, size_t> per_address_;          // guarded by mu_
};

}  // namespace maas::http
