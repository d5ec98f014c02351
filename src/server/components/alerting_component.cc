// Alerting: rule groups from the config file and from the API (evaluated against /metrics and the log store),
// notifications to outbound destinations, subscriptions, /api/v1/alerts and /api/v1/subscriptions.
#include <memory>

#include "alerting/config.h"
#include "alerting/engine.h"
#include "alerting/managed_rules.h"
#include "alerting/subscriptions.h"
#include "api/alert_routes.h"
#include "api/log_records.h"
#include "api/subscription_routes.h"
#include "logs/log_center.h"
#include "server/components/components.h"
#include "server/context.h"

namespace maas::server {
namespace {

class AlertingComponent final : public Component {
 public:
  std::string_view name() const override { return "alerting"; }

  // The rule file and its destinations, checked against the outbound policy before anything starts.
  Status configure(Context& context) override {
    const auto& cfg = context.config();
    if (!context.config_path().empty()) {
      MAAS_ASSIGN_OR_RETURN(config_, alerting::load_alerting_config(context.config_path()));
    }
    // Validated with the configuration: make() cannot fail here.
    outbound_ = std::make_shared<const OutboundPolicy>(*OutboundPolicy::make(cfg.outbound_deny, cfg.outbound_allow));
    MAAS_RETURN_IF_ERROR(alerting::check_destinations(config_, *outbound_));
    config_.outbound = outbound_;
    return {};
  }

  Status start(Context& context) override {
    auto& center = context.services().get<logs::LogCenter>();
    // Always running: rule groups may arrive through the API on a server whose config names no rule file.
    engine_ = std::make_unique<alerting::Engine>(std::move(config_), context.metrics(), &center.store());
    engine_->set_on_transition([&center](const alerting::Alert& a) { api::record_alert(center, a); });
    auto managed = alerting::ManagedRules::open(context.config().data_dir / "alerting" / "rules.json", *engine_);
    if (!managed.ok()) {
      return Status(managed.status().code(),
                    "cannot read the rule groups created through the API: " + managed.status().message());
    }
    managed_ = std::move(*managed);
    api::add_alert_routes(context.router(), *engine_, *managed_, context.blocking());
    context.services().provide(*engine_);  // retraining starts runs when a rule fires
    alerting::SubscriptionOptions options;
    options.file = context.config().data_dir / "alerting" / "subscriptions.json";
    options.delivery.outbound = outbound_;
    auto subscriptions = alerting::Subscriptions::open(options, center, context.metrics());
    if (!subscriptions.ok()) {
      return Status(subscriptions.status().code(),
                    "cannot read the subscriptions: " + subscriptions.status().message());
    }
    subscriptions_ = std::move(*subscriptions);
    api::add_subscription_routes(context.router(), *subscriptions_, context.blocking());
    return {};
  }

  void serving(Context& context) override { engine_->start(context.url()); }

 private:
  alerting::AlertingConfig config_;
  std::shared_ptr<const OutboundPolicy> outbound_;
  std::unique_ptr<alerting::Engine> engine_;
  std::unique_ptr<alerting::ManagedRules> managed_;
  std::unique_ptr<alerting::Subscriptions> subscriptions_;
};

}  // namespace

std::unique_ptr<Component> make_alerting_component() { return std::make_unique<AlertingComponent>(); }

}  // namespace maas::server
