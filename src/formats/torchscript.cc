// TorchScript: checks that a zip archive is what torch.jit.save writes (not a torch.save checkpoint), and reads the
// top-level module's forward() signature from its serialized code to name the inputs.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "formats/inspectors.h"
#include "formats/zip_reader.h"

namespace maas::formats {
namespace {

constexpr std::string_view kZipMagic = "PK\x03\x04";
// Code files of real modules are a few KiB; the start of data.pkl names the top-level class.
constexpr uint64_t kMaxCodeBytes = 1 << 20;
constexpr uint64_t kPickleHeadBytes = 4096;
constexpr uint64_t kMaxVersionBytes = 64;
constexpr size_t kMaxCodeEntries = 10000;

// The entries that tell a TorchScript archive apart, found in one pass over the central directory.
struct Archive {
  std::string name;  // the top-level folder all entries live in
  uint64_t entry_count = 0;
  std::optional<ZipEntry> data_pickle;
  std::optional<ZipEntry> version;
  bool has_constants = false;
  uint64_t code_entries = 0;
  std::map<std::string, ZipEntry> code_files;  // "<archive>/code/....py"
};

Status invalid(const std::string& message) { return invalid_argument("torchscript: " + message); }

bool starts_with(std::string_view text, std::string_view prefix) { return text.substr(0, prefix.size()) == prefix; }
bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

// Two passes over the central directory: the first finds the archive folder (the one holding data.pkl, which
// need not come first), the second sorts the entries under it.
Result<Archive> scan(FileReader& file) {
  MAAS_ASSIGN_OR_RETURN(ZipDirectory directory, read_zip_directory(file));
  Archive archive;
  MAAS_RETURN_IF_ERROR(for_each_zip_entry(file, directory, [&](const ZipEntry& entry) -> Status {
    ++archive.entry_count;
    auto slash = entry.name.find('/');
    if (archive.name.empty() && slash != std::string::npos && entry.name.substr(slash) == "/data.pkl") {
      archive.name = entry.name.substr(0, slash);
    }
    return {};
  }));
  if (archive.name.empty()) return archive;
  std::string prefix = archive.name + "/";
  MAAS_RETURN_IF_ERROR(for_each_zip_entry(file, directory, [&](const ZipEntry& entry) -> Status {
    if (!starts_with(entry.name, prefix)) return {};
    std::string_view rest = std::string_view(entry.name).substr(prefix.size());
    if (rest == "data.pkl") {
      archive.data_pickle = entry;
    } else if (rest == "constants.pkl") {
      archive.has_constants = true;
    } else if (rest == "version" || (rest == ".data/version" && !archive.version)) {
      archive.version = entry;
    } else if (starts_with(rest, "code/")) {
      ++archive.code_entries;
      if (ends_with(rest, ".py") && archive.code_files.size() < kMaxCodeEntries) {
        archive.code_files.emplace(entry.name, entry);
      }
    }
    return {};
  }));
  return archive;
}

// The first pickle opcode of data.pkl is GLOBAL ('c') naming the top-level module's class:
// "\x80\x02c__torch__.___torch_mangle_3\nMLP\n" -> {"__torch__.___torch_mangle_3", "MLP"}.
std::optional<std::pair<std::string, std::string>> top_level_class(std::string_view pickle) {
  if (pickle.size() < 3 || static_cast<unsigned char>(pickle[0]) != 0x80 || pickle[2] != 'c') return std::nullopt;
  std::string_view rest = pickle.substr(3);
  auto module_end = rest.find('\n');
  if (module_end == std::string_view::npos) return std::nullopt;
  auto class_end = rest.find('\n', module_end + 1);
  if (class_end == std::string_view::npos) return std::nullopt;
  std::string module(rest.substr(0, module_end));
  std::string name(rest.substr(module_end + 1, class_end - module_end - 1));
  if (!starts_with(module, "__torch__") || name.empty()) return std::nullopt;
  return std::make_pair(module, name);
}

// "__torch__" -> "code/__torch__.py"; "__torch__.a.b" -> "code/__torch__/a/b.py".
std::string code_path(const std::string& module) {
  std::string path = "code/" + module + ".py";
  for (size_t i = 5; i < path.size() - 3; ++i) {
    if (path[i] == '.') path[i] = '/';
  }
  return path;
}

std::string collapse_spaces(std::string_view text) {
  std::string out;
  for (char c : text) {
    bool space = c == ' ' || c == '\n' || c == '\t' || c == '\r';
    if (space && (out.empty() || out.back() == ' ' || out.back() == '(')) continue;
    out += space ? ' ' : c;
  }
  if (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

// The forward() of `class_name` in serialized TorchScript code, as the parameter list (self dropped) and the
// whole signature text. nullopt when the code does not have the expected shape.
struct Forward {
  std::vector<std::string> parameters;
  std::string signature;
};

std::optional<Forward> find_forward(std::string_view code, const std::string& class_name) {
  std::string header = "class " + class_name + "(";
  size_t class_at = starts_with(code, header) ? 0 : code.find("\n" + header);
  if (class_at == std::string_view::npos) return std::nullopt;
  size_t class_end = code.find("\nclass ", class_at + 1);
  std::string_view body = code.substr(class_at, class_end == std::string_view::npos ? code.npos : class_end - class_at);
  size_t def_at = body.find("def forward(");
  if (def_at == std::string_view::npos) return std::nullopt;
  size_t open = def_at + std::string_view("def forward").size();
  // Split the parameters at top-level commas; annotations like Tuple[Tensor, Tensor] hold commas of their own.
  Forward forward;
  int depth = 0;
  std::string current;
  size_t close = std::string_view::npos;
  for (size_t i = open + 1; i < body.size(); ++i) {
    char c = body[i];
    if (c == '(' || c == '[' || c == '{') ++depth;
    if ((c == ')' || c == ']' || c == '}') && depth > 0) {
      --depth;
    } else if (c == ')' && depth == 0) {
      close = i;
      break;
    }
    if (c == ',' && depth == 0) {
      forward.parameters.push_back(collapse_spaces(current));
      current.clear();
    } else {
      current += c;
    }
  }
  if (close == std::string_view::npos) return std::nullopt;
  if (!collapse_spaces(current).empty()) forward.parameters.push_back(collapse_spaces(current));
  if (forward.parameters.empty() || !starts_with(forward.parameters.front(), "self")) return std::nullopt;
  forward.parameters.erase(forward.parameters.begin());
  size_t colon = body.find(":\n", close);
  std::string_view returns = body.substr(close + 1, colon == std::string_view::npos ? 0 : colon - close - 1);
  std::string signature = "(";
  for (size_t i = 0; i < forward.parameters.size(); ++i) signature += (i ? ", " : "") + forward.parameters[i];
  forward.signature = signature + ")" + (returns.empty() ? "" : " " + collapse_spaces(returns));
  return forward;
}

// Names the inputs from forward(); any failure just leaves them unnamed, since the archive itself is valid.
void read_signature(FileReader& file, const Archive& archive, ArtifactInfo& info) {
  if (!can_read_zip_method(archive.data_pickle->method)) return;
  auto pickle = read_zip_entry(file, *archive.data_pickle, kPickleHeadBytes);
  if (!pickle.ok()) return;
  auto top = top_level_class(*pickle);
  if (!top) return;
  info.details["module_class"] = top->first + "." + top->second;
  auto code_entry = archive.code_files.find(archive.name + "/" + code_path(top->first));
  if (code_entry == archive.code_files.end()) return;
  const ZipEntry& entry = code_entry->second;
  if (!can_read_zip_method(entry.method) || entry.uncompressed_size > kMaxCodeBytes) return;
  auto code = read_zip_entry(file, entry, kMaxCodeBytes);
  if (!code.ok()) return;
  auto forward = find_forward(*code, top->second);
  if (!forward) return;
  info.details["forward"] = forward->signature;
  for (const std::string& parameter : forward->parameters) {
    std::string name = parameter.substr(0, parameter.find_first_of(":="));
    while (!name.empty() && name.back() == ' ') name.pop_back();
    if (!name.empty()) info.inputs.push_back({name, "", {}});
  }
}

}  // namespace

bool looks_like_torchscript(std::string_view head) { return starts_with(head, kZipMagic); }

Result<ArtifactInfo> inspect_torchscript(FileReader& file) {
  MAAS_RETURN_IF_ERROR(file.seek(0));
  MAAS_ASSIGN_OR_RETURN(std::string head, file.read_string(std::min<uint64_t>(4, file.size())));
  if (head != kZipMagic) {
    // torch.save before PyTorch 1.6 wrote a bare pickle (protocol 2: 0x80 0x02).
    if (!head.empty() && static_cast<unsigned char>(head[0]) == 0x80) {
      return invalid("this is a legacy torch.save pickle, not TorchScript; export with torch.jit.script/trace + save");
    }
    return invalid("not a zip archive (TorchScript models are zip archives written by torch.jit.save)");
  }
  MAAS_ASSIGN_OR_RETURN(Archive archive, with_context(scan(file), "torchscript"));
  if (!archive.data_pickle) {
    return invalid("the zip archive has no '<archive>/data.pkl' entry; it is not a PyTorch archive");
  }
  std::string prefix = in_quotes(archive.name + "/");
  if (archive.code_entries == 0 && !archive.has_constants) {
    return invalid("the archive has data.pkl but no code/ or constants.pkl under " + prefix +
                   ": this is a torch.save checkpoint, not TorchScript; export with torch.jit.script/trace + save");
  }
  if (!archive.version) return invalid("the archive has no version entry under " + prefix);

  ArtifactInfo info;
  info.framework = Framework::kTorchscript;
  info.format = "torchscript";
  info.details["archive"] = archive.name;
  info.details["entry_count"] = archive.entry_count;
  info.details["code_entries"] = archive.code_entries;
  if (can_read_zip_method(archive.version->method)) {
    MAAS_ASSIGN_OR_RETURN(std::string version,
                          with_context(read_zip_entry(file, *archive.version, kMaxVersionBytes), "torchscript"));
    while (!version.empty() && (version.back() == '\n' || version.back() == '\r' || version.back() == ' ')) {
      version.pop_back();
    }
    info.details["format_version"] = version;
  }
  read_signature(file, archive, info);
  return info;
}

}  // namespace maas::formats
