#include "supervisor/channel.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <boost/asio/read.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

namespace maas::supervisor {
namespace asio = boost::asio;
namespace {

Status read_all(int fd, void* data, size_t size) {
  char* p = static_cast<char*>(data);
  while (size > 0) {
    ssize_t n = ::read(fd, p, size);
    if (n == 0) return unavailable("the channel was closed");
    if (n < 0) {
      if (errno == EINTR) continue;
      return unavailable(std::string("channel read failed: ") + std::strerror(errno));
    }
    p += n;
    size -= static_cast<size_t>(n);
  }
  return {};
}

Frame make_frame(uint32_t kind, uint64_t request_id, size_t header_bytes, uint64_t payload_bytes) {
  Frame frame;
  frame.kind = kind;
  frame.request_id = request_id;
  frame.header_bytes = header_bytes;
  frame.payload_bytes = payload_bytes;
  return frame;
}

auto awaitable_ec(boost::system::error_code& ec) { return asio::redirect_error(asio::use_awaitable, ec); }

}  // namespace

bool frame_is_valid(const Frame& frame) {
  return frame.magic == kFrameMagic && frame.header_bytes <= kMaxHeaderBytes && frame.payload_bytes <= kMaxPayloadBytes;
}

Status write_all(int fd, std::vector<iovec> iov) {
  size_t index = 0;
  while (index < iov.size()) {
    int count = static_cast<int>(std::min<size_t>(iov.size() - index, IOV_MAX));
    ssize_t n = ::writev(fd, iov.data() + index, count);
    if (n < 0) {
      if (errno == EINTR) continue;
      return unavailable(std::string("channel write failed: ") + std::strerror(errno));
    }
    size_t left = static_cast<size_t>(n);
    while (index < iov.size() && left >= iov[index].iov_len) {
      left -= iov[index].iov_len;
      ++index;
    }
    if (left > 0) {
      iov[index].iov_base = static_cast<char*>(iov[index].iov_base) + left;
      iov[index].iov_len -= left;
    }
  }
  return {};
}

Status write_frame(int fd, uint32_t kind, uint64_t request_id, std::string_view header,
                   std::span<const std::span<const std::byte>> payload) {
  uint64_t payload_bytes = 0;
  for (const auto& part : payload) payload_bytes += part.size();
  Frame frame = make_frame(kind, request_id, header.size(), payload_bytes);
  std::vector<iovec> iov;
  iov.push_back({&frame, sizeof(frame)});
  iov.push_back({const_cast<char*>(header.data()), header.size()});
  for (const auto& part : payload) {
    if (!part.empty()) iov.push_back({const_cast<std::byte*>(part.data()), part.size()});
  }
  return write_all(fd, std::move(iov));
}

Result<Envelope> read_frame(int fd) {
  Envelope e;
  MAAS_RETURN_IF_ERROR(read_all(fd, &e.frame, sizeof(e.frame)));
  if (!frame_is_valid(e.frame)) return internal_error("the channel carried a malformed frame");
  e.header.resize(e.frame.header_bytes);
  MAAS_RETURN_IF_ERROR(read_all(fd, e.header.data(), e.header.size()));
  e.payload.resize(e.frame.payload_bytes);
  MAAS_RETURN_IF_ERROR(read_all(fd, e.payload.data(), e.payload.size()));
  return e;
}

Channel::Channel(asio::any_io_executor executor, int fd) : socket_(executor, asio::local::stream_protocol(), fd) {}

asio::awaitable<Status> Channel::send(uint32_t kind, uint64_t request_id, std::string_view header,
                                      std::span<const asio::const_buffer> payload) {
  uint64_t payload_bytes = 0;
  for (const auto& part : payload) payload_bytes += part.size();
  Frame frame = make_frame(kind, request_id, header.size(), payload_bytes);
  std::vector<asio::const_buffer> buffers;
  buffers.reserve(payload.size() + 2);
  buffers.emplace_back(&frame, sizeof(frame));
  buffers.emplace_back(header.data(), header.size());
  buffers.insert(buffers.end(), payload.begin(), payload.end());
  boost::system::error_code ec;
  co_await asio::async_write(socket_, buffers, awaitable_ec(ec));
  if (ec) co_return unavailable("the process closed its channel");
  co_return Status();
}

asio::awaitable<Result<Envelope>> Channel::receive(uint64_t max_payload_bytes, uint64_t* skipped_bytes) {
  boost::system::error_code ec;
  Envelope e;
  co_await asio::async_read(socket_, asio::buffer(&e.frame, sizeof(e.frame)), awaitable_ec(ec));
  if (ec) co_return unavailable("the process closed its channel");
  if (!frame_is_valid(e.frame)) co_return internal_error("the process sent a malformed frame");
  e.header.resize(e.frame.header_bytes);
  co_await asio::async_read(socket_, asio::buffer(e.header), awaitable_ec(ec));
  if (!ec && e.frame.payload_bytes > max_payload_bytes) {
    Status skipped = co_await discard(e.frame.payload_bytes);
    if (!skipped.ok()) co_return skipped;
    if (skipped_bytes) *skipped_bytes = e.frame.payload_bytes;
    co_return Status(StatusCode::kPayloadTooLarge, "the process sent a payload of " +
                                                       std::to_string(e.frame.payload_bytes) +
                                                       " bytes, over the limit of " + std::to_string(max_payload_bytes));
  }
  if (!ec) {
    e.payload.resize(e.frame.payload_bytes);
    co_await asio::async_read(socket_, asio::buffer(e.payload.data(), e.payload.size()), awaitable_ec(ec));
  }
  if (ec) co_return unavailable("the process closed its channel");
  co_return e;
}

asio::awaitable<Status> Channel::discard(uint64_t bytes) {
  std::vector<std::byte> chunk(std::min<uint64_t>(bytes, 1 << 20));
  while (bytes > 0) {
    boost::system::error_code ec;
    size_t n = std::min<uint64_t>(bytes, chunk.size());
    co_await asio::async_read(socket_, asio::buffer(chunk.data(), n), awaitable_ec(ec));
    if (ec) co_return unavailable("the process closed its channel");
    bytes -= n;
  }
  co_return Status();
}

void Channel::close() {
  boost::system::error_code ignored;
  socket_.close(ignored);
}

}  // namespace maas::supervisor
