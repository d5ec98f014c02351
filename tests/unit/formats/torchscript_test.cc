#include <gtest/gtest.h>

#ifdef MAAS_FORMATS_HAVE_ZLIB
#include <zlib.h>
#endif

#include "formats/format.h"
#include "test_bytes.h"

namespace maas::formats {
namespace {

using namespace std::string_view_literals;
using testing::failed_with;
using testing::make_zip;
using testing::write_temp;
using testing::ZipFile;

// What torch.jit.script(MLP()).save("mlp.pt") writes, less the tensors' bytes.
constexpr std::string_view kModuleCode = R"(class MLP(Module):
  __parameters__ = []
  __buffers__ = []
  training : bool
  fc1 : __torch__.torch.nn.modules.linear.Linear
  def forward(self: __torch__.MLP,
    x: Tensor,
    lengths: Tuple[Tensor, Tensor],
    scale: float=1.) -> Tensor:
    return (self.fc1).forward(x, )
)";
// A string_view literal: the pickle holds NUL bytes.
constexpr std::string_view kDataPickle =
    "\x80\x02"
    "c__torch__\nMLP\nq\x00)\x81}(X\x08\x00\x00\x00training"sv;

std::vector<ZipFile> torchscript_files(std::string code = std::string(kModuleCode)) {
  return {
      {"mlp/data/0", std::string(64, '\0')},
      {"mlp/data.pkl", std::string(kDataPickle)},
      {"mlp/code/__torch__.py", std::move(code)},
      {"mlp/code/__torch__/torch/nn/modules/linear.py", "class Linear(Module):\n  pass\n"},
      {"mlp/constants.pkl", "\x80\x02)."},
      {"mlp/version", "3\n"},
  };
}

Result<ArtifactInfo> inspect(std::string_view name, const std::string& bytes) {
  return inspect_artifact(write_temp(name, bytes), Framework::kTorchscript);
}

TEST(Torchscript, DescribesTheArchiveAndForwardSignature) {
  auto info = inspect_artifact(write_temp("mlp.pt", make_zip(torchscript_files())));  // detected
  ASSERT_TRUE(info.ok()) << info.status().to_string();
  EXPECT_EQ(info->framework, Framework::kTorchscript);
  EXPECT_EQ(info->format, "torchscript");
  ASSERT_EQ(info->inputs.size(), 3u);
  EXPECT_EQ(info->inputs[0].name, "x");
  EXPECT_EQ(info->inputs[0].datatype, "");
  EXPECT_TRUE(info->inputs[0].shape.empty());
  EXPECT_EQ(info->inputs[1].name, "lengths");
  EXPECT_EQ(info->inputs[2].name, "scale");
  EXPECT_EQ(info->details, nlohmann::json::parse(R"({
    "archive": "mlp", "entry_count": 6, "code_entries": 2, "format_version": "3", "module_class": "__torch__.MLP",
    "forward": "(x: Tensor, lengths: Tuple[Tensor, Tensor], scale: float=1.) -> Tensor"
  })"));
}

TEST(Torchscript, ReadsZip64Archives) {
  auto info = inspect("mlp64.pt", make_zip(torchscript_files(), /*zip64=*/true));
  ASSERT_TRUE(info.ok()) << info.status().to_string();
  EXPECT_EQ(info->inputs.size(), 3u);
}

TEST(Torchscript, AcceptsAModuleWhoseCodeHasNoReadableForward) {
  auto info = inspect("noforward.pt", make_zip(torchscript_files("class Other(Module):\n  pass\n")));
  ASSERT_TRUE(info.ok()) << info.status().to_string();
  EXPECT_TRUE(info->inputs.empty());
  EXPECT_FALSE(info->details.contains("forward"));
}

#ifdef MAAS_FORMATS_HAVE_ZLIB
// PyTorch >= 1.11 deflates the code entries.
TEST(Torchscript, ReadsDeflatedCode) {
  std::string code(kModuleCode);
  z_stream stream{};
  ASSERT_EQ(deflateInit2(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY), Z_OK);
  std::string deflated(deflateBound(&stream, code.size()), '\0');
  stream.next_in = reinterpret_cast<Bytef*>(code.data());
  stream.avail_in = static_cast<uInt>(code.size());
  stream.next_out = reinterpret_cast<Bytef*>(deflated.data());
  stream.avail_out = static_cast<uInt>(deflated.size());
  ASSERT_EQ(deflate(&stream, Z_FINISH), Z_STREAM_END);
  deflated.resize(stream.total_out);
  deflateEnd(&stream);

  auto files = torchscript_files();
  files[2] = {"mlp/code/__torch__.py", deflated, 8, code.size()};
  auto info = inspect("deflated.pt", make_zip(files));
  ASSERT_TRUE(info.ok()) << info.status().to_string();
  ASSERT_EQ(info->inputs.size(), 3u);
  EXPECT_EQ(info->inputs[0].name, "x");
}
#endif

TEST(Torchscript, RejectsFilesThatAreNotZipArchives) {
  EXPECT_TRUE(failed_with(inspect("model.onnx", "\x08\x07\x12\x07pytorch"),
                          "torchscript: not a zip archive (TorchScript models are zip archives"));
  EXPECT_TRUE(failed_with(inspect("legacy.pt", "\x80\x02\x8a\x0alz"), "legacy torch.save pickle, not TorchScript"));
}

TEST(Torchscript, RejectsATruncatedArchive) {
  std::string zip = make_zip(torchscript_files());
  EXPECT_TRUE(failed_with(inspect("cut.pt", zip.substr(0, zip.size() / 2)),
                          "torchscript: no end-of-central-directory record: the zip archive is truncated"));
}

TEST(Torchscript, RejectsATorchSaveCheckpoint) {
  auto checkpoint = make_zip({{"sd/data.pkl", std::string(kDataPickle)}, {"sd/data/0", "1234"}, {"sd/version", "3\n"}});
  EXPECT_TRUE(
      failed_with(inspect("sd.pt", checkpoint),
                  "this is a torch.save checkpoint, not TorchScript; export with torch.jit.script/trace + save"));
}

TEST(Torchscript, RejectsArchivesMissingRequiredEntries) {
  EXPECT_TRUE(failed_with(inspect("other.zip", make_zip({{"docs/readme.txt", "hi"}})),
                          "the zip archive has no '<archive>/data.pkl' entry"));
  auto files = torchscript_files();
  files.pop_back();  // version
  EXPECT_TRUE(failed_with(inspect("noversion.pt", make_zip(files)), "the archive has no version entry under 'mlp/'"));
}

}  // namespace
}  // namespace maas::formats
