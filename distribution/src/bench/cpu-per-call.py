#!/usr/bin/python3
"""cpu-per-call.py LABEL=URI=PIDFILE... [--rounds R] [--n N] [--calls C] — a daemon's CPU time per call.

Benchmark (not a test). On a machine other work loads, wall-clock call rates swing by 10x between runs; the
CPU time a daemon spends per call (user + system of the whole process, from /proc/PID/stat, so its GC, JIT
and journal threads count too) moves far less. For each target, in interleaved rounds, one client
connection runs: getVersion, getHostname and lookupByName C times each, defineXML of N small persistent
domains (virt-bench's domain, its own name prefix), listAllDomains 100 times, undefine of the N. Printed per
step: the median over the rounds of the daemon's CPU microseconds per call, and of the client's wall-clock
calls per second. Each step starts once the daemon is idle, and its CPU is counted until the daemon is idle
again, so work a step leaves behind (the journal writing files out after a burst of defines) is charged to
it. The first round of each target is a warm-up and not counted.

  /usr/bin/python3 cpu-per-call.py 'jvirtd=qemu+unix:///system?socket=/tmp/r/run/libvirt/libvirt-sock=/tmp/r/run/jvirtd.pid' \\
      'libvirtd=qemu+unix:///system?socket=/tmp/peer/run/libvirt-sock=/tmp/peer/libvirtd.pid'
"""
import argparse
import os
import random
import statistics
import time
import uuid

import libvirt

XML = """<domain type='kvm'><name>{name}</name><uuid>{uuid}</uuid><memory unit='MiB'>128</memory>
<currentMemory unit='MiB'>128</currentMemory><vcpu placement='static'>1</vcpu>
<os><type arch='x86_64' machine='pc'>hvm</type><boot dev='hd'/></os><features><acpi/></features>
<clock offset='utc'/><on_poweroff>destroy</on_poweroff><on_reboot>restart</on_reboot><on_crash>destroy</on_crash>
<devices><emulator>/usr/bin/qemu-system-x86_64</emulator><serial type='pty'><target port='0'/></serial>
<console type='pty'><target type='serial' port='0'/></console><memballoon model='none'/></devices></domain>"""
PREFIX = "cpucall-"
TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid):
    fields = open("/proc/%d/stat" % pid).read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def settle(pid):
    """Waits until the daemon stops using CPU (its journal writes files out after a burst), at most 15 s."""
    deadline, last, quiet = time.monotonic() + 15, cpu_seconds(pid), 0
    while quiet < 2 and time.monotonic() < deadline:
        time.sleep(0.2)
        now = cpu_seconds(pid)
        quiet = quiet + 1 if now == last else 0
        last = now


def steps(conn, n, calls):
    names = ["%s%05d" % (PREFIX, i) for i in range(n)]
    return [
        ("getVersion", calls, lambda: [conn.getVersion() for _ in range(calls)]),
        ("getHostname", calls, lambda: [conn.getHostname() for _ in range(calls)]),
        ("defineXML", n, lambda: [conn.defineXML(XML.format(name=x, uuid=uuid.uuid4())) for x in names]),
        ("lookupByName", calls, lambda: [conn.lookupByName(random.choice(names)) for _ in range(calls)]),
        ("listAllDomains", 100, lambda: [conn.listAllDomains(0) for _ in range(100)]),
        ("undefine", n, lambda: [conn.lookupByName(x).undefine() for x in names]),
    ]


def run(uri, pidfile, n, calls):
    pid = int(open(pidfile).read().strip())
    conn = libvirt.open(uri)
    try:
        for d in conn.listAllDomains(0):
            if d.name().startswith(PREFIX):
                d.undefine()
        result = {}
        for name, count, fn in steps(conn, n, calls):
            settle(pid)
            before, start = cpu_seconds(pid), time.monotonic()
            fn()
            wall = time.monotonic() - start
            # what the calls left the daemon to do (files written after a define burst) is their cost too
            settle(pid)
            cpu = cpu_seconds(pid) - before
            result[name] = (cpu * 1e6 / count, count / wall)
        return result
    finally:
        conn.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("targets", nargs="+", help="LABEL=URI=PIDFILE")
    ap.add_argument("--rounds", type=int, default=3, help="measured rounds (after one warm-up round)")
    ap.add_argument("--n", type=int, default=1000, help="domains to define and undefine")
    ap.add_argument("--calls", type=int, default=5000, help="calls of each simple step")
    a = ap.parse_args()
    libvirt.registerErrorHandler(lambda _ctx, _err: None, None)
    targets = [t.split("=", 2) for t in a.targets]
    # URIs hold '=' (socket=...): the label is before the first, the pid file after the last
    targets = [(t[0], "=".join(t[1:]).rsplit("=", 1)[0], "=".join(t[1:]).rsplit("=", 1)[1]) for t in targets]
    samples = {label: [] for label, _, _ in targets}
    for round_number in range(a.rounds + 1):
        for label, uri, pidfile in targets:
            got = run(uri, pidfile, a.n, a.calls)
            if round_number > 0:
                samples[label].append(got)
            print("round %d %-10s %s" % (round_number, label, "  ".join(
                "%s %.0f us %.0f/s" % (k, v[0], v[1]) for k, v in got.items())), flush=True)
    print("\n%-16s" % "step" + "".join("%24s" % ("%s us/call, calls/s" % label[:8]) for label, _, _ in targets))
    for name, _, _ in steps(None, 0, 0):
        line = "%-16s" % name
        for label, _, _ in targets:
            cpu = statistics.median(s[name][0] for s in samples[label])
            rate = statistics.median(s[name][1] for s in samples[label])
            line += "%24s" % ("%.0f  %.0f" % (cpu, rate))
        print(line)
    print("\nmedians of %d rounds after a warm-up round; us/call: the daemon's CPU (user+system) per call;"
          " calls/s: one client connection, wall clock. Load average now: %s"
          % (a.rounds, " ".join(open("/proc/loadavg").read().split()[:3])))


if __name__ == "__main__":
    main()
