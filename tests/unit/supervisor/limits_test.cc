#include "supervisor/limits.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include <boost/asio/io_context.hpp>

#include "common/random.h"
#include "supervisor/process.h"

#include "run_sync.h"

namespace maas::supervisor {
namespace {

namespace asio = boost::asio;
namespace fs = std::filesystem;

std::string read_text(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void write_text(const fs::path& path, const std::string& text) { std::ofstream(path) << text; }

// Runs a shell script under `limiter` with `limits`; returns its stderr lines.
std::vector<std::string> run_limited(std::shared_ptr<ResourceLimiter> limiter, Limits limits, const std::string& script,
                                     ExitInfo* exit = nullptr) {
  Supervisor supervisor(std::move(limiter), nullptr);
  asio::io_context io;
  auto lines = std::make_shared<std::vector<std::string>>();
  ProcessSpec spec;
  spec.binary = "/bin/sh";
  spec.args = {"-c", script};
  spec.role = "job";
  spec.name = "limits-test";
  spec.limits = limits;
  spec.on_stderr_line = [lines](std::string_view line) { lines->emplace_back(line); };
  auto process = supervisor.spawn(io.get_executor(), spec);
  EXPECT_TRUE(process.ok()) << process.status().to_string();
  if (!process.ok()) return {};
  auto ended = run_sync(io, (*process)->wait());
  ExitInfo info = ended;
  if (exit) *exit = info;
  return *lines;
}

class FakeCgroupTree : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("maas-cgroup-" + random_hex(6));
    fs::create_directories(dir_);
    write_text(dir_ / "cgroup.controllers", "cpuset cpu io memory pids\n");
    write_text(dir_ / "cgroup.subtree_control", "");
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST(RlimitLimits, MemoryBecomesRlimitData) {
  auto lines = run_limited(ResourceLimiter::rlimits(/*limit_memory=*/true), {256ull << 20, 1},
                           "grep 'Max data size' /proc/self/limits >&2");
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_NE(lines[0].find("268435456            268435456"), std::string::npos) << lines[0];
}

TEST(RlimitLimits, NoMemoryLimitLeavesRlimitDataAlone) {
  auto lines = run_limited(ResourceLimiter::rlimits(true), {0, 0}, "grep 'Max data size' /proc/self/limits >&2");
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_NE(lines[0].find("unlimited"), std::string::npos) << lines[0];
}

TEST(RlimitLimits, AnUnknownModeIsRefused) {
  auto limiter = ResourceLimiter::create("cgroups");
  ASSERT_FALSE(limiter.ok());
  EXPECT_NE(limiter.status().message().find("auto, cgroup, rlimit or none"), std::string::npos);
}

TEST(RlimitLimits, AutoFallsBackToRlimitsAndSaysWhy) {
  auto detection = ResourceLimiter::detect_cgroup();
  if (detection.why_not.empty()) GTEST_SKIP() << "this machine delegates cgroup v2: auto picks cgroup";
  auto limiter = ResourceLimiter::create("auto");
  ASSERT_TRUE(limiter.ok());
  EXPECT_EQ((*limiter)->mode(), LimitMode::kRlimit);
  EXPECT_NE((*limiter)->description().find(detection.why_not), std::string::npos) << (*limiter)->description();
  EXPECT_EQ(ResourceLimiter::create("cgroup").status().code(), StatusCode::kFailedPrecondition);
}

TEST_F(FakeCgroupTree, EnablesControllersWritesLimitsAndTheChildMovesItselfInBeforeExec) {
  auto limiter = ResourceLimiter::cgroup(dir_);
  ASSERT_TRUE(limiter.ok()) << limiter.status().to_string();
  EXPECT_EQ((*limiter)->mode(), LimitMode::kCgroup);
  EXPECT_EQ(read_text(dir_ / "cgroup.subtree_control"), "+memory +cpu");
  ExitInfo exit;
  run_limited(*limiter, {512ull << 20, 2}, "exit 0", &exit);
  EXPECT_TRUE(exit.clean()) << exit.reason;
  // A real cgroupfs refuses files of its own; here the group's files stay behind for the test to read (release()
  // could not rmdir it).
  fs::path group;
  for (const auto& e : fs::directory_iterator(dir_)) {
    if (e.is_directory() && e.path().filename().string().rfind("maas-job-", 0) == 0) group = e.path();
  }
  ASSERT_FALSE(group.empty());
  EXPECT_EQ(read_text(group / "memory.max"), "536870912");
  EXPECT_EQ(read_text(group / "cpu.max"), "200000 100000");
  EXPECT_EQ(read_text(group / "cgroup.procs"), "0") << "the child wrote itself into its group";
}

TEST_F(FakeCgroupTree, TheKernelsOutOfMemoryKillIsTheReason) {
  auto limiter = ResourceLimiter::cgroup(dir_);
  ASSERT_TRUE(limiter.ok());
  auto prepared = (*limiter)->prepare({64ull << 20, 0}, "job", 1);
  ASSERT_TRUE(prepared.ok());
  write_text(prepared->group / "memory.events", "low 0\nhigh 0\nmax 3\noom 1\noom_kill 1\n");
  std::string reason = (*limiter)->release(*prepared);
  EXPECT_EQ(reason, "killed by the kernel for exceeding its memory limit (67108864 bytes)");
}

TEST_F(FakeCgroupTree, GroupsOfAMaasdThatDiedAreRemovedAtStart) {
  fs::create_directory(dir_ / "maas-job-4194999-1");  // above any pid_max: no such process
  fs::create_directory(dir_ / ("maas-job-" + std::to_string(::getpid()) + "-7"));
  ASSERT_TRUE(ResourceLimiter::cgroup(dir_).ok());
  EXPECT_FALSE(fs::exists(dir_ / "maas-job-4194999-1"));
  EXPECT_TRUE(fs::exists(dir_ / ("maas-job-" + std::to_string(::getpid()) + "-7")));
}

// The kernel's own enforcement: only where this machine delegates a cgroup v2 group with the memory and cpu
// controllers to the test (a container without them says why and skips).
TEST(RealCgroup, AChildRunsInItsOwnGroupWithItsLimits) {
  auto detection = ResourceLimiter::detect_cgroup();
  if (!detection.why_not.empty()) GTEST_SKIP() << "cgroup v2 is not usable here: " << detection.why_not;
  auto limiter = ResourceLimiter::create("cgroup");
  ASSERT_TRUE(limiter.ok()) << limiter.status().to_string();
  auto lines = run_limited(*limiter, {128ull << 20, 1},
                           "cat /proc/self/cgroup >&2; g=$(sed -n 's/^0:://p' /proc/self/cgroup); "
                           "cat /sys/fs/cgroup$g/memory.max /sys/fs/cgroup$g/cpu.max >&2");
  ASSERT_GE(lines.size(), 3u);
  EXPECT_NE(lines[0].find("/maas-job-"), std::string::npos) << lines[0];
  EXPECT_EQ(lines[lines.size() - 2], "134217728");
  EXPECT_EQ(lines.back(), "100000 100000");
}

}  // namespace
}  // namespace maas::supervisor
