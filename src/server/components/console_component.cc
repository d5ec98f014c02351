// The web console's files at /ui/ (src/console). A console.dir that holds no build is a configuration error.
#include <memory>

#include "console/console_routes.h"
#include "server/components/components.h"
#include "server/context.h"

namespace maas::server {
namespace {

class ConsoleComponent final : public Component {
 public:
  std::string_view name() const override { return "console"; }

  // The routes are added here: finding the console's files is what checks console.dir.
  Status configure(Context& context) override {
    const auto& cfg = context.config();
    return console::add_console_routes(context.router(), {cfg.console_enabled, cfg.console_dir});
  }
  Status start(Context& /*context*/) override { return {}; }
};

}  // namespace

std::unique_ptr<Component> make_console_component() { return std::make_unique<ConsoleComponent>(); }

}  // namespace maas::server
