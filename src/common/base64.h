// Base64 (RFC 4648, with padding), for binary payloads inside JSON (e.g. OpenAI's embedding vectors).
#pragma once

#include <string>
#include <string_view>

namespace maas {

std::string base64_encode(std::string_view bytes);

}  // namespace maas
