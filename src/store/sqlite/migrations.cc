#include "store/sqlite/migrations.h"

#include <vector>

#include "common/clock.h"

namespace maas::store::sqlite {
namespace {

const std::vector<const char*>& migration_sql() {
  static const std::vector<const char*> kMigrations = {
      // 1: the model registry.
      R"sql(
CREATE TABLE models (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  description TEXT NOT NULL DEFAULT '',
  tags TEXT NOT NULL DEFAULT '{}',
  next_version INTEGER NOT NULL DEFAULT 1,
  created_at_ms INTEGER NOT NULL,
  updated_at_ms INTEGER NOT NULL
);
CREATE TABLE model_versions (
  model_id INTEGER NOT NULL REFERENCES models(id) ON DELETE CASCADE,
  version INTEGER NOT NULL,
  framework TEXT NOT NULL,
  format TEXT NOT NULL,
  digest TEXT NOT NULL,
  size_bytes INTEGER NOT NULL,
  signature TEXT NOT NULL DEFAULT '{}',
  description TEXT NOT NULL DEFAULT '',
  tags TEXT NOT NULL DEFAULT '{}',
  metrics TEXT NOT NULL DEFAULT '{}',
  lineage TEXT NOT NULL DEFAULT '{}',
  state TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_at_ms INTEGER NOT NULL,
  updated_at_ms INTEGER NOT NULL,
  PRIMARY KEY (model_id, version)
);
CREATE INDEX model_versions_digest ON model_versions(digest);
CREATE TABLE aliases (
  model_id INTEGER NOT NULL REFERENCES models(id) ON DELETE CASCADE,
  alias TEXT NOT NULL,
  version INTEGER NOT NULL,
  updated_at_ms INTEGER NOT NULL,
  PRIMARY KEY (model_id, alias),
  FOREIGN KEY (model_id, version) REFERENCES model_versions(model_id, version)
);
CREATE TABLE version_transitions (
  id INTEGER PRIMARY KEY,
  model_id INTEGER NOT NULL,
  version INTEGER NOT NULL,
  from_state TEXT,
  to_state TEXT NOT NULL,
  actor TEXT NOT NULL,
  reason TEXT NOT NULL DEFAULT '',
  at_ms INTEGER NOT NULL,
  FOREIGN KEY (model_id, version) REFERENCES model_versions(model_id, version) ON DELETE CASCADE
);
CREATE INDEX version_transitions_version ON version_transitions(model_id, version);
)sql",
      // 2: the gateway: API keys (token hashes only), the audit log, services and their events, key usage.
      R"sql(
CREATE TABLE api_keys (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  role TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  policy TEXT NOT NULL DEFAULT '{}',
  created_by TEXT NOT NULL,
  created_at_ms INTEGER NOT NULL,
  expires_at_ms INTEGER,
  revoked_at_ms INTEGER
);
CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY,
  at_ms INTEGER NOT NULL,
  key_id TEXT NOT NULL,
  actor TEXT NOT NULL,
  method TEXT NOT NULL,
  path TEXT NOT NULL,
  status INTEGER NOT NULL,
  request_id TEXT NOT NULL
);
CREATE TABLE services (
  name TEXT PRIMARY KEY,
  spec TEXT NOT NULL,
  state TEXT NOT NULL DEFAULT '{}',
  revision INTEGER NOT NULL,
  created_at_ms INTEGER NOT NULL,
  updated_at_ms INTEGER NOT NULL
);
CREATE TABLE service_events (
  id INTEGER PRIMARY KEY,
  service TEXT NOT NULL REFERENCES services(name) ON DELETE CASCADE,
  at_ms INTEGER NOT NULL,
  kind TEXT NOT NULL,
  message TEXT NOT NULL,
  detail TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX service_events_service ON service_events(service, id);
CREATE TABLE key_usage (
  key_id TEXT NOT NULL,
  period TEXT NOT NULL,
  requests INTEGER NOT NULL DEFAULT 0,
  tokens INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (key_id, period)
);
)sql",
      // 3: API keys hashed with HMAC-SHA256 under the installation's secret; the keys stored before keep their
      // SHA-256 until their next use rehashes them.
      R"sql(
ALTER TABLE api_keys ADD COLUMN hash_scheme TEXT NOT NULL DEFAULT 'sha256';
)sql",
      // 4: the job queue (src/jobs/): one row per job; seq orders them by submission.
      R"sql(
CREATE TABLE jobs (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL,
  params TEXT NOT NULL,
  state TEXT NOT NULL,
  priority INTEGER NOT NULL,
  owner TEXT NOT NULL,
  cpu_slots INTEGER NOT NULL,
  memory_bytes INTEGER NOT NULL,
  attempts INTEGER NOT NULL,
  max_attempts INTEGER NOT NULL,
  interruptions INTEGER NOT NULL,
  created_at_ms INTEGER NOT NULL,
  updated_at_ms INTEGER NOT NULL,
  started_at_ms INTEGER,
  finished_at_ms INTEGER,
  not_before_ms INTEGER NOT NULL,
  progress REAL NOT NULL,
  progress_message TEXT NOT NULL,
  progress_metrics TEXT NOT NULL,
  result TEXT,
  error TEXT NOT NULL,
  checkpoint TEXT NOT NULL
);
CREATE INDEX jobs_state ON jobs(state, seq);
CREATE INDEX jobs_owner ON jobs(owner, seq);
CREATE INDEX jobs_kind ON jobs(kind, seq);
)sql",
      // 5: the dataset registry (data/datasets/): datasets, immutable versions (a Parquet blob each, with its schema,
      // profile, rejected rows and lineage) and aliases.
      R"sql(
