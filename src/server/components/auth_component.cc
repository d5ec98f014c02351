// Who may call what: the gateway store (API keys, services, the audit log), the keys' secret, API keys and JWTs
// (re-read on SIGHUP), the first admin key, every request's authorization and audit, /api/v1/keys.
#include <spdlog/spdlog.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <optional>

#include "api/key_routes.h"
#include "auth/audit.h"
#include "auth/jwt.h"
#include "auth/key_secret.h"
#include "auth/keys.h"
#include "auth/request_signing.h"
#include "auth/secret_box.h"
#include "server/components/components.h"
#include "server/context.h"
#include "store/sqlite/sqlite_gateway_store.h"

namespace maas::server {
namespace {

class AuthComponent final : public Component {
 public:
  std::string_view name() const override { return "auth"; }

  Status start(Context& context) override {
    const auto& cfg = context.config();
    auto opened = store::sqlite::SqliteGatewayStore::open(cfg.data_dir / "metadata.db");
    if (!opened.ok()) {
      return Status(opened.status().code(), "cannot open the gateway store: " + opened.status().message());
    }
    store_ = std::move(*opened);
    auto secret = auth::open_key_secret(cfg.data_dir / "keys.secret", *store_);
    if (!secret.ok()) {
      return Status(secret.status().code(), "cannot read the API keys' secret: " + secret.status().message());
    }
    keys_ = std::make_unique<auth::KeyService>(*store_, *secret);
    MAAS_RETURN_IF_ERROR(set_up_signing(context));
    if (auto s = keys_->load(); !s.ok()) return Status(s.code(), "cannot read the API keys: " + s.message());
    MAAS_RETURN_IF_ERROR(set_up_jwt(context));
    MAAS_RETURN_IF_ERROR(bootstrap_admin(cfg.data_dir));
    auth::AuditOptions audit_options;
    audit_options.anonymous_per_second = static_cast<double>(cfg.audit_anonymous_records_per_second);
    audit_options.max_field_bytes = static_cast<size_t>(cfg.audit_max_field_bytes);
    audit_options.retention_ms = cfg.audit_retention_ms;
    audit_options.max_rows = cfg.audit_max_rows;
    audit_options.retention_interval = std::chrono::milliseconds(cfg.audit_retention_interval_ms);
    audit_ = std::make_unique<auth::AuditLog>(*store_, context.metrics(), audit_options);
    context.services().provide<store::GatewayStore>(*store_);
    context.services().provide(*keys_);

    context.server().set_authenticator(
        [keys = keys_.get()](const http::Request& req, http::Access access) { return keys->authorize(req, access); });
    context.on_request_observed([audit = audit_.get()](const http::Request& req, int status,
                                                       std::chrono::microseconds) { audit->observe(req, status); });
    api::add_key_routes(context.router(), *keys_, *audit_, *store_);
    return {};
  }

 private:
  Status set_up_jwt(Context& context) {
    const auto& cfg = context.config();
    if (cfg.jwt_public_keys.empty()) return {};
    auto created = auth::JwtVerifier::create(
        {cfg.jwt_public_keys, cfg.jwt_issuer, cfg.jwt_audience, cfg.jwt_role_claim, cfg.jwt_services_claim});
    if (!created.ok()) {
      return Status(created.status().code(), "cannot set up JWT verification: " + created.status().message());
    }
    jwt_ = std::move(*created);
    keys_->set_jwt_verifier(jwt_);
    spdlog::info("accepting JWTs from issuer '{}' for audience '{}' signed by {} key(s)", cfg.jwt_issuer,
                 cfg.jwt_audience, cfg.jwt_public_keys.size());
    context.server().on_hangup([jwt = jwt_] {
      if (auto s = jwt->reload(); s.ok()) {
        spdlog::info("SIGHUP: reloaded the JWT public keys");
      } else {
        spdlog::error("SIGHUP: JWT key reload failed, keeping the current keys: {}", s.message());
      }
    });
    return {};
  }

  // Signed requests: the key-encryption key their secrets are sealed under (MAAS_SIGNING_KEK or signing.kek).
  Status set_up_signing(Context& context) {
    const auto& cfg = context.config();
    const char* env_kek = std::getenv("MAAS_SIGNING_KEK");
    auto kek = auth::open_signing_kek(env_kek && *env_kek ? std::optional<std::string>(env_kek) : std::nullopt,
                                      cfg.data_dir / "signing.kek", *store_);
    if (!kek.ok()) {
      return Status(kek.status().code(), "cannot read the signing secrets' key: " + kek.status().message());
    }
    auth::SigningOptions options;
    options.window_s = cfg.signature_window_s;
    options.nonce_cache_size = static_cast<size_t>(cfg.signature_nonce_cache_size);
    keys_->set_request_signing(std::make_shared<auth::RequestSigning>(auth::SecretBox(std::move(*kek)), options));
    return {};
  }

  Status bootstrap_admin(const std::filesystem::path& data_dir) {
    const char* env_key = std::getenv("MAAS_ADMIN_KEY");
    auto key_file = data_dir / "admin.key";
    auto generated =
        keys_->bootstrap_admin(env_key && *env_key ? std::optional<std::string>(env_key) : std::nullopt, key_file);
    if (!generated.ok()) {
      return Status(generated.status().code(), "cannot set up the first admin key: " + generated.status().message());
    }
    if (*generated) {
      // Printed once, at the first start: afterwards only the 0600 file holds it.
      std::fprintf(stderr, "\nmaasd: the first admin API key (also in %s, mode 0600; shown only now):\n\n  %s\n\n",
                   key_file.c_str(), (*generated)->c_str());
    }
    return {};
  }

  std::unique_ptr<store::sqlite::SqliteGatewayStore> store_;
  std::unique_ptr<auth::KeyService> keys_;
  std::shared_ptr<auth::JwtVerifier> jwt_;
  std::unique_ptr<auth::AuditLog> audit_;
};

}  // namespace

std::unique_ptr<Component> make_auth_component() { return std::make_unique<AuthComponent>(); }

}  // namespace maas::server
