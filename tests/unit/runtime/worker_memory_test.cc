#include "runtime/worker_memory.h"

#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cerrno>
#include <fstream>

namespace maas::runtime {
namespace {

namespace fs = std::filesystem;

// A fake /proc and /sys/fs/cgroup under a temp directory.
class FakeSystem {
 public:
  explicit FakeSystem(const std::string& name) : root_(fs::path(::testing::TempDir()) / name) {
    fs::remove_all(root_);
    fs::create_directories(proc() / "self");
    fs::create_directories(cgroup());
  }
  fs::path proc() const { return root_ / "proc"; }
  fs::path cgroup() const { return root_ / "cgroup"; }
  void write(const fs::path& file, const std::string& text) const {
    fs::create_directories(file.parent_path());
    std::ofstream(file) << text;
  }

 private:
  fs::path root_;
};

TEST(WorkerMemory, PhysicalMemoryWithoutACgroupLimit) {
  FakeSystem sys("plain");
  sys.write(sys.proc() / "meminfo", "MemTotal:       24731408 kB\nMemFree:          100000 kB\n");
  sys.write(sys.proc() / "self" / "cgroup", "0::/user.slice\n");
  sys.write(sys.cgroup() / "user.slice" / "memory.max", "max\n");
  EXPECT_EQ(memory_available_bytes(sys.proc(), sys.cgroup()), uint64_t{24731408} * 1024);
}

TEST(WorkerMemory, TheSmallestCgroupV2LimitOnThePathWins) {
  FakeSystem sys("v2");
  sys.write(sys.proc() / "meminfo", "MemTotal:       24731408 kB\n");
  sys.write(sys.proc() / "self" / "cgroup", "0::/system.slice/maasd.service\n");
  sys.write(sys.cgroup() / "system.slice" / "memory.max", "4294967296\n");
  sys.write(sys.cgroup() / "system.slice" / "maasd.service" / "memory.max", "max\n");
  EXPECT_EQ(memory_available_bytes(sys.proc(), sys.cgroup()), uint64_t{4} << 30);
}

TEST(WorkerMemory, ReadsTheCgroupV1MemoryController) {
  FakeSystem sys("v1");
  sys.write(sys.proc() / "meminfo", "MemTotal:       24731408 kB\n");
  sys.write(sys.proc() / "self" / "cgroup", "5:devices:/x\n4:cpuacct,memory:/docker/abc\n1:cpu:/\n");
  sys.write(sys.cgroup() / "memory" / "memory.limit_in_bytes", "9223372036854771712\n");  // no limit
  sys.write(sys.cgroup() / "memory" / "docker" / "abc" / "memory.limit_in_bytes", "2147483648\n");
  EXPECT_EQ(memory_available_bytes(sys.proc(), sys.cgroup()), uint64_t{2} << 30);
}

TEST(WorkerMemory, ReadsWhatTheProcessHolds) {
  FakeSystem sys("status");
  sys.write(sys.proc() / "self" / "status", "Name:\tmaas-worker\nVmData:\t   91432 kB\nVmStk:\t 132 kB\n");
  EXPECT_EQ(own_data_bytes(sys.proc()), uint64_t{91432} * 1024);
  EXPECT_GT(own_data_bytes(), 0u);
}

TEST(WorkerMemory, NothingReadableMeansNoDefault) {
  FakeSystem sys("empty");
  EXPECT_EQ(memory_available_bytes(sys.proc(), sys.cgroup()), 0u);
  EXPECT_GT(default_worker_memory_limit(), 0u);  // this machine has a /proc
}

TEST(WorkerMemory, ALimitedProcessCannotAllocatePastItsLimit) {
  // In a child: the limit is for the whole process.
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    // mmap rather than malloc: AddressSanitizer's allocator aborts on a failed mapping instead of returning null.
    auto map = [](size_t bytes) {
      return mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    };
    if (!limit_own_memory(256 << 20).ok()) _exit(2);
    void* small = map(16 << 20);
    void* big = map(size_t{1} << 30);  // refused: nothing is touched, nothing is killed
    _exit(small != MAP_FAILED && big == MAP_FAILED && errno == ENOMEM ? 0 : 1);
  }
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
  EXPECT_TRUE(limit_own_memory(0).ok());  // 0: leaves the limit as it is
}

}  // namespace
}  // namespace maas::runtime
