// The HTTP/1.1 message rules (RFC 9112) that maasd checks on a request's head before anything reads its body:
// how the body is framed (Transfer-Encoding, Content-Length), the Host header, and the form of the target.
// Checking them strictly is what keeps a request's body from being read as a second request (smuggling).
//
// Pure functions over the head as the session parsed it; no state, any thread.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"

namespace maas::http {

// Header fields in arrival order, names lowercased (as in Request::headers).
using HeaderFields = std::vector<std::pair<std::string, std::string>>;

// INVALID_ARGUMENT (answered 400, and the connection closed) when the framing is ambiguous or the Host is wrong:
// - Transfer-Encoding is anything but a single `chunked` (a final coding other than chunked, RFC 9112 §6.3;
//   chunked twice; a coding maasd does not decode, such as gzip before chunked), or is sent in an HTTP/1.0 request;
// - Transfer-Encoding together with Content-Length (§6.1: a smuggling attempt as often as not);
// - no Host in an HTTP/1.1 request, more than one Host, or a Host value that is not a host[:port] (§3.2).
// `version` is 10 or 11, as Beast reports it.
Status check_request_head(const HeaderFields& fields, unsigned version);

// The origin-form ("/path?query") of a request target: returned as is when it already is one; for the
// absolute-form ("http://host:port/path?query", RFC 9112 §3.2.2, which a server must accept) the path and query,
// "/" when the path is empty. INVALID_ARGUMENT for an absolute-form with another scheme or no host.
// Anything else (the asterisk-form, garbage) is returned unchanged: the router answers it with 404.
Result<std::string> origin_form(std::string_view target);

// Content codings are case-insensitive (RFC 9110 §8.4.1): lowercases the values of Content-Encoding and
// Transfer-Encoding in place, so that handlers compare them with "gzip" and mean any spelling.
void normalize_coding_values(HeaderFields& fields);

}  // namespace maas::http
