// Splits a log message into tokens and gives each a key: the hash of its skeleton, the token with its parameters
// (numbers, IPs, ids, paths, timestamps...) masked. Lines of one template share keys wherever the template has
// a constant; the miner groups on keys. Also records the type of every masked slot, for the rules' columns.
// Whitespace splits tokens; "key=value" is two tokens; a quoted span ("GET /x HTTP/1.1", key="a b") and a
// number with its unit ("1.16 KB") are one; a message without whitespace, a digit first, whose fields are joined by
// ',' '|' or ';' (3 or more) splits there (a data row: each field a token); a JSON object is split at its punctuation,
// its values are one token each except a message's (msg, message, event, ...), whose words are tokens as in a plain
// line. Thread-safety: Tokenizer is stateless; each thread uses its own TokenizedLine (its buffers are reused, so the
// hot path allocates nothing once they have grown).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "data/discovery/hash.h"
#include "data/discovery/value_type.h"

namespace maas::data::discovery {

// In a skeleton, one parameter slot.
constexpr char kSlotMark = '\x01';
// In a skeleton, "the next byte is literal": a line's own \x01 and \x02 bytes are written escaped.
constexpr char kEscapeMark = '\x02';

struct Slot {
  ValueType type = ValueType::kWord;
  DateFormat format = kNoFormat;
};

enum class Separator : uint8_t {
  kSpace,  // whitespace before the token
  kNone,   // nothing: the value of key=value
  kText,   // the literal text in sep_begin..sep_end (JSON punctuation)
};

struct Token {
  uint32_t begin = 0, end = 0;          // the token in the message
  uint32_t sep_begin = 0, sep_end = 0;  // kText: the separator before it
  Separator sep = Separator::kSpace;
  bool param = false;   // the token is one parameter (its skeleton is wrapping punctuation around one slot)
  bool merged = false;  // spans whitespace: a quoted span, a number and its unit
  bool rest = false;    // everything after the token limit, as one parameter
  bool value = false;   // the value of key=value or of a JSON key (not a message's words), or a quoted word
  bool numbered = false;  // holds a slot other than a name's number (blk_<*>, not eth<*> or SOCKS<*>)
  uint64_t key = 0;
  uint16_t slot_begin = 0, slot_count = 0;
};

struct TokenizedLine {
  std::string_view message;  // the message given, without its leading and trailing whitespace
  std::vector<Token> tokens;
  std::vector<Slot> slots;
  bool json = false;
  char delimiter = 0;          // a data row's field delimiter (',' '|' ';'); 0 for other messages
  uint32_t trailer_begin = 0;  // JSON: the punctuation after the last token
  // Scratch: whitespace-separated spans before gluing.
  std::vector<std::pair<uint32_t, uint32_t>> raw;
};

class Tokenizer {
 public:
  // Past `max_tokens` tokens or `max_bytes` bytes, the rest of a message is one parameter.
  explicit Tokenizer(uint32_t max_tokens = 256, uint32_t max_bytes = 64 * 1024)
      : max_tokens_(max_tokens < 2 ? 2 : (max_tokens > kMaxTokens ? kMaxTokens : max_tokens)),
        max_bytes_(max_bytes < 16 ? 16 : max_bytes) {}
  // Slot indices are 16-bit: a line has far fewer tokens than that, whatever it is configured to.
  static constexpr uint32_t kMaxTokens = 4096;

  void tokenize(std::string_view message, TokenizedLine& out) const;

  // The skeleton of token i (its text, parameters as kSlotMark, whitespace as one space) appended to `out`.
  static void append_skeleton(const TokenizedLine& line, size_t i, std::string& out);
  // The separator text before token i (kText only), whitespace runs as one space.
  static std::string separator_text(const TokenizedLine& line, size_t i);
  // JSON: the punctuation after the last token ("\"}"), its hash (0 for other lines).
  static std::string trailer_text(const TokenizedLine& line);
  static uint64_t trailer_key(const TokenizedLine& line);
  // The key of one word as a token would have it (numbers masked): "su(pam_unix)[16901]:" and
  // "su(pam_unix)[42]:" have the same.
  static uint64_t word_key(std::string_view word);

 private:
  void tokenize_words(std::string_view message, TokenizedLine& out) const;
  void tokenize_json(std::string_view message, TokenizedLine& out) const;
  char row_delimiter(std::string_view message) const;
  void tokenize_delimited(std::string_view message, char delimiter, TokenizedLine& out) const;
  void finish_token(TokenizedLine& out, Token t) const;

  uint32_t max_tokens_;
  uint32_t max_bytes_;
};

// The key of a token that is one bare parameter after separator `sep` (`sep_text` for Separator::kText): word
// parameters of a template are collapsed to it.
uint64_t parameter_key(Separator sep, std::string_view sep_text = {});

}  // namespace maas::data::discovery
