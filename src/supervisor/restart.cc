#include "supervisor/restart.h"

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace maas::supervisor {

boost::asio::awaitable<Status> restart(boost::asio::any_io_executor executor, const RestartPolicy& policy,
                                       uint64_t* attempts, RestartHooks hooks) {
  const Status stopped = unavailable("stopped before it came back");
  Status last = stopped;
  for (;;) {
    if (hooks.stopped()) co_return stopped;
    if (*attempts > 0 && !policy.may_retry(static_cast<uint32_t>(*attempts))) co_return last;
    ++*attempts;
    auto delay = policy.backoff.delay(*attempts);
    hooks.waiting(*attempts, delay);
    boost::asio::steady_timer wait(executor, delay);
    boost::system::error_code ec;
    co_await wait.async_wait(boost::asio::redirect_error(boost::asio::use_awaitable, ec));
    if (hooks.stopped()) co_return stopped;
    last = co_await hooks.start();
    if (hooks.stopped()) co_return stopped;
    if (last.ok()) co_return last;
  }
}

}  // namespace maas::supervisor
