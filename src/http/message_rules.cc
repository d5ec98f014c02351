#include "http/message_rules.h"

#include <cctype>

namespace maas::http {
namespace {

std::string lowercase(std::string_view text) {
  std::string out(text);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// The codings of every Transfer-Encoding field, in order, lowercased; empty list elements are skipped, as the
// list syntax allows (RFC 9110 §5.6.1).
std::vector<std::string> transfer_codings(const HeaderFields& fields) {
  std::vector<std::string> codings;
  for (const auto& [name, value] : fields) {
    if (name != "transfer-encoding") continue;
    std::string_view rest = value;
    while (!rest.empty()) {
      size_t comma = rest.find(',');
      std::string_view item = trim(rest.substr(0, comma));
      rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
      if (!item.empty()) codings.push_back(lowercase(item));
    }
  }
  return codings;
}

// uri-host [ ":" port ] (RFC 3986): unreserved, percent-encoded and sub-delimiter characters, brackets for an IPv6
// literal, the colon before the port. An empty value is allowed (a target without an authority).
bool is_valid_host(std::string_view host) {
  for (char c : host) {
    bool ok = std::isalnum(static_cast<unsigned char>(c)) != 0 || std::string_view("-._~%!$&'()*+,;=:[]").find(c) !=
                                                                       std::string_view::npos;
    if (!ok) return false;
  }
  return true;
}

Status check_transfer_encoding(const HeaderFields& fields, unsigned version) {
  bool has_te = false;
  bool has_length = false;
  for (const auto& field : fields) {
    has_te = has_te || field.first == "transfer-encoding";
    has_length = has_length || field.first == "content-length";
  }
  if (!has_te) return {};
  if (has_length) {
    return invalid_argument("the request has both Transfer-Encoding and Content-Length; send one (RFC 9112 §6.1)");
  }
  if (version < 11) return invalid_argument("Transfer-Encoding is not allowed in an HTTP/1.0 request");
  auto codings = transfer_codings(fields);
  if (codings.empty() || codings.back() != "chunked") {
    return invalid_argument("the final Transfer-Encoding must be chunked (RFC 9112 §6.3)");
  }
  if (codings.size() > 1) {
    std::string list;
    for (const auto& c : codings) list += (list.empty() ? "" : ", ") + c;
    return invalid_argument("Transfer-Encoding '" + list + "' is not accepted; send the body with chunked only");
  }
  return {};
}

Status check_host(const HeaderFields& fields, unsigned version) {
  int hosts = 0;
  const std::string* host = nullptr;
  for (const auto& [name, value] : fields) {
    if (name != "host") continue;
    ++hosts;
    host = &value;
  }
  if (hosts > 1) return invalid_argument("the request has " + std::to_string(hosts) + " Host headers; send one");
  if (hosts == 0) {
    if (version >= 11) return invalid_argument("an HTTP/1.1 request needs a Host header");
    return {};
  }
  if (!is_valid_host(*host)) return invalid_argument("the Host header is not a host name or address with a port");
  return {};
}

}  // namespace

Status check_request_head(const HeaderFields& fields, unsigned version) {
  MAAS_RETURN_IF_ERROR(check_transfer_encoding(fields, version));
  return check_host(fields, version);
}

Result<std::string> origin_form(std::string_view target) {
  if (target.empty() || target.front() == '/') return std::string(target);
  size_t scheme_end = target.find("://");
  if (scheme_end == std::string_view::npos) return std::string(target);
  std::string scheme = lowercase(target.substr(0, scheme_end));
  if (scheme != "http" && scheme != "https") {
    return invalid_argument("the request target '" + std::string(target.substr(0, 64)) +
                            "' is neither a path nor an http:// URL");
  }
  std::string_view rest = target.substr(scheme_end + 3);
  size_t path_start = rest.find_first_of("/?");
  std::string_view authority = rest.substr(0, path_start);
  if (authority.empty() || !is_valid_host(authority)) {
    return invalid_argument("the request target's URL has no valid host");
  }
  if (path_start == std::string_view::npos) return std::string("/");
  std::string_view path_and_query = rest.substr(path_start);
  if (path_and_query.front() == '?') return "/" + std::string(path_and_query);
  return std::string(path_and_query);
}

void normalize_coding_values(HeaderFields& fields) {
  for (auto& [name, value] : fields) {
    if (name == "content-encoding" || name == "transfer-encoding") value = lowercase(value);
  }
}

}  // namespace maas::http
