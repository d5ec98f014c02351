// Runs blocking work (hashing and inspecting a multi-GB artifact, fsync) on a small pool of its own, so the
// I/O threads keep serving other connections meanwhile.
#pragma once

#include <optional>
#include <utility>  // before Asio 1.74's awaitable.hpp, which uses std::exchange without including it

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace maas::api {

// Thread-safe. Must outlive every call in flight (the server drains before it is destroyed). Its owner must not
// be kept alive only by a coroutine awaiting run(): when the io_context is shutting down, Asio destroys the
// awaiting coroutine on a pool thread, and the pool would then be destroyed (and join itself) from inside it.
class BlockingPool {
 public:
  explicit BlockingPool(int threads) : pool_(static_cast<size_t>(threads)) {}
  ~BlockingPool() { pool_.join(); }

  // Runs `fn` on the pool without waiting for it; the destructor waits for it.
  template <typename Fn>
  void post(Fn fn) {
    boost::asio::post(pool_, std::move(fn));
  }

  // Runs `fn` on the pool and resumes the caller on its own executor with the result.
  template <typename Fn>
  boost::asio::awaitable<decltype(std::declval<Fn>()())> run(Fn fn) {
    using R = decltype(fn());
    // `fn` stays in this frame, and the coroutine on the pool holds a pointer to it: GCC 12 copies a lambda
    // given to co_spawn bytewise, which breaks captures that point into themselves (a short std::string's
    // buffer) — their destruction then frees memory inside a coroutine frame.
    Fn* work = &fn;
    // co_spawn needs a default-constructible result; Result<T> is not, so it travels in an optional.
    std::optional<R> result = co_await boost::asio::co_spawn(
        pool_.get_executor(), [work]() -> boost::asio::awaitable<std::optional<R>> { co_return (*work)(); },
        boost::asio::use_awaitable);
    co_return std::move(*result);
  }

 private:
  boost::asio::thread_pool pool_;
};

}  // namespace maas::api
