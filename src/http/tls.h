// Server-side TLS: builds the OpenSSL context the listener hands to new connections from PEM certificate and key
// files (TLS 1.2 at least, forward-secret AEAD ciphers only for TLS 1.2), optionally asking clients for
// certificates issued by a given CA (mutual TLS).
#pragma once

#include <boost/asio/ssl/context.hpp>
#include <memory>
#include <string>

#include "common/status.h"

typedef struct ssl_st SSL;  // NOLINT: OpenSSL's own forward declaration

namespace maas::http {

// Reads `cert_file` (a PEM chain, leaf first) and `key_file` (its PEM private key) into a fresh context.
// INVALID_ARGUMENT naming the setting (server.tls_cert_file / server.tls_key_file) when a file cannot be read, is
// not PEM, or the key does not belong to the certificate. The context is immutable once returned; connections
// share it through the shared_ptr, so a replaced context lives until its last connection ends.
// With `client_ca_file` (server.tls_client_ca_file, PEM CA certificates) clients are asked for a certificate: one
// that the CAs do not verify fails the handshake; a client that sends none is served (it authenticates otherwise).
Result<std::shared_ptr<boost::asio::ssl::context>> load_tls_context(const std::string& cert_file,
                                                                    const std::string& key_file,
                                                                    const std::string& client_ca_file = "");

// The subject (RFC 2253 DN, e.g. "CN=ci,O=Example") of the client certificate `ssl`'s handshake verified; empty
// when the client sent none.
std::string verified_client_subject(SSL* ssl);

}  // namespace maas::http
