#include <gtest/gtest.h>

#include <optional>

#include "formats/format.h"
#include "test_bytes.h"

namespace maas::formats {
namespace {

using testing::Bytes;
using testing::failed_with;
using testing::write_temp;

constexpr uint32_t kUint32 = 4, kString = 8, kArray = 9, kFloat32Type = 6;
// ggml type ids: F32 and Q4_0.
constexpr uint32_t kF32 = 0, kQ4Zero = 2;

// Builds GGUF files: key-values and tensor infos in order, then the aligned data section.
class GgufBuilder {
 public:
  GgufBuilder& version(uint32_t v) {
    version_ = v;
    return *this;
  }
  GgufBuilder& alignment(uint32_t a) {
    alignment_ = a;
    return kv_u32("general.alignment", a);
  }
  GgufBuilder& kv_string(std::string_view key, std::string_view value) {
    return kv(key, Bytes().u32(kString).string64(value).str());
  }
  GgufBuilder& kv_u32(std::string_view key, uint32_t value) { return kv(key, Bytes().u32(kUint32).u32(value).str()); }
  GgufBuilder& kv_strings(std::string_view key, const std::vector<std::string>& values) {
    Bytes b;
    b.u32(kArray).u32(kString).u64(values.size());
    for (const auto& v : values) b.string64(v);
    return kv(key, b.str());
  }
  // `encoded` is the value type and value as they appear after the key.
  GgufBuilder& kv(std::string_view key, const std::string& encoded) {
    kvs_.raw(Bytes().string64(key).str()).raw(encoded);
    ++kv_count_;
    return *this;
  }
  // F32 tensor at the next aligned offset unless one is given.
  GgufBuilder& tensor(std::string_view name, const std::vector<uint64_t>& dims, uint32_t type = kF32,
                      std::optional<uint64_t> offset = std::nullopt) {
    uint64_t elements = 1;
    for (auto d : dims) elements *= d;
    uint64_t bytes = type == kQ4Zero ? elements / 32 * 18 : elements * 4;
    uint64_t at = offset.value_or(data_bytes_);
    infos_.string64(name).u32(static_cast<uint32_t>(dims.size()));
    for (auto d : dims) infos_.u64(d);
    infos_.u32(type).u64(at);
    data_bytes_ = std::max(data_bytes_, at + bytes);
    data_bytes_ += (alignment_ - data_bytes_ % alignment_) % alignment_;
    ++tensor_count_;
    return *this;
  }
  GgufBuilder& counts(uint64_t tensors, uint64_t kvs) {
    forced_counts_ = {tensors, kvs};
    return *this;
  }
  std::string build() const {
    Bytes out;
    out.raw("GGUF").u32(version_);
    out.u64(forced_counts_ ? forced_counts_->first : tensor_count_);
    out.u64(forced_counts_ ? forced_counts_->second : kv_count_);
    out.raw(kvs_.str()).raw(infos_.str());
    out.zeros((alignment_ - out.size() % alignment_) % alignment_);
    out.zeros(data_bytes_);
    return out.str();
  }

