#include "http/tls.h"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <fstream>

namespace maas::http {
namespace ssl = boost::asio::ssl;

namespace {

// Mozilla's "intermediate" list for TLS 1.2; TLS 1.3 keeps OpenSSL's own (all of them AEAD).
constexpr const char* kTls12Ciphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:"
    "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";

Status check_readable(const char* setting, const std::string& path) {
  std::ifstream in(path);
  if (!in) return invalid_argument(std::string(setting) + ": cannot read '" + path + "'");
  return {};
}

std::string openssl_error(const boost::system::error_code& ec) {
  std::string text = ec.message();
  ERR_clear_error();
  return text;
}

// Asks clients for a certificate issued by one of the CAs in `ca_file`; a client may send none.
Status require_client_ca(SSL_CTX* native, const std::string& ca_file) {
  MAAS_RETURN_IF_ERROR(check_readable("server.tls_client_ca_file", ca_file));
  STACK_OF(X509_NAME)* names = SSL_load_client_CA_file(ca_file.c_str());
  if (names == nullptr || SSL_CTX_load_verify_locations(native, ca_file.c_str(), nullptr) != 1) {
    if (names != nullptr) sk_X509_NAME_pop_free(names, X509_NAME_free);
    ERR_clear_error();
    return invalid_argument("server.tls_client_ca_file: '" + ca_file + "' holds no PEM CA certificate");
  }
  SSL_CTX_set_client_CA_list(native, names);
  SSL_CTX_set_verify(native, SSL_VERIFY_PEER, nullptr);
  // Verified sessions may be resumed only by this context's clients.
  static constexpr unsigned char kSessionContext[] = "maas-mtls";
  SSL_CTX_set_session_id_context(native, kSessionContext, sizeof(kSessionContext) - 1);
  return {};
}

}  // namespace

std::string verified_client_subject(SSL* ssl) {
  X509* cert = SSL_get1_peer_certificate(ssl);
  if (cert == nullptr) return {};
  std::string subject;
  if (SSL_get_verify_result(ssl) == X509_V_OK) {
    BIO* bio = BIO_new(BIO_s_mem());
    if (bio != nullptr && X509_NAME_print_ex(bio, X509_get_subject_name(cert), 0, XN_FLAG_RFC2253) >= 0) {
      char* data = nullptr;
      long len = BIO_get_mem_data(bio, &data);
      if (len > 0) subject.assign(data, static_cast<size_t>(len));
    }
    BIO_free(bio);
  }
  X509_free(cert);
  return subject;
}

Result<std::shared_ptr<ssl::context>> load_tls_context(const std::string& cert_file, const std::string& key_file,
                                                       const std::string& client_ca_file) {
  MAAS_RETURN_IF_ERROR(check_readable("server.tls_cert_file", cert_file));
  MAAS_RETURN_IF_ERROR(check_readable("server.tls_key_file", key_file));
  std::shared_ptr<ssl::context> ctx;
  try {
    ctx = std::make_shared<ssl::context>(ssl::context::tls_server);
  } catch (const std::exception& e) {
    return internal_error(std::string("cannot create a TLS context: ") + e.what());
  }
  boost::system::error_code ec;
  ctx->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                       ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 | ssl::context::single_dh_use,
                   ec);
  SSL_CTX* native = ctx->native_handle();
  if (ec || SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION) != 1 ||
      SSL_CTX_set_cipher_list(native, kTls12Ciphers) != 1) {
    ERR_clear_error();
    return internal_error("cannot configure the TLS context");
  }
  // No renegotiation (a TLS 1.2 denial-of-service lever) and no session tickets encrypted under a key that
  // would outlive a certificate reload.
  SSL_CTX_set_options(native, SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_TICKET);
  ctx->use_certificate_chain_file(cert_file, ec);
  if (ec) {
    return invalid_argument("server.tls_cert_file: '" + cert_file + "' is not a PEM certificate (" + openssl_error(ec) +
                            ")");
  }
  ctx->use_private_key_file(key_file, ssl::context::pem, ec);
  if (ec) {
    return invalid_argument("server.tls_key_file: '" + key_file + "' is not a PEM private key (" + openssl_error(ec) +
                            ")");
  }
  if (SSL_CTX_check_private_key(native) != 1) {
    ERR_clear_error();
    return invalid_argument("server.tls_key_file: '" + key_file + "' is not the key of the certificate in '" +
                            cert_file + "' (server.tls_cert_file)");
  }
  if (!client_ca_file.empty()) MAAS_RETURN_IF_ERROR(require_client_ca(native, client_ca_file));
  return ctx;
}

}  // namespace maas::http
