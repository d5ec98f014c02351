// The hashes token keys and line signatures are made of: FNV-1a over a token's skeleton, a 64-bit mixer to combine.
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string_view>

namespace maas::data::discovery {

constexpr uint64_t kHashSeed = 0xcbf29ce484222325ULL;
constexpr uint64_t kHashPrime = 0x100000001b3ULL;
inline uint64_t hash_byte(uint64_t h, unsigned char c) { return (h ^ c) * kHashPrime; }
inline uint64_t hash_bytes(uint64_t h, std::string_view s) {
  for (char c : s) h = hash_byte(h, static_cast<unsigned char>(c));
  return h;
}

// splitmix64's finalizer.
inline uint64_t mix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}
// A key at a position. A line's signature is the sum of these, so one position can be swapped cheaply.
inline uint64_t position_key(size_t position, uint64_t key) { return mix64(key ^ mix64(position + 1)); }

}  // namespace maas::data::discovery
