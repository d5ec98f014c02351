#include "cli/output.h"

#include <gtest/gtest.h>

namespace maas::cli {
namespace {

using nlohmann::json;

const json kModel = json::parse(R"({
  "name": "iris", "description": "", "tags": {"team": "risk"},
  "created_at": "2026-11-25T01:02:03.456Z", "updated_at": "2026-11-26T04:05:06.789Z",
  "latest_version": 3, "version_count": 2, "aliases": {"champion": 2, "shadow": 3}})");

const json kVersion = json::parse(R"({
  "model": "iris", "version": 2, "framework": "xgboost", "format": "xgboost-json",
  "digest": "sha256:9f2c4e0a1b2c3d4e5f60718293a4b5c6d7e8f90112233445566778899aabbcc", "size_bytes": 123456,
  "state": "registered",
  "signature": {"format": "xgboost-json", "inputs": [{"name": "input", "datatype": "FP32", "shape": [-1, 4]}],
                "outputs": [{"name": "probabilities", "datatype": "FP32", "shape": [-1, 3]}],
                "details": {"objective": "multi:softprob", "num_trees": 30}},
  "description": "", "tags": {}, "metrics": {"auc": 0.97}, "lineage": {},
  "aliases": ["champion"], "created_at": "2026-11-25T01:02:03.456Z", "created_by": "anonymous",
  "updated_at": "2026-11-25T01:02:03.456Z",
  "state_history": [{"from": null, "to": "registered", "by": "anonymous", "at": "2026-11-25T01:02:03.456Z",
                     "reason": "uploaded"}]})");

TEST(ParseOutputFormat, KnowsTableAndJson) {
  EXPECT_EQ(parse_output_format("table"), OutputFormat::kTable);
  EXPECT_EQ(parse_output_format("json"), OutputFormat::kJson);
  EXPECT_EQ(parse_output_format("yaml"), std::nullopt);
}

TEST(RenderJson, PrettyPrintsAndSurvivesInvalidUtf8) {
  EXPECT_EQ(render_json(json{{"a", 1}}), "{\n  \"a\": 1\n}\n");
  EXPECT_NO_THROW(render_json(json{{"bad", std::string("\xFF")}}));
}

TEST(RenderModelsTable, ShowsTheDocumentedColumns) {
  EXPECT_EQ(render_models_table(json::array({kModel})),
            "NAME  VERSIONS  LATEST  ALIASES              UPDATED\n"
            "iris  2         3       champion=2,shadow=3  2026-11-26 04:05:06Z\n");
}

TEST(RenderModelsTable, ShowsDashesForAModelWithoutVersions) {
  json empty = {{"name", "new"}, {"version_count", 0}, {"latest_version", nullptr}, {"aliases", json::object()}};
  EXPECT_EQ(render_models_table(json::array({empty})),
            "NAME  VERSIONS  LATEST  ALIASES  UPDATED\n"
            "new   0         -       -        -\n");
}

TEST(RenderVersionsTable, ShowsHumanSizeAndShortDigest) {
  EXPECT_EQ(render_versions_table(json::array({kVersion})),
            "VERSION  FRAMEWORK  FORMAT        STATE       SIZE       DIGEST        ALIASES   CREATED\n"
            "2        xgboost    xgboost-json  registered  120.6 KiB  9f2c4e0a1b2c  champion  2026-11-25 01:02:03Z\n");
}

TEST(RenderVersionDetails, IncludesSignatureMetricsAndHistory) {
  const std::string text = render_version_details(kVersion);
  EXPECT_NE(text.find("SIZE:         120.6 KiB (123456 bytes)\n"), std::string::npos) << text;
  EXPECT_NE(text.find("INPUTS:       input FP32 [-1,4]\n"), std::string::npos) << text;
  EXPECT_NE(text.find("METRICS:      auc=0.97\n"), std::string::npos) << text;
  EXPECT_NE(text.find("DETAILS:      num_trees=30, objective=multi:softprob\n"), std::string::npos) << text;
  EXPECT_NE(text.find("HISTORY:      2026-11-25 01:02:03Z  - -> registered  by anonymous  (uploaded)\n"),
            std::string::npos)
      << text;
}

TEST(RenderModelDetails, ListsOneFieldPerLine) {
  EXPECT_EQ(render_model_details(kModel),
            "NAME:         iris\n"
            "DESCRIPTION:  -\n"
            "TAGS:         team=risk\n"
            "VERSIONS:     2\n"
            "LATEST:       3\n"
            "ALIASES:      champion=2, shadow=3\n"
            "CREATED:      2026-11-25 01:02:03Z\n"
            "UPDATED:      2026-11-26 04:05:06Z\n");
}

TEST(Renderers, NeverThrowOnUnexpectedShapes) {
  for (const json& odd : {json(nullptr), json(42), json("text"), json::array({1, "x", nullptr}),
                          json{{"name", json::array()}, {"size_bytes", "big"}, {"aliases", 3}, {"signature", 1}}}) {
    EXPECT_NO_THROW(render_models_table(odd));
    EXPECT_NO_THROW(render_versions_table(odd));
    EXPECT_NO_THROW(render_model_details(odd));
    EXPECT_NO_THROW(render_version_details(odd));
    EXPECT_NO_THROW(render_alias_table(odd));
  }
}

TEST(RenderAliasTable, ShowsModelAliasVersion) {
  EXPECT_EQ(render_alias_table(json{{"model", "iris"}, {"alias", "champion"}, {"version", 2}}),
            "MODEL  ALIAS     VERSION\niris   champion  2\n");
}

}  // namespace
}  // namespace maas::cli
