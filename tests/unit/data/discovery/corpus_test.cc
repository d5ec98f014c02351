// Quality on the labelled corpus (tests/data/logs): grouping accuracy, and every line extracted by its rule.
#include "discovery/corpus.h"

#include <gtest/gtest.h>
#include <re2/re2.h>

#include <algorithm>
#include <functional>

#include "data/discovery/discover.h"

namespace maas::data::discovery {
namespace {

// A seed that neither the development runs (1-5) nor the reported held-out runs (101-103) use.
constexpr uint64_t kSeed = 7;

const std::vector<corpus::CorpusSpec>& specs() {
  static const auto loaded = corpus::load_specs(MAAS_DISCOVERY_CORPUS_DIR);
  EXPECT_TRUE(loaded.ok()) << loaded.status().to_string();
  static const std::vector<corpus::CorpusSpec> empty;
  return loaded.ok() ? *loaded : empty;
}

// Mean grouping accuracy over systems, whole lines and messages alone (2,000 lines each at kSeed).
struct MeanAccuracy {
  double line = 0, message = 0;
};

MeanAccuracy mean_accuracy(const std::vector<corpus::CorpusSpec>& systems,
                           corpus::TemplateSet set = corpus::TemplateSet::kAll,
                           const std::function<void(const std::string&, double, double)>& each = {}) {
  MeanAccuracy sum;
  for (const auto& spec : systems) {
    auto lines = corpus::generate(spec, kSeed, 2000, set);
    std::vector<std::string_view> whole, messages;
    std::vector<uint32_t> truth;
    for (const auto& l : lines) {
      whole.push_back(l.line);
      messages.push_back(l.message);
      truth.push_back(l.truth);
    }
    double ga_line = corpus::grouping_accuracy(discover(whole).assignments, truth);
    double ga_message = corpus::grouping_accuracy(discover(messages).assignments, truth);
    if (each) each(spec.system, ga_line, ga_message);
    sum.line += ga_line;
    sum.message += ga_message;
  }
  double n = static_cast<double>(std::max<size_t>(systems.size(), 1));
  return {sum.line / n, sum.message / n};
}

TEST(Corpus, HasTheSystemsItShould) {
  std::set<std::string> names;
  for (const auto& s : specs()) names.insert(s.system);
  for (const char* expected : {"HDFS", "Hadoop", "Spark", "Zookeeper", "BGL", "HPC", "Thunderbird", "Windows", "Linux",
                               "Android", "HealthApp", "Apache", "Proxifier", "OpenSSH", "OpenStack", "Mac", "syslog",
                               "java", "kv", "jsonl", "access"})
    EXPECT_TRUE(names.count(expected)) << expected;
}

TEST(Corpus, IsDeterministic) {
  const auto& s = specs().front();
  auto a = corpus::generate(s, 3, 50), b = corpus::generate(s, 3, 50), c = corpus::generate(s, 4, 50);
  ASSERT_EQ(a.size(), 50u);
  for (size_t i = 0; i < a.size(); ++i) EXPECT_EQ(a[i].line, b[i].line);
  EXPECT_NE(a[0].line + a[1].line, c[0].line + c[1].line);
}

TEST(Corpus, GroupingAccuracyMeetsTheTarget) {
  MeanAccuracy mean =
      mean_accuracy(specs(), corpus::TemplateSet::kAll, [](const std::string& system, double line, double message) {
        EXPECT_GE(line, 0.8) << system;
        EXPECT_GE(message, 0.7) << system;
      });
  // Whole lines meet the target. Messages alone lose the header's evidence (the state field that names a
  // command, the program that names a startup message): below it on templates held out of development (HPC).
  // What the code reached at this seed (0.983 / 0.964 before a version's number and a label's value counted).
  EXPECT_GE(mean.line, 0.985);
  EXPECT_GE(mean.message, 0.965);
}

// The second held-out set (tests/data/logs/holdout): below the target, but no worse than the code reached
// (0.9145 / 0.898 at this seed before a version's number and a label's value counted).
TEST(Corpus, SecondHeldOutSetDoesNotRegress) {
  auto loaded = corpus::load_specs(std::string(MAAS_DISCOVERY_CORPUS_DIR) + "/holdout");
  ASSERT_TRUE(loaded.ok()) << loaded.status().to_string();
  MeanAccuracy mean = mean_accuracy(*loaded);
  EXPECT_GE(mean.line, 0.918);
  EXPECT_GE(mean.message, 0.90);
}

TEST(Corpus, DevelopmentTemplatesMeetTheTargetEitherWay) {
  MeanAccuracy mean = mean_accuracy(specs(), corpus::TemplateSet::kDevelopment);
  // What the code reached at this seed (0.991 / 0.992 before a version's number and a label's value counted).
  EXPECT_GE(mean.line, 0.995);
  EXPECT_GE(mean.message, 0.995);
}

TEST(Corpus, EveryLineMatchesItsTemplatesRuleWithTypedColumns) {
  for (const auto& spec : specs()) {
    auto lines = corpus::generate(spec, kSeed, 1000);
    std::vector<std::string_view> whole;
    for (const auto& l : lines) whole.push_back(l.line);
    Discovery d = discover(whole);
    EXPECT_EQ(d.fallback_rules, 0u) << spec.system;
    std::vector<std::unique_ptr<RE2>> compiled;
    for (const auto& t : d.templates) {
      compiled.push_back(std::make_unique<RE2>(t.rule.pattern));
      ASSERT_TRUE(compiled.back()->ok()) << spec.system << ": " << t.rule.pattern;
      ASSERT_EQ(static_cast<size_t>(compiled.back()->NumberOfCapturingGroups()), t.rule.columns.size());
    }
    for (size_t i = 0; i < whole.size(); ++i) {
      const MinedTemplate& t = d.templates[d.assignments[i]];
      size_t n = t.rule.columns.size();
      std::vector<re2::StringPiece> values(n);
      std::vector<RE2::Arg> args(n);
      std::vector<const RE2::Arg*> pointers(n);
      for (size_t k = 0; k < n; ++k) {
        args[k] = &values[k];
        pointers[k] = &args[k];
      }
      ASSERT_TRUE(RE2::FullMatchN(re2::StringPiece(whole[i].data(), whole[i].size()), *compiled[t.id], pointers.data(),
                                  static_cast<int>(n)))
          << spec.system << ": " << whole[i] << "\n  " << t.rule.pattern;
      for (size_t k = 0; k < n; ++k)
        ASSERT_TRUE(fits_column(std::string_view(values[k].data(), values[k].size()), t.rule.columns[k]))
            << spec.system << ": column " << t.rule.columns[k].name << " = " << values[k] << " in " << whole[i];
    }
  }
}

}  // namespace
}  // namespace maas::data::discovery