 private:
  uint32_t version_ = 3;
  uint32_t alignment_ = 32;
  Bytes kvs_;
  Bytes infos_;
  uint64_t kv_count_ = 0;
  uint64_t tensor_count_ = 0;
  uint64_t data_bytes_ = 0;
  std::optional<std::pair<uint64_t, uint64_t>> forced_counts_;
};

GgufBuilder tiny_llama() {
  GgufBuilder b;
  b.kv_string("general.architecture", "llama")
      .kv_string("general.name", "tiny")
      .kv_u32("llama.context_length", 4096)
      .kv_u32("llama.embedding_length", 64)
      .kv_u32("llama.block_count", 2)
      .kv_u32("general.file_type", 2)
      .kv_strings("tokenizer.ggml.tokens", {"<s>", "</s>", "a", "b"})
      .kv_string("tokenizer.chat_template", "{{ messages }}")
      .tensor("token_embd.weight", {64, 4})
      .tensor("blk.0.attn_q.weight", {64, 64}, kQ4Zero);
  return b;
}

Result<ArtifactInfo> inspect(std::string_view name, const std::string& bytes) {
  return inspect_artifact(write_temp(name, bytes), Framework::kGguf);
}

TEST(Gguf, DescribesAValidFile) {
  auto path = write_temp("tiny.gguf", tiny_llama().build());
  auto info = inspect_artifact(path);  // detected from the magic
  ASSERT_TRUE(info.ok()) << info.status().to_string();
  EXPECT_EQ(info->framework, Framework::kGguf);
  EXPECT_EQ(info->format, "gguf");
  EXPECT_TRUE(info->inputs.empty());
  EXPECT_TRUE(info->outputs.empty());
  EXPECT_EQ(info->details, nlohmann::json::parse(R"({
    "gguf_version": 3, "architecture": "llama", "name": "tiny", "context_length": 4096, "embedding_length": 64,
    "block_count": 2, "vocab_size": 4, "has_chat_template": true, "file_type": 2, "alignment": 32,
    "tensor_count": 2, "parameter_count": 4352
  })"));
}

TEST(Gguf, AcceptsVersion2CustomAlignmentAndMetadataAfterUse) {
  GgufBuilder b;
  // The architecture key may come after the keys named after it.
  b.version(2).alignment(64).kv_u32("phi3.context_length", 128).kv_string("general.architecture", "phi3");
  b.tensor("w", {16});
  auto info = inspect("v2.gguf", b.build());
  ASSERT_TRUE(info.ok()) << info.status().to_string();
  EXPECT_EQ(info->details["gguf_version"], 2);
  EXPECT_EQ(info->details["alignment"], 64);
  EXPECT_EQ(info->details["context_length"], 128);
  EXPECT_EQ(info->details["has_chat_template"], false);
  EXPECT_FALSE(info->details.contains("vocab_size"));
}

TEST(Gguf, RejectsABadMagicOrVersion) {
  EXPECT_TRUE(failed_with(inspect("magic.gguf", std::string("GGML\x03\x00\x00\x00", 8)), "gguf: not a GGUF file"));
  EXPECT_TRUE(failed_with(inspect("v1.gguf", GgufBuilder().version(1).build()), "version 1 is not supported"));
  EXPECT_TRUE(failed_with(inspect("v4.gguf", GgufBuilder().version(4).build()), "unknown version 4"));
}

TEST(Gguf, RejectsCountsTheFileCannotHold) {
  EXPECT_TRUE(failed_with(inspect("kvs.gguf", GgufBuilder().counts(0, 1'000'000).build()),
                          "claims 1000000 metadata key-values"));
  EXPECT_TRUE(failed_with(inspect("tensors.gguf", GgufBuilder().counts(1ull << 40, 0).build()),
                          "claims 1099511627776 tensors"));
}

TEST(Gguf, RejectsBadKeyValues) {
  EXPECT_TRUE(failed_with(inspect("type.gguf", GgufBuilder().kv("x", Bytes().u32(13).u32(0).str()).build()),
                          "metadata key-value #0: key 'x' has unknown value type 13"));
  EXPECT_TRUE(
      failed_with(inspect("nested.gguf", GgufBuilder().kv("x", Bytes().u32(kArray).u32(kArray).u64(1).str()).build()),
                  "array of arrays"));
  EXPECT_TRUE(failed_with(
      inspect("longarray.gguf", GgufBuilder().kv("x", Bytes().u32(kArray).u32(kUint32).u64(1u << 30).str()).build()),
      "claims 1073741824 elements"));
  EXPECT_TRUE(
      failed_with(inspect("dup.gguf", GgufBuilder().kv_u32("a", 1).kv_u32("a", 2).build()), "duplicate key 'a'"));
  EXPECT_TRUE(failed_with(
      inspect("string.gguf", GgufBuilder().kv("general.name", Bytes().u32(kString).u64(1u << 30).str()).build()),
      "claims 1073741824 bytes, past the end of the file"));
  EXPECT_TRUE(failed_with(inspect("align.gguf", GgufBuilder().kv_u32("general.alignment", 48).build()),
                          "general.alignment is 48; it must be a power of two"));
  EXPECT_TRUE(failed_with(
      inspect("aligntype.gguf", GgufBuilder().kv("general.alignment", Bytes().u32(kFloat32Type).f32(32).str()).build()),
      "general.alignment must be a UINT32"));
}

TEST(Gguf, RejectsBadTensorInfos) {
  EXPECT_TRUE(failed_with(inspect("dims.gguf", GgufBuilder().tensor("t", {1, 1, 1, 1, 1}).build()),
                          "tensor info #0: tensor 't' has 5 dimensions; at most 4 are allowed"));
  EXPECT_TRUE(failed_with(inspect("ggml.gguf", GgufBuilder().tensor("t", {4}, 4).build()), "unknown ggml type 4"));
  EXPECT_TRUE(failed_with(inspect("ggml2.gguf", GgufBuilder().tensor("t", {4}, 99).build()), "unknown ggml type 99"));
  EXPECT_TRUE(failed_with(inspect("offset.gguf", GgufBuilder().tensor("t", {4}, kF32, 8).build()),
                          "tensor 't' has data offset 8, not a multiple of the alignment 32"));
  EXPECT_TRUE(failed_with(inspect("block.gguf", GgufBuilder().tensor("t", {48}, kQ4Zero).build()),
                          "first dimension of 48, not a multiple of the block size 32"));
  EXPECT_TRUE(failed_with(inspect("name.gguf", GgufBuilder().tensor(std::string(64, 'n'), {4}).build()),
                          "is 64 bytes long; the limit is 63"));
  EXPECT_TRUE(failed_with(inspect("duptensor.gguf", GgufBuilder().tensor("t", {4}).tensor("t", {4}).build()),
                          "duplicate tensor name 't'"));
}

TEST(Gguf, RejectsATruncatedFileNamingTheTensor) {
  std::string bytes = tiny_llama().build();
  auto result = inspect("truncated.gguf", bytes.substr(0, bytes.size() - 1000));
  EXPECT_TRUE(failed_with(result, "gguf: file is truncated: tensor 'blk.0.attn_q.weight' ends at byte " +
                                      std::to_string(bytes.size()) + " but the file has " +
                                      std::to_string(bytes.size() - 1000) + " bytes"));
}

TEST(Gguf, RejectsAFileCutInsideTheHeader) {
  std::string bytes = GgufBuilder().kv_string("general.name", std::string(200, 'x')).build();
  EXPECT_TRUE(failed_with(inspect("cut.gguf", bytes.substr(0, 100)),
                          "gguf: metadata key-value #0: the value of key 'general.name' at byte 48 claims 200 bytes, "
                          "past the end of the file"));
  std::string llama = tiny_llama().build();
  EXPECT_TRUE(failed_with(inspect("cut2.gguf", llama.substr(0, 80)),
                          "gguf: the header claims 8 metadata key-values, more than the 80-byte file can hold"));
}

}  // namespace
}  // namespace maas::formats
