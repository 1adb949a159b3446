#ifndef CUTOVER_LIBSSH2_SHIM_H
#define CUTOVER_LIBSSH2_SHIM_H

/* Swift cannot import libssh2's function-like macros; each wrapper below names the
   real function the macro expands to (see the libssh2 man page named beside it). */

#include <libssh2.h>
#include <sys/eventfd.h>
#include <poll.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

/* libssh2_session_init(3) */
static inline LIBSSH2_SESSION *cutover_session_init(void) {
    return libssh2_session_init_ex(NULL, NULL, NULL, NULL);
}

/* libssh2_session_disconnect(3) */
static inline int cutover_session_disconnect(LIBSSH2_SESSION *s, const char *why) {
    return libssh2_session_disconnect_ex(s, SSH_DISCONNECT_BY_APPLICATION, why, "");
}

/* libssh2_channel_open_session(3) */
static inline LIBSSH2_CHANNEL *cutover_channel_open_session(LIBSSH2_SESSION *s) {
    return libssh2_channel_open_ex(s, "session", sizeof("session") - 1,
                                   LIBSSH2_CHANNEL_WINDOW_DEFAULT,
                                   LIBSSH2_CHANNEL_PACKET_DEFAULT, NULL, 0);
}

/* libssh2_channel_exec(3): command length is in bytes, not characters. */
static inline int cutover_channel_exec(LIBSSH2_CHANNEL *c, const char *cmd, unsigned int len) {
    return libssh2_channel_process_startup(c, "exec", sizeof("exec") - 1, cmd, len);
}

/* libssh2_channel_read(3) / libssh2_channel_read_stderr(3) */
static inline ssize_t cutover_channel_read(LIBSSH2_CHANNEL *c, int stream, char *buf, size_t len) {
    return libssh2_channel_read_ex(c, stream, buf, len);
}

/* libssh2_channel_write(3) */
static inline ssize_t cutover_channel_write(LIBSSH2_CHANNEL *c, const char *buf, size_t len) {
    return libssh2_channel_write_ex(c, 0, buf, len);
}

/* libssh2_channel_direct_tcpip(3) */
static inline LIBSSH2_CHANNEL *cutover_channel_direct_tcpip(LIBSSH2_SESSION *s, const char *host, int port) {
    return libssh2_channel_direct_tcpip_ex(s, host, port, "127.0.0.1", 22);
}

/* libssh2_userauth_publickey_fromfile(3) */
static inline int cutover_userauth_publickey_fromfile(LIBSSH2_SESSION *s, const char *user,
                                                      const char *pub, const char *priv,
                                                      const char *passphrase) {
    return libssh2_userauth_publickey_fromfile_ex(s, user, (unsigned int)strlen(user), pub, priv, passphrase);
}

/* libssh2_userauth_list(3) */
static inline char *cutover_userauth_list(LIBSSH2_SESSION *s, const char *user) {
    return libssh2_userauth_list(s, user, (unsigned int)strlen(user));
}

/* libssh2_channel_close(3) + libssh2_channel_free(3) are real functions; EOF: */
static inline int cutover_channel_eof(LIBSSH2_CHANNEL *c) { return libssh2_channel_eof(c); }

static inline int cutover_stderr_stream(void) { return SSH_EXTENDED_DATA_STDERR; }
static inline int cutover_error_eagain(void) { return LIBSSH2_ERROR_EAGAIN; }
static inline int cutover_session_block_inbound(void) { return LIBSSH2_SESSION_BLOCK_INBOUND; }
static inline int cutover_session_block_outbound(void) { return LIBSSH2_SESSION_BLOCK_OUTBOUND; }

#endif