CREATE TABLE datasets (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  description TEXT NOT NULL DEFAULT '',
  tags TEXT NOT NULL DEFAULT '{}',
  next_version INTEGER NOT NULL DEFAULT 1,
  created_at_ms INTEGER NOT NULL,
  updated_at_ms INTEGER NOT NULL
);
CREATE TABLE dataset_versions (
  dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
  version INTEGER NOT NULL,
  digest TEXT NOT NULL,
  size_bytes INTEGER NOT NULL,
  row_count INTEGER NOT NULL,
  schema TEXT NOT NULL DEFAULT '[]',
  profile TEXT NOT NULL DEFAULT '{}',
  rejects_digest TEXT NOT NULL DEFAULT '',
  rejects_size_bytes INTEGER NOT NULL DEFAULT 0,
  rejected_rows INTEGER NOT NULL DEFAULT 0,
  lineage TEXT NOT NULL DEFAULT '{}',
  description TEXT NOT NULL DEFAULT '',
  tags TEXT NOT NULL DEFAULT '{}',
  state TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_at_ms INTEGER NOT NULL,
  updated_at_ms INTEGER NOT NULL,
  PRIMARY KEY (dataset_id, version)
);
CREATE INDEX dataset_versions_digest ON dataset_versions(digest);
CREATE TABLE dataset_aliases (
  dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
  alias TEXT NOT NULL,
  version INTEGER NOT NULL,
  updated_at_ms INTEGER NOT NULL,
  PRIMARY KEY (dataset_id, alias),
  FOREIGN KEY (dataset_id, version) REFERENCES dataset_versions(dataset_id, version)
);
)sql",
      // 6: the data center's sources (src/data/sources/). `secret` is the credential sealed under the
      // installation's secret (never returned); `config` holds the rest.
      R"sql(
CREATE TABLE sources (
  name TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  config TEXT NOT NULL DEFAULT '{}',
  secret TEXT NOT NULL DEFAULT '',
  description TEXT NOT NULL DEFAULT '',
  created_by TEXT NOT NULL,
  created_at_ms INTEGER NOT NULL,
  updated_at_ms INTEGER NOT NULL
);
)sql",
      // 7: the data center's extraction rules (src/data/rules/): a name, and its immutable versions, each a whole
      // rule. Numbers are never reused while the rule exists (next_version only grows).
      R"sql(
