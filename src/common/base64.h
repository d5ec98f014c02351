// Base64 (RFC 4648): with padding, for binary payloads inside JSON (e.g. OpenAI's embedding vectors), and the
// URL-safe alphabet without padding (§5), as JSON Web Tokens use it.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace maas {

std::string base64_encode(std::string_view bytes);
std::string base64url_encode(std::string_view bytes);
// Decodes unpadded base64url; nullopt for a character outside the alphabet or an impossible length.
std::optional<std::string> base64url_decode(std::string_view text);

}  // namespace maas
