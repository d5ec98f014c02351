// TrainSpec: a train.xgboost submission read strictly, its defaults, and its round trip through the normalized
// parameters maas-job reads.
#include "training/xgboost/train_spec.h"

#include <gtest/gtest.h>

namespace maas::training {
namespace {

using nlohmann::json;

json minimal() {
  return {{"model", "m"}, {"dataset", "d"}, {"label", "y"}, {"params", {{"objective", "binary:logistic"}}}};
}

TEST(TrainSpec, FillsDefaultsThatMakeRunsResumableAndDeterministic) {
  auto spec = spec_from_json(minimal());
  ASSERT_TRUE(spec.ok()) << spec.status().message();
  EXPECT_EQ(spec->train.version, "latest");
  EXPECT_EQ(spec->num_boost_round, 100);
  EXPECT_EQ(spec->checkpoint_every, 10);
  EXPECT_EQ(spec->booster.at("tree_method"), "hist");
  EXPECT_EQ(spec->booster.at("seed_per_iteration"), "true");
  EXPECT_EQ(spec->booster.at("seed"), "0");
  EXPECT_EQ(spec->task(), Task::kBinary);
  EXPECT_EQ(spec->stopping_metric(), "logloss");
}

TEST(TrainSpec, RoundTripsThroughItsJson) {
  json params = minimal();
  params["params"] = {
      {"objective", "multi:softprob"}, {"num_class", 3}, {"eta", 0.1}, {"eval_metric", "merror,mlogloss"}};
  params["validation"] = {{"dataset", "v"}, {"version", 2}};
  params["features"] = {"a", "b"};
  auto spec = spec_from_json(params);
  ASSERT_TRUE(spec.ok()) << spec.status().message();
  EXPECT_EQ(spec->booster.at("eta"), "0.1");
  EXPECT_EQ(spec->stopping_metric(), "mlogloss");
  auto again = spec_from_json(spec_to_json(*spec));
  ASSERT_TRUE(again.ok()) << again.status().message();
  EXPECT_EQ(again->booster, spec->booster);
  EXPECT_EQ(again->validation->version, "2");
  EXPECT_EQ(again->features, spec->features);
}

TEST(TrainSpec, RefusesWhatCannotTrainNamingTheField) {
  auto message = [](const json& change) {
    json params = minimal();
    params.update(change);
    auto spec = spec_from_json(params);
    return spec.ok() ? std::string("accepted") : spec.status().message();
  };
  EXPECT_NE(message({{"params", {{"objective", "reg:gamma"}}}}).find("not supported"), std::string::npos);
  EXPECT_NE(message({{"params", {{"objective", "multi:softprob"}}}}).find("num_class"), std::string::npos);
  EXPECT_NE(message({{"params", {{"objective", "rank:ndcg"}}}}).find("group_column"), std::string::npos);
  EXPECT_NE(message({{"params", {{"objective", "binary:logistic"}, {"nthread", 4}}}}).find("cpu_slots"),
            std::string::npos);
  EXPECT_NE(message({{"params", {{"objective", "binary:logistic"}, {"eta", "fast"}}}}).find("params.params.eta"),
            std::string::npos);
  EXPECT_NE(message({{"early_stopping_rounds", 5}}).find("validation"), std::string::npos);
  EXPECT_NE(message({{"num_boost_round", 0}}).find("num_boost_round"), std::string::npos);
  EXPECT_NE(message({{"surprise", 1}}).find("params.surprise"), std::string::npos);
  EXPECT_NE(message({{"validation", {{"dataset", "v"}}}, {"split_column", "s"}}).find("not both"), std::string::npos);
}

TEST(TrainSpec, HigherIsBetterForRankingAndAucMetrics) {
  EXPECT_TRUE(metric_maximized("auc"));
  EXPECT_TRUE(metric_maximized("ndcg@10"));
  EXPECT_FALSE(metric_maximized("logloss"));
  EXPECT_FALSE(metric_maximized("rmse"));
}

}  // namespace
}  // namespace maas::training
