#pragma once
#include <zlib.h>

/// inflateInit2 is a macro (it passes the library version and struct size).
static inline int cutover_inflate_init_gzip(z_stream *stream) {
    return inflateInit2(stream, 16 + MAX_WBITS);
}
