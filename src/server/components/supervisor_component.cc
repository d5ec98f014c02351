// The one Supervisor every process maas runs beside itself — model workers of every kind, job processes — runs
// under: one table, one set of limits (supervisor.limits, chosen and logged at start), one restart policy.
#include <spdlog/spdlog.h>

#include <memory>

#include "server/components/components.h"
#include "server/context.h"
#include "supervisor/process.h"

namespace maas::server {
namespace {

class SupervisorComponent final : public Component {
 public:
  std::string_view name() const override { return "supervisor"; }

  Status start(Context& context) override {
    MAAS_ASSIGN_OR_RETURN(auto limiter, supervisor::ResourceLimiter::create(context.config().process_limits));
    spdlog::info("process limits: {}", limiter->description());
    supervisor_ = std::make_unique<supervisor::Supervisor>(std::move(limiter), &context.metrics());
    context.services().provide(*supervisor_);
    return {};
  }

  // The I/O threads have stopped: end what is left now rather than leaving it to the processes' death signal.
  void stop() override {
    if (supervisor_) supervisor_->kill_all();
  }

 private:
  std::unique_ptr<supervisor::Supervisor> supervisor_;
};

}  // namespace

std::unique_ptr<Component> make_supervisor_component() { return std::make_unique<SupervisorComponent>(); }

}  // namespace maas::server