CREATE TABLE rules (
  name TEXT PRIMARY KEY,
  description TEXT NOT NULL DEFAULT '',
  next_version INTEGER NOT NULL,
  created_by TEXT NOT NULL,
  created_at_ms INTEGER NOT NULL,
  updated_at_ms INTEGER NOT NULL
);
CREATE TABLE rule_versions (
  name TEXT NOT NULL REFERENCES rules(name) ON DELETE CASCADE,
  version INTEGER NOT NULL,
  spec TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  created_by TEXT NOT NULL,
  created_at_ms INTEGER NOT NULL,
  PRIMARY KEY (name, version)
);
)sql",
      // 8: feature pipelines (src/features/, docs/FEATURES.md): a name and its spec, immutable fitted versions (the
      // fitted state a blob in the artifact store; the dataset version it was fitted on; input and output schemas)
      // and aliases. Numbers are never reused while the pipeline exists (next_version only grows).
      R"sql(
CREATE TABLE pipelines (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  spec TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  tags TEXT NOT NULL DEFAULT '{}',
  next_version INTEGER NOT NULL DEFAULT 1,
  created_by TEXT NOT NULL,
  created_at_ms INTEGER NOT NULL,
  updated_at_ms INTEGER NOT NULL
);
CREATE TABLE pipeline_versions (
  pipeline_id INTEGER NOT NULL REFERENCES pipelines(id) ON DELETE CASCADE,
  version INTEGER NOT NULL,
  spec TEXT NOT NULL,
  state_digest TEXT NOT NULL,
  state_size_bytes INTEGER NOT NULL,
  dataset TEXT NOT NULL,
  dataset_version INTEGER NOT NULL,
  input_schema TEXT NOT NULL DEFAULT '[]',
  output_columns TEXT NOT NULL DEFAULT '[]',
  job_id TEXT NOT NULL DEFAULT '',
  tags TEXT NOT NULL DEFAULT '{}',
  state TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_at_ms INTEGER NOT NULL,
  updated_at_ms INTEGER NOT NULL,
  PRIMARY KEY (pipeline_id, version)
);
CREATE INDEX pipeline_versions_digest ON pipeline_versions(state_digest);
CREATE UNIQUE INDEX pipeline_versions_job ON pipeline_versions(job_id) WHERE job_id != '';
CREATE TABLE pipeline_aliases (
  pipeline_id INTEGER NOT NULL REFERENCES pipelines(id) ON DELETE CASCADE,
  alias TEXT NOT NULL,
  version INTEGER NOT NULL,
  updated_at_ms INTEGER NOT NULL,
  PRIMARY KEY (pipeline_id, alias),
  FOREIGN KEY (pipeline_id, version) REFERENCES pipeline_versions(pipeline_id, version)
);
)sql",
      // 9: feature views of the online store (src/features/online/, docs/FEATURES.md#online-features): a name and
      // its definition (entity, time, value columns, windowed features), and the model versions whose inference
      // requests feed one. The per-entity state is in memory only.
      R"sql(
CREATE TABLE feature_views (
  name TEXT PRIMARY KEY,
  definition TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  created_by TEXT NOT NULL,
  created_at_ms INTEGER NOT NULL,
  updated_at_ms INTEGER NOT NULL
);
CREATE TABLE model_version_feature_views (
  model TEXT NOT NULL,
  version INTEGER NOT NULL,
  view TEXT NOT NULL REFERENCES feature_views(name),
  updated_at_ms INTEGER NOT NULL,
  PRIMARY KEY (model, version)
);
)sql",
      // 10: the pipeline version a model version is served with (features/serving/): one per model version, gone
      // with the model version; a pipeline version attached to one cannot be deleted (no cascade on that side).
      R"sql(
CREATE TABLE model_version_pipelines (
  model_id INTEGER NOT NULL,
  version INTEGER NOT NULL,
  pipeline_id INTEGER NOT NULL,
  pipeline_version INTEGER NOT NULL,
  attached_by TEXT NOT NULL,
  attached_at_ms INTEGER NOT NULL,
  PRIMARY KEY (model_id, version),
  FOREIGN KEY (model_id, version) REFERENCES model_versions(model_id, version) ON DELETE CASCADE,
  FOREIGN KEY (pipeline_id, pipeline_version) REFERENCES pipeline_versions(pipeline_id, version)
);
CREATE INDEX model_version_pipelines_pipeline ON model_version_pipelines(pipeline_id);
)sql",
      // 11: HPO studies (src/studies/, docs/HPO.md): a study's spec as created (directions, space, sampler, pruner,
      // budget, objective) and its trials. Trial numbers are never reused (next_number only grows); a new study of a
      // deleted one's name gets a new id.
      R"sql(
