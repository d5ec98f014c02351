// Turns the bytes of generated tokens into text that is safe to send as it comes: whole UTF-8 characters only
// (a token may end inside one; bytes that can never form one become U+FFFD), and never a piece of a stop string
// (text that might be the start of one is held until it is clear). Pure; one per stream, not thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace maas::llm {

class TextStream {
 public:
  explicit TextStream(std::vector<std::string> stops = {});

  // Appends a token's bytes and returns the text that can be released now. When a stop string appears, returns
  // the text before it, sets *stopped, and drops everything from the stop string on.
  std::string push(std::string_view bytes, bool* stopped);
  // The end of the stream: whatever was held back (an unfinished character becomes U+FFFD).
  std::string finish();

  // Bytes as valid UTF-8 text at once (bytes that are not become U+FFFD).
  static std::string whole(std::string_view bytes);

 private:
  std::string sanitize(std::string_view bytes);

  std::vector<std::string> stops_;
  std::string partial_;  // the bytes of an unfinished UTF-8 character
  std::string held_;     // valid text that may be the start of a stop string
};

}  // namespace maas::llm
