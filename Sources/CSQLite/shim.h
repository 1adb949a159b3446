#ifndef CUTOVER_SQLITE_SHIM_H
#define CUTOVER_SQLITE_SHIM_H

/* Swift cannot import SQLITE_TRANSIENT (a cast of -1 to a function pointer); the wrapper below
   returns it, so bound text and blobs are copied by SQLite before the call returns. */

#include <sqlite3.h>

static inline sqlite3_destructor_type cutover_sqlite_transient(void) {
    return SQLITE_TRANSIENT;
}

#endif
