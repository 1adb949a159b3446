#ifndef CUTOVER_LIBPQ_SHIM_H
#define CUTOVER_LIBPQ_SHIM_H

/* PostgreSQL's client library (Debian: libpq-dev; headers in /usr/include/postgresql, found
   through pkg-config's libpq.pc). */

#include <libpq-fe.h>

#endif
