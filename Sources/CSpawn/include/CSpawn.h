#ifndef CUTOVER_CSPAWN_H
#define CUTOVER_CSPAWN_H

#include <spawn.h>

/// posix_spawn_file_actions_addclosefrom_np(3) (glibc 2.34+): the child closes every descriptor
/// numbered `from` or higher before it runs. glibc declares it only under _GNU_SOURCE, which
/// Swift's Glibc module does not define, so it is reached through this wrapper.
int cutover_spawn_file_actions_addclosefrom(posix_spawn_file_actions_t *actions, int from);

/// Gives a spawned command a fresh signal state, not the runner's: nothing blocked, and SIGPIPE,
/// SIGINT, SIGTERM and SIGHUP at their default action (the runner may ignore or catch them).
/// Returns 0 or an errno value.
int cutover_spawnattr_fresh_signals(posix_spawnattr_t *attributes);

#endif
