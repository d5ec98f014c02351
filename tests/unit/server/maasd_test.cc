// The core's contract with components, on a real server on loopback: configure, start, serving and stop in
// order (stop in reverse), services passed from one component to the next, and the exit codes of a bad
// configuration (2) and of a component that cannot start (1, naming it).
#include "server/maasd.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "server/context.h"

namespace maas::server {
namespace {

struct Journal {
  std::vector<std::string> events;
};

struct Greeting {
  std::string text;
};

// Records each call; fails where told; the first provides a Greeting that the second reads.
class Recorder final : public Component {
 public:
  Recorder(std::string name, Journal& journal) : name_(std::move(name)), journal_(journal) {}
  ~Recorder() override { journal_.events.push_back("destroy " + name_); }

  Status fail_configure;
  Status fail_start;
  bool shut_down_when_serving = false;

  std::string_view name() const override { return name_; }
  Status configure(Context& /*context*/) override {
    journal_.events.push_back("configure " + name_);
    return fail_configure;
  }
  Status start(Context& context) override {
    journal_.events.push_back("start " + name_);
    if (auto* greeting = context.services().find<Greeting>())
      journal_.events.push_back(name_ + " got " + greeting->text);
    if (fail_start.ok()) {
      greeting_.text = "hello from " + name_;
      if (!context.services().find<Greeting>()) context.services().provide(greeting_);
    }
    return fail_start;
  }
  void serving(Context& context) override {
    journal_.events.push_back("serving " + name_ + (context.url().rfind("http://127.0.0.1:", 0) == 0 ? " at url" : ""));
    if (shut_down_when_serving) context.server().begin_shutdown();
  }
  void stop() override { journal_.events.push_back("stop " + name_); }

 private:
  std::string name_;
  Journal& journal_;
  Greeting greeting_;
};

class MaasdTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::path(::testing::TempDir()) /
           ("maasd_" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    std::filesystem::remove_all(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // Adds two recorders, "a" then "b", lets `adjust` set their failures, and runs maasd on a free port.
  int run(const std::function<void(Recorder&, Recorder&)>& adjust) {
    Maasd maasd;
    auto a = std::make_unique<Recorder>("a", journal_);
    auto b = std::make_unique<Recorder>("b", journal_);
    b->shut_down_when_serving = true;
    adjust(*a, *b);
    maasd.add(std::move(a));
    maasd.add(std::move(b));
    std::string data_dir = (dir_ / "data").string();
    std::vector<std::string> args = {"maasd",  "--listen",    "127.0.0.1:0", "--data-dir",
                                     data_dir, "--log-level", "error"};
    std::vector<char*> argv;
    argv.reserve(args.size());
    for (auto& arg : args) argv.push_back(arg.data());
    return maasd.serve(static_cast<int>(argv.size()), argv.data());
  }

  std::filesystem::path dir_;
  Journal journal_;
};

TEST_F(MaasdTest, ComponentsStartInOrderAndStopInReverse) {
  EXPECT_EQ(run([](Recorder&, Recorder&) {}), 0);
  std::vector<std::string> expected = {
      "configure a",      "configure b", "start a", "start b",   "b got hello from a", "serving a at url",
      "serving b at url", "stop b",      "stop a",  "destroy b", "destroy a"};
  EXPECT_EQ(journal_.events, expected);
}

TEST_F(MaasdTest, ABadConfigurationExitsTwoBeforeAnythingIsOpened) {
  EXPECT_EQ(run([](Recorder&, Recorder& b) { b.fail_configure = invalid_argument("no such rule file"); }), 2);
  std::vector<std::string> expected = {"configure a", "configure b", "destroy b", "destroy a"};
  EXPECT_EQ(journal_.events, expected);
  EXPECT_FALSE(std::filesystem::exists(dir_ / "data"));
}

TEST_F(MaasdTest, AComponentThatCannotStartStopsMaasdAndOnlyThoseStartedAreStopped) {
  ::testing::internal::CaptureStderr();
  int code = run([](Recorder&, Recorder& b) { b.fail_start = unavailable("the disk is gone"); });
  std::string err = ::testing::internal::GetCapturedStderr();
  EXPECT_EQ(code, 1);
  std::vector<std::string> expected = {"configure a",        "configure b", "start a",   "start b",
                                       "b got hello from a", "stop a",      "destroy b", "destroy a"};
  EXPECT_EQ(journal_.events, expected);
  EXPECT_NE(err.find("b: the disk is gone"), std::string::npos) << err;
}

TEST(Services, FindsWhatWasProvidedByType) {
  Services services;
  EXPECT_EQ(services.find<Greeting>(), nullptr);
  Greeting greeting{"hi"};
  services.provide(greeting);
  EXPECT_EQ(&services.get<Greeting>(), &greeting);
  EXPECT_EQ(services.find<Journal>(), nullptr);
}

}  // namespace
}  // namespace maas::server
