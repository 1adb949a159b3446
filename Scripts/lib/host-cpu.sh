# Sourced by the benchmarks: the CPU a test fleet's hosts spend, from a cgroup (v2, else v1
# cpuacct) holding the fleet's sshds and so everything they start. On a machine shared with other
# work the wall times move with that work; the hosts' CPU moves much less.
#
#   host_cpu_watch FLEETDIR NAME   put the fleet's sshds in a cgroup of their own (warns when none)
#   host_cpu_ns                    nanoseconds spent by them so far (0 without a cgroup)
#   host_cpu_done                  remove the cgroup (call from the EXIT trap)
host_cpu_cg=
host_cpu_ns() { echo 0; }
host_cpu_watch() {
    local fleet=$1 name=$2 h
    if [ -f /sys/fs/cgroup/cgroup.controllers ]; then
        host_cpu_cg=/sys/fs/cgroup/$name.$$
        host_cpu_ns() { awk '$1 == "usage_usec" { print $2 * 1000 }' "$host_cpu_cg/cpu.stat"; }
    elif [ -d /sys/fs/cgroup/cpuacct ]; then
        host_cpu_cg=/sys/fs/cgroup/cpuacct/$name.$$
        host_cpu_ns() { cat "$host_cpu_cg/cpuacct.usage"; }
    fi
    if [ -n "$host_cpu_cg" ] && mkdir -p "$host_cpu_cg" 2>/dev/null; then
        for h in "$fleet"/hosts/*/pid; do cat "$h" >"$host_cpu_cg/cgroup.procs"; done
    else
        host_cpu_cg=; host_cpu_ns() { echo 0; }; echo "$name: no cgroup for the hosts' CPU (its columns are 0)" >&2
    fi
}
host_cpu_done() { [ -z "$host_cpu_cg" ] || rmdir "$host_cpu_cg" 2>/dev/null || true; }
