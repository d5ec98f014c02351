// maasd: the maas server. The components, in the order they start (each may use the services of those before it);
// everything else — settings, the HTTP server, start-up, serving, drain, shutdown — is the core's (maasd.h).
#include "server/components/components.h"
#include "server/maasd.h"

int main(int argc, char** argv) {
  using namespace maas::server;
  Maasd maasd;
  maasd.add(make_system_component());      // health, version, routes, /metrics
  maasd.add(make_console_component());     // the web console at /ui/
  maasd.add(make_registry_component());    // metadata and artifact stores, /api/v1/models, garbage collection
  maasd.add(make_auth_component());        // API keys, JWTs, audit: every request's authorization
  maasd.add(make_logs_component());        // the log center, Loki's API
  maasd.add(make_data_component());        // datasets, rule discovery
  maasd.add(make_features_component());    // feature pipelines
  maasd.add(make_online_features_component());  // the online feature store
  maasd.add(make_supervisor_component());  // every process maas runs: one restart policy, one set of limits
  maasd.add(make_runtime_component());     // the model manager and its workers
  maasd.add(make_llm_component());         // the generative runner for GGUF versions
  maasd.add(make_graph_component());       // inference graphs (maas-graph versions) served over other versions
  maasd.add(make_gateway_component());     // services, limits, canaries, autoscaling
  maasd.add(make_inference_component());   // /v2 (Open Inference Protocol) and /v1 (OpenAI)
  maasd.add(make_grpc_component());        // the Open Inference Protocol over gRPC, on grpc.port
  maasd.add(make_alerting_component());    // rules, notifications, subscriptions
  maasd.add(make_jobs_component());        // /api/v1/jobs and the built-in job kinds
  maasd.add(make_studies_component());     // hyperparameter studies, ask-and-tell
  maasd.add(make_retraining_component());  // retraining policies and runs: train, validate, canary
  return maasd.serve(argc, argv);
}
