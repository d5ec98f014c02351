// Inspects the real models written by tests/fixtures/make_models.py against its manifest.json. Skipped unless
// MAAS_FIXTURES_DIR names a directory the script wrote, since making them needs python, torch and xgboost:
//   /usr/bin/python3 tests/fixtures/make_models.py /tmp/maas-fixtures && MAAS_FIXTURES_DIR=/tmp/maas-fixtures ...
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

#include "formats/format.h"

namespace maas::formats {
namespace {

TEST(Fixtures, RealModelsAreAcceptedOrRejectedAsTheManifestSays) {
  const char* dir = std::getenv("MAAS_FIXTURES_DIR");
  if (dir == nullptr || *dir == '\0') GTEST_SKIP() << "set MAAS_FIXTURES_DIR to a make_models.py output directory";
  std::filesystem::path root(dir);
  std::ifstream manifest_file(root / "manifest.json");
  ASSERT_TRUE(manifest_file) << "no manifest.json in " << root;
  auto manifest = nlohmann::json::parse(manifest_file);
  ASSERT_FALSE(manifest.at("fixtures").empty());

  for (const auto& fixture : manifest.at("fixtures")) {
    auto path = root / fixture.at("file").get<std::string>();
    SCOPED_TRACE(path.string());
    auto detected = inspect_artifact(path);
    if (!fixture.at("accept").get<bool>()) {
      // Rejected whether the framework is detected or given.
      ASSERT_FALSE(detected.ok());
      EXPECT_EQ(detected.status().code(), StatusCode::kInvalidArgument);
      EXPECT_NE(detected.status().message().find(fixture.at("error").get<std::string>()), std::string::npos)
          << detected.status().message();
      if (fixture.at("framework").is_string()) {
        auto given = inspect_artifact(path, *parse_framework(fixture.at("framework").get<std::string>()));
        EXPECT_FALSE(given.ok());
      }
      continue;
    }
    ASSERT_TRUE(detected.ok()) << detected.status().to_string();
    auto signature = signature_json(*detected);
    EXPECT_EQ(framework_name(detected->framework), fixture.at("framework").get<std::string>());
    EXPECT_EQ(detected->format, fixture.at("format").get<std::string>());
    auto expected_details = fixture.value("details", nlohmann::json::object());
    for (const auto& [key, value] : expected_details.items()) {
      EXPECT_EQ(signature["details"][key], value) << key;
    }
    if (fixture.contains("inputs")) {
      EXPECT_EQ(signature["inputs"], fixture["inputs"]);
    }
  }
}

}  // namespace
}  // namespace maas::formats
