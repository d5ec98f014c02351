// Loading registered versions for the Open Inference Protocol: the repository's load endpoint and services share
// deploy_version; runtime.load_on_demand loads the version a request names. Internal to src/api.
#pragma once

#include <memory>
#include <string>

#include <boost/asio/awaitable.hpp>
#include <nlohmann/json.hpp>

#include "api/v2_context.h"

namespace maas::api {

// Loads a version of a model (a ref: number, alias, "latest") with a deployment config. The answer is
// {name, version, state, config}.
boost::asio::awaitable<Result<nlohmann::json>> deploy_version(V2Context& c, const std::string& model,
                                                              const std::string& ref, const nlohmann::json& config,
                                                              bool keep_others);

// runtime.load_on_demand: the version a request names (or the model's latest) is loaded with the default
// deployment config while the request waits, within its deadline; requests that arrive meanwhile wait for the
// same load. Only tensor versions and graphs are: a generative version's config (context, slots) is too weighty to
// guess.
boost::asio::awaitable<Result<std::shared_ptr<runtime::ServedModel>>> load_for_request(V2Context& c,
                                                                                       const http::Request& req);

}  // namespace maas::api
