// maas-features: fits a pipeline spec on a table and transforms another, JSON in on stdin and out on stdout, so the
// steps can be checked against scikit-learn (tests/integration/test_pipelines_sklearn.py) and tried by hand.
// Input {"spec", "fit": <table>, "transform": <table>} (table_json.h); output {"state", "output_columns",
// "fit_output" (the fitted data as fitting transformed it: out of fold for TargetEncoder), "output"}
// or {"error": {"code", "message"}} with exit status 1. The transform runs on a pipeline loaded from the written
// state, so what it shows is what a stored pipeline version serves.
#include <iostream>
#include <iterator>

#include "common/json_fields.h"
#include "common/json_parse.h"
#include "features/pipeline.h"
#include "features/table_json.h"

namespace {

using maas::Result;
using maas::features::Pipeline;

Result<nlohmann::json> run(const nlohmann::json& in) {
  MAAS_RETURN_IF_ERROR(maas::check_known_fields(in, "", {"spec", "fit", "transform"}));
  if (!in.contains("spec") || !in.contains("fit")) return maas::invalid_argument("'spec' and 'fit' are required");
  MAAS_ASSIGN_OR_RETURN(Pipeline fitted, Pipeline::from_spec(in["spec"]));
  MAAS_ASSIGN_OR_RETURN(auto fit_table, maas::features::table_from_json(in["fit"]));
  MAAS_ASSIGN_OR_RETURN(auto fit_output, fitted.fit_transform(fit_table));
  const std::string state = fitted.state().dump();
  MAAS_ASSIGN_OR_RETURN(Pipeline loaded, Pipeline::from_spec(in["spec"]));
  MAAS_RETURN_IF_ERROR(loaded.load_state(nlohmann::json::parse(state)));
  nlohmann::json out = {{"state", nlohmann::json::parse(state)},
                        {"output_columns", loaded.output_columns()},
                        {"fit_output", maas::features::table_to_json(fit_output)}};
  if (in.contains("transform")) {
    MAAS_ASSIGN_OR_RETURN(auto table, maas::features::table_from_json(in["transform"]));
    MAAS_ASSIGN_OR_RETURN(auto transformed, loaded.transform(table));
    out["output"] = maas::features::table_to_json(transformed);
  }
  return out;
}

}  // namespace

int main() {
  // Nothing here throws on bad input (the readers return a Status); a failed allocation still ends with a message.
  try {
    const std::string text{std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>()};
    Result<nlohmann::json> in = maas::parse_json(text, "stdin");
    Result<nlohmann::json> out = in.ok() ? run(in.value()) : Result<nlohmann::json>(in.status());
    if (!out.ok()) {
      std::cout << nlohmann::json{{"error",
                                   {{"code", std::string(maas::status_code_name(out.status().code()))},
                                    {"message", out.status().message()}}}}
                << "\n";
      return 1;
    }
    std::cout << out.value().dump() << "\n";
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "maas-features: " << e.what() << "\n";
    return 1;
  }
}
