// Gateway::admit and Gateway::charge_tokens: the token buckets of a key, a service and a key on a service (requests
// and LLM tokens), then the key's quotas.
#include "gateway/gateway.h"

namespace maas::gateway {
using nlohmann::json;

namespace {

// One limit that applies to a request: a request bucket (a token per request) or an LLM-token bucket (tpm).
struct LimitBucket {
  std::string key;
  double rate, burst;  // tokens a second, capacity
  const char* reason;
  enum Scope { kKey, kService, kKeyOnService } scope;
  bool llm_tokens;
};

std::string describe(LimitBucket::Scope scope, const ServiceSnapshot* svc, const http::Principal* who) {
  switch (scope) {
    case LimitBucket::kKey: return "key " + who->key_id;
    case LimitBucket::kService: return "service '" + svc->spec.name + "'";
    case LimitBucket::kKeyOnService: return "key " + who->key_id + " on service '" + svc->spec.name + "'";
  }
  return "";
}

// The limits of the key, of the service and of the key on the service, request buckets first.
size_t limit_buckets(const ServiceSnapshot* svc, const http::Principal* who, LimitBucket (&out)[6]) {
  size_t n = 0;
  if (who && who->rate_limit_rps > 0) {
    out[n++] = {"k:" + who->key_id, who->rate_limit_rps, who->rate_limit_burst, "rate_limit_key", LimitBucket::kKey, false};
  }
  if (svc && svc->spec.rps > 0) {
    out[n++] = {"s:" + svc->spec.name, svc->spec.rps, svc->spec.burst, "rate_limit_service",
                LimitBucket::kService, false};
  }
  if (svc && who && svc->spec.key_rps > 0) {
    out[n++] = {"ks:" + who->key_id + ":" + svc->spec.name, svc->spec.key_rps, svc->spec.key_burst,
                "rate_limit_key_service", LimitBucket::kKeyOnService, false};
  }
  // Tokens a minute: refilled at tpm/60 a second, holding at most a minute's worth.
  if (who && who->rate_limit_tpm > 0) {
    out[n++] = {"tk:" + who->key_id, who->rate_limit_tpm / 60, who->rate_limit_tpm, "token_limit_key",
                LimitBucket::kKey, true};
  }
  if (svc && svc->spec.tpm > 0) {
    out[n++] = {"ts:" + svc->spec.name, svc->spec.tpm / 60, svc->spec.tpm, "token_limit_service",
                LimitBucket::kService, true};
  }
  if (svc && who && svc->spec.key_tpm > 0) {
    out[n++] = {"tks:" + who->key_id + ":" + svc->spec.name, svc->spec.key_tpm / 60, svc->spec.key_tpm,
                "token_limit_key_service", LimitBucket::kKeyOnService, true};
  }
  return n;
}

}  // namespace

Admission Gateway::admit(const ServiceSnapshot* svc, const http::Principal* who) {
  Admission a;
  LimitBucket buckets[6];
  size_t n = limit_buckets(svc, who, buckets);
  for (size_t i = 0; i < n; ++i) {
    const LimitBucket& b = buckets[i];
    // A token bucket admits while it is not empty; the generation's tokens are charged when it ends.
    auto d = b.llm_tokens ? limiter_.peek(b.key, b.rate, b.burst) : limiter_.acquire(b.key, b.rate, b.burst);
    if (!d.allowed) {
      a.status = b.llm_tokens ? resource_exhausted("token limit of " + json(b.burst).dump() + " tokens/min for " +
                                                   describe(b.scope, svc, who) + " reached; the generations so far used it up")
                              : resource_exhausted("rate limit of " + json(b.rate).dump() + " requests/s (burst " +
                                                   json(b.burst).dump() + ") for " + describe(b.scope, svc, who) +
                                                   " reached");
      a.reason = b.reason;
      a.limit = d;
      a.llm_tokens = b.llm_tokens;
      return a;
    }
    auto& tightest = b.llm_tokens ? a.token_limit : a.limit;
    if (!tightest || d.remaining < tightest->remaining) tightest = d;
  }
  // Quotas last, so that a request a bucket refused does not use up quota.
  if (who) {
    if (Status s = quotas_.admit(*who); !s.ok()) {
      a.status = s;
      a.reason = "quota";
    }
  }
  return a;
}

void Gateway::charge_tokens(const ServiceSnapshot* svc, const http::Principal* who, int64_t tokens) {
  if (tokens <= 0) return;
  if (who) quotas_.add_tokens(*who, tokens);
  LimitBucket buckets[6];
  size_t n = limit_buckets(svc, who, buckets);
  for (size_t i = 0; i < n; ++i) {
    if (buckets[i].llm_tokens) limiter_.charge(buckets[i].key, buckets[i].rate, buckets[i].burst, static_cast<double>(tokens));
  }
}

}  // namespace maas::gateway
