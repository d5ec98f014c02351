#include "store/sqlite/sqlite_gateway_store.h"

#include <algorithm>

#include "common/clock.h"
#include "common/json_parse.h"
#include "store/sqlite/migrations.h"

namespace maas::store::sqlite {
namespace {

using nlohmann::json;

json parse_json(const std::string& text) { return parse_json_or(text, json::object()); }

std::optional<int64_t> optional_int(const Statement& s, int column) {
  if (s.column_is_null(column)) return std::nullopt;
  return s.column_int(column);
}

Statement& bind_optional_int(Statement& s, int index, std::optional<int64_t> value) {
  return value ? s.bind(index, *value) : s.bind_null(index);
}

constexpr const char* kKeyColumns =
    "id, name, role, token_hash, policy, created_by, created_at_ms, expires_at_ms, revoked_at_ms, hash_scheme, "
    "signing_secret, cert_subject";

KeyRecord read_key(const Statement& s) {
  KeyRecord k;
  k.id = s.column_text(0);
  k.name = s.column_text(1);
  k.role = s.column_text(2);
  k.token_hash = s.column_text(3);
  k.policy = parse_json(s.column_text(4));
  k.created_by = s.column_text(5);
  k.created_at_ms = s.column_int(6);
  k.expires_at_ms = optional_int(s, 7);
  k.revoked_at_ms = optional_int(s, 8);
  k.hash_scheme = s.column_text(9);
  k.signing_secret = s.column_text(10);
  k.cert_subject = s.column_text(11);
  return k;
}

constexpr const char* kServiceColumns = "name, spec, state, revision, created_at_ms, updated_at_ms";

ServiceRecord read_service(const Statement& s) {
  ServiceRecord r;
  r.name = s.column_text(0);
  r.spec = parse_json(s.column_text(1));
  r.state = parse_json(s.column_text(2));
  r.revision = s.column_int(3);
  r.created_at_ms = s.column_int(4);
  r.updated_at_ms = s.column_int(5);
  return r;
}

Status service_not_found(std::string_view name) {
  return not_found("service '" + std::string(name) + "' does not exist");
}

}  // namespace

Result<std::unique_ptr<SqliteGatewayStore>> SqliteGatewayStore::open(const std::filesystem::path& path) {
  MAAS_ASSIGN_OR_RETURN(auto db, Database::open(path));
  // A replaced token hash is overwritten on its page, not left behind in free space (at no extra I/O).
  MAAS_RETURN_IF_ERROR(db->exec("PRAGMA secure_delete=FAST"));
  MAAS_RETURN_IF_ERROR(migrate(*db));
  return std::unique_ptr<SqliteGatewayStore>(new SqliteGatewayStore(std::move(db)));
}

Status SqliteGatewayStore::create_key(const KeyRecord& key) {
  std::lock_guard lock(mu_);
  MAAS_ASSIGN_OR_RETURN(
      auto s, db_->prepare(std::string("INSERT INTO api_keys(") + kKeyColumns + ") VALUES(?,?,?,?,?,?,?,?,?,?,?,?)"));
  s.bind(1, key.id).bind(2, key.name).bind(3, key.role).bind(4, key.token_hash).bind(5, key.policy.dump());
  s.bind(6, key.created_by).bind(7, key.created_at_ms);
  bind_optional_int(s, 8, key.expires_at_ms);
  bind_optional_int(s, 9, key.revoked_at_ms);
  s.bind(10, key.hash_scheme).bind(11, key.signing_secret).bind(12, key.cert_subject);
  return s.run();
}

Result<std::vector<KeyRecord>> SqliteGatewayStore::list_keys() {
  std::lock_guard lock(mu_);
  MAAS_ASSIGN_OR_RETURN(auto s,
                        db_->prepare(std::string("SELECT ") + kKeyColumns + " FROM api_keys ORDER BY created_at_ms, id"));
  std::vector<KeyRecord> out;
  for (;;) {
    MAAS_ASSIGN_OR_RETURN(bool row, s.step());
    if (!row) break;
    out.push_back(read_key(s));
  }
  return out;
}

Result<KeyRecord> SqliteGatewayStore::get_key_locked(std::string_view id) {
  MAAS_ASSIGN_OR_RETURN(auto s, db_->prepare(std::string("SELECT ") + kKeyColumns + " FROM api_keys WHERE id = ?"));
  s.bind(1, id);
  MAAS_ASSIGN_OR_RETURN(bool row, s.step());
  if (!row) return not_found("key '" + std::string(id) + "' does not exist");
  return read_key(s);
}

Result<KeyRecord> SqliteGatewayStore::revoke_key(std::string_view id, int64_t at_ms) {
  std::lock_guard lock(mu_);
  MAAS_ASSIGN_OR_RETURN(auto s,
                        db_->prepare("UPDATE api_keys SET revoked_at_ms = ? WHERE id = ? AND revoked_at_ms IS NULL"));
  MAAS_RETURN_IF_ERROR(s.bind(1, at_ms).bind(2, id).run());
  return get_key_locked(id);
}

Status SqliteGatewayStore::set_key_token_hash(std::string_view id, std::string_view token_hash,
                                              std::string_view hash_scheme) {
  std::lock_guard lock(mu_);
  MAAS_ASSIGN_OR_RETURN(auto s, db_->prepare("UPDATE api_keys SET token_hash = ?, hash_scheme = ? WHERE id = ?"));
  MAAS_RETURN_IF_ERROR(s.bind(1, token_hash).bind(2, hash_scheme).bind(3, id).run());
  if (db_->changes() == 0) return not_found("key '" + std::string(id) + "' does not exist");
  return {};
}

Status SqliteGatewayStore::set_key_signing_secret(std::string_view id, std::string_view sealed_secret) {
  std::lock_guard lock(mu_);
  MAAS_ASSIGN_OR_RETURN(auto s, db_->prepare("UPDATE api_keys SET signing_secret = ? WHERE id = ?"));
  MAAS_RETURN_IF_ERROR(s.bind(1, sealed_secret).bind(2, id).run());
  if (db_->changes() == 0) return not_found("key '" + std::string(id) + "' does not exist");
  return {};
}

Status SqliteGatewayStore::set_key_cert_subject(std::string_view id, std::string_view subject) {
  std::lock_guard lock(mu_);
  MAAS_ASSIGN_OR_RETURN(auto s, db_->prepare("UPDATE api_keys SET cert_subject = ? WHERE id = ?"));
  MAAS_RETURN_IF_ERROR(s.bind(1, subject).bind(2, id).run());
  if (db_->changes() == 0) return not_found("key '" + std::string(id) + "' does not exist");
  return {};
}

Status SqliteGatewayStore::append_audit(const std::vector<AuditRecord>& records) {
  if (records.empty()) return {};
  std::lock_guard lock(mu_);
  Transaction tx(*db_);
  MAAS_RETURN_IF_ERROR(tx.begin());
  MAAS_ASSIGN_OR_RETURN(auto s, db_->prepare("INSERT INTO audit_log(at_ms, key_id, actor, method, path, status, "
                                             "request_id) VALUES(?,?,?,?,?,?,?)"));
  for (const auto& r : records) {
    s.bind(1, r.at_ms).bind(2, r.key_id).bind(3, r.actor).bind(4, r.method).bind(5, r.path);
    s.bind(6, int64_t{r.status}).bind(7, r.request_id);
    MAAS_RETURN_IF_ERROR(s.run());
  }
  return tx.commit();
}

Result<std::vector<AuditRecord>> SqliteGatewayStore::list_audit(int64_t before_id, int limit) {
  std::lock_guard lock(mu_);
  MAAS_ASSIGN_OR_RETURN(auto s, db_->prepare("SELECT id, at_ms, key_id, actor, method, path, status, request_id "
                                             "FROM audit_log WHERE (? = 0 OR id < ?) ORDER BY id DESC LIMIT ?"));
  s.bind(1, before_id).bind(2, before_id).bind(3, int64_t{limit});
  std::vector<AuditRecord> out;
  for (;;) {
    MAAS_ASSIGN_OR_RETURN(bool row, s.step());
    if (!row) break;
    AuditRecord r;
    r.id = s.column_int(0);
    r.at_ms = s.column_int(1);
    r.key_id = s.column_text(2);
    r.actor = s.column_text(3);
    r.method = s.column_text(4);
    r.path = s.column_text(5);
    r.status = static_cast<int>(s.column_int(6));
    r.request_id = s.column_text(7);
    out.push_back(std::move(r));
  }
  return out;
}

Result<int64_t> SqliteGatewayStore::trim_audit(int64_t older_than_ms, int64_t keep_rows) {
  // Ids grow with time: everything below one id goes. Found without a scan of what stays: the first record new
  // enough is reached after the old ones only, and the row limit is arithmetic on the newest id.
  int64_t below = 0;
  {
    std::lock_guard lock(mu_);
    MAAS_ASSIGN_OR_RETURN(auto newest, db_->prepare("SELECT COALESCE(MAX(id), 0) FROM audit_log"));
    MAAS_ASSIGN_OR_RETURN(bool any, newest.step());
    int64_t max_id = any ? newest.column_int(0) : 0;
    if (max_id == 0) return int64_t{0};
    if (keep_rows > 0) below = std::max(below, max_id - keep_rows + 1);
    if (older_than_ms > 0) {
      MAAS_ASSIGN_OR_RETURN(auto first_new,
                            db_->prepare("SELECT id FROM audit_log WHERE at_ms >= ? ORDER BY id LIMIT 1"));
      first_new.bind(1, older_than_ms);
      MAAS_ASSIGN_OR_RETURN(bool found, first_new.step());
      below = std::max(below, found ? first_new.column_int(0) : max_id + 1);
    }
  }
  // In batches, letting key and service writes in between: the first run over a large old table takes a while.
  constexpr int64_t kBatch = 10'000;
  int64_t deleted = 0;
  for (;;) {
    std::lock_guard lock(mu_);
    MAAS_ASSIGN_OR_RETURN(auto s, db_->prepare("DELETE FROM audit_log WHERE id IN "
                                               "(SELECT id FROM audit_log WHERE id < ? ORDER BY id LIMIT ?)"));
    MAAS_RETURN_IF_ERROR(s.bind(1, below).bind(2, kBatch).run());
    int64_t n = db_->changes();
    deleted += n;
    if (n < kBatch) return deleted;
  }
}

Status SqliteGatewayStore::create_service(const ServiceRecord& service) {
  std::lock_guard lock(mu_);
  MAAS_ASSIGN_OR_RETURN(auto s, db_->prepare(std::string("INSERT INTO services(") + kServiceColumns +
                                              ") VALUES(?,?,?,1,?,?)"));
  int64_t now = now_unix_ms();
  s.bind(1, service.name).bind(2, service.spec.dump()).bind(3, service.state.dump()).bind(4, now).bind(5, now);
  Status st = s.run();
  if (st.code() == StatusCode::kAlreadyExists) {
    return already_exists("service '" + service.name + "' already exists");
  }
  return st;
}

Result<ServiceRecord> SqliteGatewayStore::get_service_locked(std::string_view name) {
  MAAS_ASSIGN_OR_RETURN(auto s,
                        db_->prepare(std::string("SELECT ") + kServiceColumns + " FROM services WHERE name = ?"));
  s.bind(1, name);
  MAAS_ASSIGN_OR_RETURN(bool row, s.step());
  if (!row) return service_not_found(name);
  return read_service(s);
}

Result<ServiceRecord> SqliteGatewayStore::get_service(std::string_view name) {
  std::lock_guard lock(mu_);
  return get_service_locked(name);
}

Result<std::vector<ServiceRecord>> SqliteGatewayStore::list_services() {
  std::lock_guard lock(mu_);
  MAAS_ASSIGN_OR_RETURN(auto s,
                        db_->prepare(std::string("SELECT ") + kServiceColumns + " FROM services ORDER BY name"));
  std::vector<ServiceRecord> out;
  for (;;) {
    MAAS_ASSIGN_OR_RETURN(bool row, s.step());
    if (!row) break;
    out.push_back(read_service(s));
  }
  return out;
}

Result<ServiceRecord> SqliteGatewayStore::update_service(std::string_view name, const nlohmann::json& spec,
                                                         const nlohmann::json& state, int64_t expected_revision) {
  std::lock_guard lock(mu_);
  MAAS_ASSIGN_OR_RETURN(auto s, db_->prepare("UPDATE services SET spec = ?, state = ?, revision = revision + 1, "
                                             "updated_at_ms = ? WHERE name = ? AND revision = ?"));
  MAAS_RETURN_IF_ERROR(
      s.bind(1, spec.dump()).bind(2, state.dump()).bind(3, now_unix_ms()).bind(4, name).bind(5, expected_revision).run());
  if (db_->changes() == 0) {
    MAAS_ASSIGN_OR_RETURN(auto current, get_service_locked(name));
    return failed_precondition("service '" + std::string(name) + "' changed meanwhile (revision " +
                               std::to_string(current.revision) + ", expected " + std::to_string(expected_revision) +
                               "); read it again and retry");
  }
  return get_service_locked(name);
}

Status SqliteGatewayStore::delete_service(std::string_view name) {
  std::lock_guard lock(mu_);
  MAAS_ASSIGN_OR_RETURN(auto s, db_->prepare("DELETE FROM services WHERE name = ?"));
  MAAS_RETURN_IF_ERROR(s.bind(1, name).run());
  if (db_->changes() == 0) return service_not_found(name);
  return {};
}

Status SqliteGatewayStore::append_service_event(const ServiceEvent& event) {
  std::lock_guard lock(mu_);
  MAAS_ASSIGN_OR_RETURN(auto s, db_->prepare("INSERT INTO service_events(service, at_ms, kind, message, detail) "
                                             "VALUES(?,?,?,?,?)"));
  return s.bind(1, event.service).bind(2, event.at_ms).bind(3, event.kind).bind(4, event.message)
      .bind(5, event.detail.dump())
      .run();
}

Result<std::vector<ServiceEvent>> SqliteGatewayStore::list_service_events(std::string_view service, int limit) {
  std::lock_guard lock(mu_);
  MAAS_ASSIGN_OR_RETURN(auto s, db_->prepare("SELECT id, service, at_ms, kind, message, detail FROM ("
                                             "SELECT * FROM service_events WHERE service = ? ORDER BY id DESC LIMIT ?"
                                             ") ORDER BY id"));
  s.bind(1, service).bind(2, int64_t{limit});
  std::vector<ServiceEvent> out;
  for (;;) {
    MAAS_ASSIGN_OR_RETURN(bool row, s.step());
    if (!row) break;
    ServiceEvent e;
    e.id = s.column_int(0);
    e.service = s.column_text(1);
    e.at_ms = s.column_int(2);
    e.kind = s.column_text(3);
    e.message = s.column_text(4);
    e.detail = parse_json(s.column_text(5));
    out.push_back(std::move(e));
  }
  return out;
}

Status SqliteGatewayStore::add_usage(const std::vector<UsageDelta>& deltas) {
  if (deltas.empty()) return {};
  std::lock_guard lock(mu_);
  Transaction tx(*db_);
  MAAS_RETURN_IF_ERROR(tx.begin());
  MAAS_ASSIGN_OR_RETURN(auto s, db_->prepare(
      "INSERT INTO key_usage(key_id, period, requests, tokens) VALUES(?,?,?,?) ON CONFLICT(key_id, period) "
      "DO UPDATE SET requests = requests + excluded.requests, tokens = tokens + excluded.tokens"));
  for (const auto& d : deltas) {
    MAAS_RETURN_IF_ERROR(s.bind(1, d.key_id).bind(2, d.period).bind(3, d.requests).bind(4, d.tokens).run());
  }
  return tx.commit();
}

Result<std::pair<int64_t, int64_t>> SqliteGatewayStore::usage(std::string_view key_id, std::string_view period) {
  std::lock_guard lock(mu_);
  MAAS_ASSIGN_OR_RETURN(auto s, db_->prepare("SELECT requests, tokens FROM key_usage WHERE key_id = ? AND period = ?"));
  s.bind(1, key_id).bind(2, period);
  MAAS_ASSIGN_OR_RETURN(bool row, s.step());
  if (!row) return std::pair<int64_t, int64_t>{0, 0};
  return std::pair<int64_t, int64_t>{s.column_int(0), s.column_int(1)};
}

}  // namespace maas::store::sqlite