CREATE TABLE studies (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL UNIQUE,
  spec TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_at_ms INTEGER NOT NULL,
  next_number INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE study_trials (
  study_id INTEGER NOT NULL REFERENCES studies(id) ON DELETE CASCADE,
  number INTEGER NOT NULL,
  state TEXT NOT NULL,
  params TEXT NOT NULL,
  objective_values TEXT NOT NULL DEFAULT '[]',
  intermediate TEXT NOT NULL DEFAULT '[]',
  job_id TEXT NOT NULL DEFAULT '',
  created_at_ms INTEGER NOT NULL,
  updated_at_ms INTEGER NOT NULL,
  finished_at_ms INTEGER,
  PRIMARY KEY (study_id, number)
);
)sql",
      // 12: validation policies (src/training/validation/, docs/TRAINING.md#validation-policies): one per model
      // name, its normalized JSON; a version of a model with one becomes ready only by passing it.
      R"sql(
CREATE TABLE validation_policies (
  model TEXT PRIMARY KEY,
  policy TEXT NOT NULL,
  updated_by TEXT NOT NULL,
  updated_at_ms INTEGER NOT NULL
);
)sql",
      // 13: signed requests and client certificates (docs/SECURITY.md): a key's request-signing secret, sealed
      // with AES-256-GCM under the data dir's key-encryption key ('' : none), and the client certificate subject
      // (an RFC 2253 DN) bound to it ('' : none; one key per subject).
      R"sql(
ALTER TABLE api_keys ADD COLUMN signing_secret TEXT NOT NULL DEFAULT '';
ALTER TABLE api_keys ADD COLUMN cert_subject TEXT NOT NULL DEFAULT '';
CREATE UNIQUE INDEX api_keys_cert_subject ON api_keys(cert_subject) WHERE cert_subject != '';
)sql",
      // 14: retraining (src/training/retrain/, docs/TRAINING.md#retraining): one policy per model name (its
      // normalized JSON and the triggers' bookkeeping), and the runs it started, each a JSON record.
      R"sql(
CREATE TABLE retraining_policies (
  model TEXT PRIMARY KEY,
  policy TEXT NOT NULL,
  trigger_state TEXT NOT NULL,
  updated_by TEXT NOT NULL,
  updated_at_ms INTEGER NOT NULL
);
CREATE TABLE retraining_runs (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  model TEXT NOT NULL,
  finished INTEGER NOT NULL,
  record TEXT NOT NULL
);
CREATE INDEX retraining_runs_by_model ON retraining_runs(model, seq);
)sql",
  };
  return kMigrations;
}

}  // namespace

int latest_schema_version() { return static_cast<int>(migration_sql().size()); }

Status migrate(Database& db) {
  MAAS_RETURN_IF_ERROR(db.exec(
      "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at_ms INTEGER NOT NULL)"));
  MAAS_ASSIGN_OR_RETURN(auto current_stmt, db.prepare("SELECT COALESCE(MAX(version), 0) FROM schema_migrations"));
  MAAS_ASSIGN_OR_RETURN(bool has_row, current_stmt.step());
  int current = has_row ? static_cast<int>(current_stmt.column_int(0)) : 0;
  if (current > latest_schema_version()) {
    return failed_precondition("the metadata store has schema version " + std::to_string(current) +
                               " but this maasd knows only up to " + std::to_string(latest_schema_version()) +
                               "; run a newer maasd");
  }
  for (int v = current + 1; v <= latest_schema_version(); ++v) {
    Transaction tx(db);
    MAAS_RETURN_IF_ERROR(tx.begin());
    MAAS_RETURN_IF_ERROR(db.exec(migration_sql()[static_cast<size_t>(v - 1)]));
    MAAS_ASSIGN_OR_RETURN(auto record, db.prepare("INSERT INTO schema_migrations(version, applied_at_ms) VALUES(?, ?)"));
    MAAS_RETURN_IF_ERROR(record.bind(1, int64_t{v}).bind(2, now_unix_ms()).run());
    MAAS_RETURN_IF_ERROR(tx.commit());
  }
  return {};
}

}  // namespace maas::store::sqlite
