#include "api/shared_memory_regions.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstring>
#include <string>

namespace maas::api {
namespace {

// A POSIX shm object of `size` bytes holding 0, 1, 2, ... (mod 256), unlinked when the test ends.
class ShmObject {
 public:
  explicit ShmObject(size_t size) : key_(unique_key()) {
    fd_ = ::shm_open(key_.c_str(), O_CREAT | O_EXCL | O_RDWR, 0600);
    EXPECT_GE(fd_, 0);
    EXPECT_EQ(::ftruncate(fd_, static_cast<off_t>(size)), 0);
    std::string bytes(size, '\0');
    for (size_t i = 0; i < size; ++i) bytes[i] = static_cast<char>(i % 256);
    EXPECT_EQ(::pwrite(fd_, bytes.data(), size, 0), static_cast<ssize_t>(size));
  }
  ~ShmObject() {
    ::close(fd_);
    ::shm_unlink(key_.c_str());
  }
  const std::string& key() const { return key_; }
  int fd() const { return fd_; }

 private:
  static std::string unique_key() {
    static int made = 0;
    return "/shm-test-" + std::to_string(::getpid()) + "-" + std::to_string(made++);
  }

  std::string key_;
  int fd_ = -1;
};

TEST(SharedMemoryRegions, ReadsAndWritesWithinTheRegion) {
  ShmObject object(4096);
  SharedMemoryRegions regions({});
  ASSERT_TRUE(regions.register_region("r", object.key(), 100, 200).ok());
  auto region = regions.find("r");
  ASSERT_TRUE(region.ok());
  auto read = (*region)->read(10, 4);
  ASSERT_TRUE(read.ok()) << read.status().to_string();
  ASSERT_EQ(read->size(), 4u);
  EXPECT_EQ(static_cast<unsigned>(read->data()[0]), 110u);
  const std::byte bytes[2] = {std::byte{7}, std::byte{9}};
  ASSERT_TRUE((*region)->write(0, 2, bytes).ok());
  unsigned char back[2];
  ASSERT_EQ(::pread(object.fd(), back, 2, 100), 2);
  EXPECT_EQ(back[0], 7);
  EXPECT_EQ(back[1], 9);
}

TEST(SharedMemoryRegions, RefusesRangesPastTheRegionOrTheObject) {
  ShmObject object(4096);
  SharedMemoryRegions regions({});
  EXPECT_NE(regions.register_region("r", object.key(), 4000, 200).message().find("reach past its end"),
            std::string::npos);
  ASSERT_TRUE(regions.register_region("r", object.key(), 0, 1000).ok());
  auto region = *regions.find("r");
  EXPECT_FALSE(region->read(999, 2).ok());
  EXPECT_FALSE(region->read(UINT64_MAX, 2).ok());
  EXPECT_FALSE(region->write(0, 1, std::span<const std::byte>(std::vector<std::byte>(2))).ok());
  // A client that shrinks its object gets an error, not a SIGBUS.
  ASSERT_EQ(::ftruncate(object.fd(), 100), 0);
  auto shrunk = region->read(50, 100);
  ASSERT_FALSE(shrunk.ok());
  EXPECT_NE(shrunk.status().message().find("now holds only 100 bytes"), std::string::npos);
}

TEST(SharedMemoryRegions, RefusesKeysOutsideDevShmAndBadNames) {
  ShmObject object(64);
  SharedMemoryRegions regions({});
  for (const char* key : {"", "/", "no-slash", "/a/b", "/../etc/passwd", "/..", "/.hidden", "/a b", "/maas-arena-1"}) {
    Status s = regions.register_region("r", key, 0, 1);
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << key;
  }
  EXPECT_FALSE(regions.register_region("a/b", object.key(), 0, 1).ok());
  EXPECT_FALSE(regions.register_region(std::string(129, 'a'), object.key(), 0, 1).ok());
  EXPECT_FALSE(regions.register_region("r", "/shm-test-does-not-exist", 0, 1).ok());
}

TEST(SharedMemoryRegions, EnforcesItsLimits) {
  ShmObject object(4096);
  SharedMemoryRegions regions({.max_regions = 1, .max_region_bytes = 1024});
  EXPECT_NE(regions.register_region("big", object.key(), 0, 2048).message().find("max_region_bytes"),
            std::string::npos);
  ASSERT_TRUE(regions.register_region("a", object.key(), 0, 1024).ok());
  EXPECT_NE(regions.register_region("a", object.key(), 0, 10).message().find("already registered"), std::string::npos);
  EXPECT_NE(regions.register_region("b", object.key(), 0, 10).message().find("max_regions"), std::string::npos);
  SharedMemoryRegions off({.max_regions = 0});
  EXPECT_FALSE(off.enabled());
  EXPECT_NE(off.register_region("a", object.key(), 0, 10).message().find("off"), std::string::npos);
}

TEST(SharedMemoryRegions, ARegionInUseOutlivesItsUnregister) {
  ShmObject object(4096);
  SharedMemoryRegions regions({});
  ASSERT_TRUE(regions.register_region("a", object.key(), 0, 64).ok());
  ASSERT_TRUE(regions.register_region("b", object.key(), 64, 64).ok());
  auto held = *regions.find("a");
  ASSERT_TRUE(regions.unregister("a").ok());
  EXPECT_FALSE(regions.find("a").ok());
  EXPECT_FALSE(regions.unregister("a").ok());
  // The request that found it still reads it.
  auto read = held->read(0, 64);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(static_cast<unsigned>(read->data()[63]), 63u);
  auto status = regions.status(std::nullopt);
  ASSERT_TRUE(status.ok());
  ASSERT_EQ(status->size(), 1u);
  EXPECT_EQ((*status)[0].name, "b");
  EXPECT_EQ((*status)[0].offset, 64u);
  ASSERT_TRUE(regions.unregister(std::nullopt).ok());
  EXPECT_TRUE(regions.status(std::nullopt)->empty());
}

}  // namespace
}  // namespace maas::api
