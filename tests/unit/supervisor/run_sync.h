// Runs a coroutine on an io_context until it completes and returns its result (which need not be
// default-constructible, as Result<T> is not).
#pragma once

#include <optional>
#include <utility>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

namespace maas::supervisor {

template <typename T>
T run_sync(boost::asio::io_context& io, boost::asio::awaitable<T> task) {
  std::optional<T> result;
  boost::asio::co_spawn(
      io, [&]() -> boost::asio::awaitable<void> { result.emplace(co_await std::move(task)); }, boost::asio::detached);
  io.restart();
  while (!result && io.run_one() > 0) {
  }
  return std::move(*result);
}

}  // namespace maas::supervisor
