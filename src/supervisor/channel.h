// The one framing between maasd and every process it supervises (model workers, LLM workers, job processes): a
// fixed 32-byte frame, a JSON header and a payload of raw bytes, over a Unix stream socket. Each protocol defines
// its message kinds once, in one header that both ends include (runtime/wire.h, jobs/job_protocol.h); this file
// knows none of them.
//
// Threading: the blocking helpers are for a child process (one writer at a time on a descriptor). Channel is
// maasd's end: use it from one strand, with at most one send and one receive in flight at once.
#pragma once

#include <sys/uio.h>

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>  // before Asio 1.74's awaitable.hpp, which uses std::exchange without including it
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/local/stream_protocol.hpp>

#include "common/status.h"

namespace maas::supervisor {

inline constexpr uint32_t kFrameMagic = 0x5341414d;  // "MAAS" little-endian
inline constexpr uint64_t kMaxHeaderBytes = 16ull << 20;
inline constexpr uint64_t kMaxPayloadBytes = 16ull << 30;
// The descriptor a supervised process finds its end of the channel on.
inline constexpr int kChannelFd = 3;

#pragma pack(push, 1)
struct Frame {
  uint32_t magic = kFrameMagic;
  uint32_t kind = 0;  // the protocol's message kind
  uint64_t request_id = 0;
  uint64_t header_bytes = 0;
  uint64_t payload_bytes = 0;
};
#pragma pack(pop)
static_assert(sizeof(Frame) == 32);

// False for a frame whose magic is wrong or whose sizes exceed the limits above (a peer that is not speaking
// this framing, or a corrupt stream).
bool frame_is_valid(const Frame& frame);

// One message as it travels: its frame, the header text (JSON by convention) and the payload bytes.
struct Envelope {
  Frame frame;
  std::string header;
  std::vector<std::byte> payload;

  uint32_t kind() const { return frame.kind; }
};

// Blocking, for the child side: writes one whole message (frame, header, then each payload part in order, by
// writev) or reads one.
Status write_frame(int fd, uint32_t kind, uint64_t request_id, std::string_view header,
                   std::span<const std::span<const std::byte>> payload = {});
Result<Envelope> read_frame(int fd);
// Writes every byte of every buffer, looping over short writes and EINTR.
Status write_all(int fd, std::vector<iovec> buffers);

// maasd's end of a channel: owns the socket.
class Channel {
 public:
  Channel(boost::asio::any_io_executor executor, int fd);

  boost::asio::awaitable<Status> send(uint32_t kind, uint64_t request_id, std::string_view header,
                                      std::span<const boost::asio::const_buffer> payload = {});
  // UNAVAILABLE once the peer has closed its end (or died); INTERNAL for a malformed frame. A payload over
  // `max_payload_bytes` is read and dropped without being held (the channel stays in step): PAYLOAD_TOO_LARGE, with
  // its size in `*skipped_bytes` when given.
  boost::asio::awaitable<Result<Envelope>> receive(uint64_t max_payload_bytes = kMaxPayloadBytes,
                                                   uint64_t* skipped_bytes = nullptr);
  // Closes the socket: a pending send or receive completes with UNAVAILABLE.
  void close();
  bool is_open() const { return socket_.is_open(); }

 private:
  boost::asio::awaitable<Status> discard(uint64_t bytes);

  boost::asio::local::stream_protocol::socket socket_;
};

}  // namespace maas::supervisor
