// The components maasd is made of, one factory each (the classes live in their .cc files, apart from the core,
// which knows none of them). Each adapts one subsystem to the server: its settings, routes, metrics, periodic
// tasks, start and stop. server/main.cc lists them in the order they start; the comment on each names the
// services it provides (services.h) and those it needs from components listed before it.
#pragma once

#include <memory>

#include "server/component.h"

namespace maas::server {

// /api/v1/health, /api/v1/version, /api/v1/routes, /metrics; HTTP, process and connection metrics.
std::unique_ptr<Component> make_system_component();
// The web console at /ui/.
std::unique_ptr<Component> make_console_component();
// Provides store::MetadataStore, artifacts::ArtifactStore, registry::Registry; /api/v1/models; garbage collection.
std::unique_ptr<Component> make_registry_component();
// Provides store::GatewayStore, auth::KeyService; every request's authorization, audit, /api/v1/keys.
std::unique_ptr<Component> make_auth_component();
// Provides logs::LogCenter; the request log, tailed files, Loki's API. Needs the registry.
std::unique_ptr<Component> make_logs_component();
// /api/v1/datasets and rule discovery (src/data/api). Needs the registry.
std::unique_ptr<Component> make_data_component();
// Provides features::FeaturesApi; /api/v1/pipelines (src/features/api). Needs the data center.
std::unique_ptr<Component> make_features_component();
// Provides features::online::OnlineFeatures and api::InferInputHook; /api/v1/feature-views and a model version's
// feature view: the online feature store (src/features/online). Needs the registry.
std::unique_ptr<Component> make_online_features_component();
// Provides supervisor::Supervisor: every process maas runs beside itself, under one restart policy and limits.
std::unique_ptr<Component> make_supervisor_component();
// Provides runtime::ModelManager, runtime::RuntimeMetrics: model workers of every kind. Needs the registry and
// the supervisor; the log center records its events when present.
std::unique_ptr<Component> make_runtime_component();
// The generative (LLM) runner in the model manager. Needs the runtime.
std::unique_ptr<Component> make_llm_component();
// maas-graph versions (inference graphs) in the model manager, and their check at upload. Needs the registry and the
// runtime.
std::unique_ptr<Component> make_graph_component();
// Provides gateway::Gateway and VersionDeployer (version_deployer.h): services, limits, canaries, autoscaling;
// /api/v1/services. Needs the registry, auth's gateway store and the runtime.
std::unique_ptr<Component> make_gateway_component();
// /v2 (Open Inference Protocol) and /v1 (OpenAI); answers the gateway's VersionDeployer. Needs the registry, the
// runtime and the gateway.
std::unique_ptr<Component> make_inference_component();
// The gRPC Open Inference Protocol on grpc.port (none when 0), answered by the /v2 routes. Needs the inference
// component's routes; auth's authorization when present.
std::unique_ptr<Component> make_grpc_component();
// Provides alerting::Engine; rules, notifications, subscriptions; /api/v1/alerts. Needs the log center.
std::unique_ptr<Component> make_alerting_component();
// Provides jobs::JobService and training::validation::Validator; /api/v1/jobs: the job system and the built-in
// kinds. Needs the registry, logs, runtime and supervisor.
std::unique_ptr<Component> make_jobs_component();
// /api/v1/studies: hyperparameter studies, ask-and-tell, built-in objectives. Needs the registry; the jobs for
// built-in objectives.
std::unique_ptr<Component> make_studies_component();
// /api/v1/models/{name}/retraining: retraining policies and runs (train, validate, canary). Needs the data center,
// the jobs (and the validator they provide); the gateway for canaries and alerting for alert triggers when present.
std::unique_ptr<Component> make_retraining_component();

}  // namespace maas::server
