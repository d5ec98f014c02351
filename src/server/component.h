// A subsystem of maasd as the server sees it: the registry, auth, the log center, the runtime, the gateway, the
// inference routes, alerting, jobs, data, the console. A component checks its configuration, starts (opening
// what it owns, adding its routes, metrics, periodic tasks and request hooks, publishing the services later
// components use), serves, and stops in reverse order. The core (maasd.h) knows no component by name:
// server/main.cc lists them in the order they start.
//
// Threading: every call comes from the main thread, one component at a time.
#pragma once

#include <string_view>

#include "common/status.h"

namespace maas::server {

class Context;

class Component {
 public:
  virtual ~Component() = default;

  // Short and stable: it names the component in logs and start-up errors ("logs", "gateway").
  virtual std::string_view name() const = 0;
  // Reads and checks what the configuration names (a rule file, plugin manifests, the console's files) before
  // anything is opened. An error is a bad configuration: maasd exits 2.
  virtual Status configure(Context& /*context*/) { return {}; }
  // Opens what it owns and registers its routes, metrics, periodic tasks and hooks, before the server listens.
  // Components start in list order, so it may use the services of those before it. An error stops maasd
  // (exit 1) with the component's name and the message.
  virtual Status start(Context& context) = 0;
  // The server listens at context.address(): work that calls back into it (rule evaluation) may begin.
  virtual void serving(Context& /*context*/) {}
  // The server has stopped: no request runs and the I/O threads are gone. Called in reverse order, before any
  // component is destroyed; ends what start() began (processes, timers).
  virtual void stop() {}
};

}  // namespace maas::server
