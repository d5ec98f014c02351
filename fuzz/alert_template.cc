// Alert annotation and subscription message templates: checked against the names a rule knows, then rendered with
// a lookup that knows some of them.
#include <optional>
#include <string>

#include "alerting/template.h"
#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto text = maas::fuzz::as_text(data, size);
  auto known = [](std::string_view e) { return e == "value" || e.starts_with("labels."); };
  (void)maas::alerting::check_template(text, "annotations.summary", known);
  auto lookup = [](std::string_view e) -> std::optional<std::string> {
    if (e == "value") return "42";
    if (e.starts_with("labels.")) return std::string(e.substr(7)) + "-value";
    return std::nullopt;
  };
  (void)maas::alerting::render_template(text, lookup);
  return 0;
}
