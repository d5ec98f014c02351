// maasd's core: reads the settings (defaults, --config YAML, MAAS_* variables, flags), makes the HTTP server,
// configures and starts the components in order, serves until SIGTERM or SIGINT has drained, then stops them in
// reverse order. It knows no component by name: server/main.cc lists them.
//
// Threading: main's thread only.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "config/server_config.h"
#include "server/component.h"

namespace maas::server {

class Maasd {
 public:
  Maasd() = default;
  // Destroys the components newest first.
  ~Maasd();
  Maasd(const Maasd&) = delete;
  Maasd& operator=(const Maasd&) = delete;

  // Components configure and start in the order they are added, and stop in reverse.
  void add(std::unique_ptr<Component> component);
  // Parses the command line and runs the server; returns the process's exit code (2: a bad configuration, 1: the
  // server could not start).
  int serve(int argc, char** argv);

 private:
  int run(const config::ServerConfig& config, const std::string& config_path);
  // Runs `step` for each component in order and stops at the first error, which it names with the component's.
  Status each(const std::function<Status(Component&)>& step, size_t* done = nullptr);

  std::vector<std::unique_ptr<Component>> components_;
};

}  // namespace maas::server
