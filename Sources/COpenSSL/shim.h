#ifndef CUTOVER_OPENSSL_SHIM_H
#define CUTOVER_OPENSSL_SHIM_H

/* The system's OpenSSL, for https:// health checks and KPI sources (the same library libssh2
   links). Swift cannot import OpenSSL's function-like macros; each wrapper below names the
   real call the macro expands to (see the OpenSSL man page named beside it). */

#include <openssl/ssl.h>
#include <openssl/err.h>
#include <openssl/x509v3.h>

/* SSL_CTX_set_min_proto_version(3) */
static inline int cutover_ssl_ctx_min_tls12(SSL_CTX *ctx) {
    return (int)SSL_CTX_ctrl(ctx, SSL_CTRL_SET_MIN_PROTO_VERSION, TLS1_2_VERSION, NULL);
}

/* SSL_set_tlsext_host_name(3): server name indication. */
static inline int cutover_ssl_set_server_name(SSL *ssl, const char *name) {
    return (int)SSL_ctrl(ssl, SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name, (void *)name);
}

/* SSL_CTX_set_mode(3): partial writes and a moving write buffer, as a non-blocking socket needs. */
static inline long cutover_ssl_ctx_nonblocking_modes(SSL_CTX *ctx) {
    return SSL_CTX_ctrl(ctx, SSL_CTRL_MODE,
                        SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER, NULL);
}

/* SSL_CTX_set_options(3): a server that closes without close_notify ends a close-delimited
   body instead of failing it (Content-Length and chunked bodies are still checked whole). */
static inline void cutover_ssl_ctx_ignore_unexpected_eof(SSL_CTX *ctx) {
    SSL_CTX_set_options(ctx, SSL_OP_IGNORE_UNEXPECTED_EOF);
}

#endif
