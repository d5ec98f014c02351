#include "jobs/kind_registry.h"

#include <gtest/gtest.h>

namespace maas::jobs {
namespace {

JobKind kind(std::string name) {
  JobKind k;
  k.name = std::move(name);
  return k;
}

TEST(KindRegistry, FindsKindsByNameAndListsThemInOrder) {
  KindRegistry r;
  ASSERT_TRUE(r.add(kind("z.last")).ok());
  ASSERT_TRUE(r.add(kind("artifacts.verify")).ok());
  ASSERT_NE(r.find("artifacts.verify"), nullptr);
  EXPECT_EQ(r.find("artifacts.verify")->executor_name(), "artifacts.verify");
  EXPECT_EQ(r.find("nope"), nullptr);
  auto all = r.list();
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0]->name, "artifacts.verify");
}

TEST(KindRegistry, RefusesBadAndDuplicateNames) {
  KindRegistry r;
  EXPECT_EQ(r.add(kind("Upper")).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(r.add(kind("")).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(r.add(kind("9lives")).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(r.add(kind(std::string(65, 'a'))).code(), StatusCode::kInvalidArgument);
  ASSERT_TRUE(r.add(kind("a.b_c-d1")).ok());
  EXPECT_EQ(r.add(kind("a.b_c-d1")).code(), StatusCode::kAlreadyExists);
}

TEST(KindRegistry, APluginThatCannotBeLoadedIsExplained) {
  KindRegistry r;
  Status s = r.load_plugin("/nonexistent/libmaas_jobs_x.so");
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(s.message().find("/nonexistent/libmaas_jobs_x.so"), std::string::npos);
}

}  // namespace
}  // namespace maas::jobs
