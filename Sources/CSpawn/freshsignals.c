#include <signal.h>
#include "CSpawn.h"

int cutover_spawnattr_fresh_signals(posix_spawnattr_t *attributes) {
    sigset_t empty, defaults;
    sigemptyset(&empty);
    sigemptyset(&defaults);
    sigaddset(&defaults, SIGPIPE);
    sigaddset(&defaults, SIGINT);
    sigaddset(&defaults, SIGTERM);
    sigaddset(&defaults, SIGHUP);
    int rc = posix_spawnattr_setsigmask(attributes, &empty);
    if (rc == 0) rc = posix_spawnattr_setsigdefault(attributes, &defaults);
    if (rc == 0) rc = posix_spawnattr_setflags(attributes, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    return rc;
}
