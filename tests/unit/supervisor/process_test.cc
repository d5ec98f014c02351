#include "supervisor/process.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <fstream>
#include <thread>

#include <boost/asio/io_context.hpp>

#include "run_sync.h"

namespace maas::supervisor {
namespace {

namespace asio = boost::asio;

ProcessSpec shell(const std::string& script) {
  ProcessSpec spec;
  spec.binary = "/bin/sh";
  spec.args = {"-c", script};
  spec.role = "job";
  spec.name = "test";
  return spec;
}

// Runs `spec` to its end and returns how it ended, with the stderr lines it wrote.
struct Ended {
  ExitInfo exit;
  std::vector<std::string> lines;
};

Ended run_to_exit(Supervisor& supervisor, ProcessSpec spec) {
  asio::io_context io;
  auto lines = std::make_shared<std::vector<std::string>>();
  spec.on_stderr_line = [lines](std::string_view line) { lines->emplace_back(line); };
  auto process = supervisor.spawn(io.get_executor(), std::move(spec));
  EXPECT_TRUE(process.ok()) << process.status().to_string();
  if (!process.ok()) return {};
  auto exit = run_sync(io, (*process)->wait());
  return {exit, *lines};
}

char proc_state(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  std::getline(in, line);
  auto close = line.rfind(')');
  return close == std::string::npos ? '?' : line[close + 2];
}

std::string comm(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/comm");
  std::string name;
  std::getline(in, name);
  return name;
}

class ProcessTest : public ::testing::Test {
 protected:
  metrics::Registry registry_;
  Supervisor supervisor_{ResourceLimiter::none(), &registry_};
};

TEST_F(ProcessTest, ExitCodesAndSignalsAreToldInWords) {
  Ended error = run_to_exit(supervisor_, shell("exit 3"));
  EXPECT_EQ(error.exit.reason, "exited with code 3");
  EXPECT_EQ(error.exit.category(), "error");
  Ended clean = run_to_exit(supervisor_, shell("exit 0"));
  EXPECT_TRUE(clean.exit.clean());
  EXPECT_EQ(clean.exit.category(), "clean");
  Ended crashed = run_to_exit(supervisor_, shell("kill -9 $$"));
  EXPECT_EQ(crashed.exit.reason, "killed by signal 9 (SIGKILL)");
  EXPECT_EQ(crashed.exit.category(), "signal");  // not sent by maas: a crash or an outside kill
  auto text = registry_.render();
  EXPECT_NE(text.find(R"(maas_process_exits_total{role="job",reason="error"} 1)"), std::string::npos) << text;
  EXPECT_NE(text.find(R"(maas_process_exits_total{role="job",reason="signal"} 1)"), std::string::npos) << text;
  EXPECT_NE(text.find(R"(maas_process_starts_total{role="job"} 3)"), std::string::npos) << text;
}

TEST_F(ProcessTest, KillEndsTheWholeGroupAndIsCountedAsKilled) {
  asio::io_context io;
  // The shell starts a grandchild in its group and says its pid; both must go.
  ProcessSpec spec = shell("sleep 60 & echo $! >&2; wait");
  std::string grandchild;
  spec.on_stderr_line = [&grandchild](std::string_view line) { grandchild = line; };
  auto process = supervisor_.spawn(io.get_executor(), spec);
  ASSERT_TRUE(process.ok());
  pid_t pid = (*process)->pid();
  while (grandchild.empty() && io.run_one() > 0) {
  }
  ASSERT_FALSE(grandchild.empty());
  EXPECT_EQ(::getpgid(pid), pid) << "the child leads a process group of its own";
  EXPECT_EQ(::getpgid(std::stoi(grandchild)), pid);
  EXPECT_EQ(supervisor_.table().size(), 1u);
  (*process)->kill();
  auto exit = run_sync(io, (*process)->wait());
  ExitInfo info = exit;
  EXPECT_EQ(info.category(), "killed");
  EXPECT_EQ(info.signal, SIGKILL);
  EXPECT_EQ(supervisor_.table().size(), 0u);
  // SIGKILL is delivered asynchronously; the grandchild may linger as a zombie if nothing reaps orphans here.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (proc_state(std::stoi(grandchild)) != 'Z' && proc_state(std::stoi(grandchild)) != '?' &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::yield();
  }
  char state = proc_state(std::stoi(grandchild));
  EXPECT_TRUE(state == 'Z' || state == '?') << "the grandchild is still running: " << state;
}

TEST_F(ProcessTest, StderrArrivesLineByLineWithTheLastPartialLine) {
  Ended ended = run_to_exit(supervisor_, shell("echo first >&2; echo second >&2; printf partial >&2"));
  EXPECT_TRUE(ended.exit.clean());
  EXPECT_EQ(ended.lines, (std::vector<std::string>{"first", "second", "partial"}));
}

TEST_F(ProcessTest, TheChildGetsItsEnvironmentAndOnlyTheChannelBeyondStdio) {
  ProcessSpec spec = shell("echo \"$MAAS_TEST_VALUE $MAAS_CPU_SLOTS $OMP_NUM_THREADS\" >&2; ls /proc/self/fd >&2");
  spec.env = {{"MAAS_TEST_VALUE", "hello"}};
  spec.limits.cpu_slots = 2;
  Ended ended = run_to_exit(supervisor_, spec);
  ASSERT_FALSE(ended.lines.empty());
  EXPECT_EQ(ended.lines[0], "hello 2 2");
  std::vector<std::string> fds(ended.lines.begin() + 1, ended.lines.end());
  // 0-2, the channel on 3, and the directory ls itself opened to list them.
  EXPECT_LE(fds.size(), 5u);
  EXPECT_NE(std::find(fds.begin(), fds.end(), "3"), fds.end());
}

TEST_F(ProcessTest, TheChannelOnFd3CarriesFrames) {
  asio::io_context io;
  // cat echoes every byte back: a frame sent comes back whole.
  auto process = supervisor_.spawn(io.get_executor(), shell("exec cat <&3 >&3"));
  ASSERT_TRUE(process.ok());
  auto& p = **process;
  auto exchange = [&]() -> asio::awaitable<Result<Envelope>> {
    Status sent = co_await p.channel().send(9, 1, R"({"hello":"child"})");
    if (!sent.ok()) co_return sent;
    co_return co_await p.channel().receive();
  };
  auto envelope = run_sync(io, exchange());
  ASSERT_TRUE(envelope.ok()) << envelope.status().to_string();
  EXPECT_EQ(envelope->kind(), 9u);
  EXPECT_EQ(envelope->header, R"({"hello":"child"})");
  EXPECT_GT(p.rss_bytes(), 0u);
}

TEST_F(ProcessTest, AChildDiesWithTheThreadThatSpawnedIt) {
  asio::io_context io;
  std::unique_ptr<SupervisedProcess> process;
  // PR_SET_PDEATHSIG: when the spawning thread (here standing in for maasd) ends, the kernel kills the child.
  std::thread spawner([&] {
    auto spawned = supervisor_.spawn(io.get_executor(), shell("sleep 60"));
    ASSERT_TRUE(spawned.ok());
    process = std::move(*spawned);
    // The death signal is armed before exec; once the child runs the shell, this thread may end.
    std::string self = comm(::getpid());
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (comm(process->pid()) == self && std::chrono::steady_clock::now() < deadline) std::this_thread::yield();
  });
  spawner.join();
  ASSERT_TRUE(process);
  auto exit = run_sync(io, process->wait());
  ExitInfo info = exit;
  EXPECT_EQ(info.signal, SIGKILL);
  EXPECT_FALSE(info.killed_by_supervisor);
}

TEST_F(ProcessTest, KillAllEndsEveryProcessAtShutdown) {
  asio::io_context io;
  auto a = supervisor_.spawn(io.get_executor(), shell("sleep 60"));
  auto b = supervisor_.spawn(io.get_executor(), shell("sleep 60"));
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(supervisor_.table().list().size(), 2u);
  supervisor_.kill_all();
  auto ea = run_sync(io, (*a)->wait());
  auto eb = run_sync(io, (*b)->wait());
  EXPECT_EQ(ea.signal, SIGKILL);
  EXPECT_EQ(eb.signal, SIGKILL);
}

TEST_F(ProcessTest, AMissingBinaryIsRefusedBeforeForking) {
  asio::io_context io;
  ProcessSpec spec;
  spec.binary = "/nonexistent/maas-job";
  auto process = supervisor_.spawn(io.get_executor(), spec);
  ASSERT_FALSE(process.ok());
  EXPECT_NE(process.status().message().find("/nonexistent/maas-job"), std::string::npos);
  EXPECT_EQ(supervisor_.table().size(), 0u);
}

TEST_F(ProcessTest, DestroyingAProcessKillsAndReapsIt) {
  asio::io_context io;
  pid_t pid = 0;
  {
    auto process = supervisor_.spawn(io.get_executor(), shell("sleep 60"));
    ASSERT_TRUE(process.ok());
    pid = (*process)->pid();
  }
  EXPECT_EQ(::kill(pid, 0), -1) << "reaped: no zombie left";
  EXPECT_EQ(proc_state(pid), '?');
}

}  // namespace
}  // namespace maas::supervisor
