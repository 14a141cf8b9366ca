#!/usr/bin/python3
"""Soak load and sampler (benchmark, not a test): for DURATION seconds, CLIENTS libvirt clients call a running
jvirtd with a mix of calls (list, lookups, dumpxml, define/undefine, domain events, reconnects) while a cycler
starts and destroys TCG guests; every SAMPLE seconds the daemon's thread count, open fds, RSS and heap after a
full GC (jcmd GC.run, then GC.heap_info) are sampled, with the calls done, the errors and the host's load since
the last sample. Prints the table and a verdict per figure: its growth from the first sample after warm-up to
the end, against a tolerance. Started by soak.sh, which owns the daemon; this script only talks to it.

Usage: soak-load.py URI PID DURATION SAMPLE CLIENTS GUESTS OUT.tsv
"""
import collections
import os
import random
import re
import subprocess
import sys
import threading
import time
import uuid

import libvirt

URI, PID = sys.argv[1], int(sys.argv[2])
DURATION, SAMPLE, CLIENTS, GUESTS = (int(a) for a in sys.argv[3:7])
OUT = sys.argv[7]
#: lasts of a guest between start and destroy, and pause before the next start (seconds)
GUEST_UP, GUEST_DOWN = 20, 10
#: a client reconnects after this many rounds, so connection set-up and teardown are soaked too
ROUNDS_PER_CONNECTION = 40
#: domains that stay defined throughout: the ones clients look up (others come and go under them)
FIXED = ["soak-fixed-%02d" % i for i in range(20)]

libvirt.registerErrorHandler(lambda ctx, err: None, None)
STOP = threading.Event()


class Counters:
    """Calls, errors (by message) and events since the last sample, under one lock."""

    def __init__(self):
        self.lock = threading.Lock()
        self.calls = 0
        self.errors = 0
        self.events = 0
        self.guest_cycles = 0

    def call(self, error=None):
        with self.lock:
            self.calls += 1
            if error is not None:
                self.errors += 1
                ALL_ERRORS[error] += 1

    def take(self):
        with self.lock:
            taken = (self.calls, self.errors, self.events, self.guest_cycles)
            self.calls = self.errors = self.events = self.guest_cycles = 0
            return taken


COUNT = Counters()
ALL_ERRORS = collections.Counter()


def domain_xml(name, memory_mib=128):
    return ("<domain type='qemu'><name>%s</name><uuid>%s</uuid><memory unit='MiB'>%d</memory>"
            "<vcpu>1</vcpu><os><type arch='x86_64' machine='pc'>hvm</type><boot dev='hd'/></os>"
            "<devices><emulator>/usr/bin/qemu-system-x86_64</emulator><memballoon model='none'/></devices>"
            "</domain>" % (name, uuid.uuid4(), memory_mib))


def timed(op):
    try:
        result = op()
        COUNT.call()
        return result
    except libvirt.libvirtError as e:
        COUNT.call(re.sub(r"'[^']*'", "'…'", str(e)))
        return None


def client(index):
    """One client: rounds of list, lookups, dumpxml, info, hostname, define, autostart flips and undefine of its own
    domain, reconnecting every ROUNDS_PER_CONNECTION rounds."""
    rng = random.Random(index)
    own = "soak-c%02d" % index
    while not STOP.is_set():
        conn = timed(lambda: libvirt.open(URI))
        if conn is None:
            STOP.wait(1)
            continue
        try:
            for _ in range(ROUNDS_PER_CONNECTION):
                if STOP.is_set():
                    break
                timed(lambda: conn.listAllDomains(0))
                name = rng.choice(FIXED)
                dom = timed(lambda: conn.lookupByName(name))
                if dom is not None:
                    timed(lambda: dom.XMLDesc(0))
                    timed(dom.info)
                    timed(lambda: conn.lookupByUUIDString(dom.UUIDString()))
                timed(conn.getHostname)
                defined = timed(lambda: conn.defineXML(domain_xml(own)))
                if defined is not None:
                    timed(lambda: defined.setAutostart(1))
                    timed(lambda: defined.setAutostart(0))
                    timed(defined.undefine)
                STOP.wait(rng.uniform(0.05, 0.3))
        finally:
            try:
                conn.close()
            except libvirt.libvirtError:
                pass


def listener():
    """A client that only takes lifecycle events, reconnecting now and then."""
    while not STOP.is_set():
        conn = timed(lambda: libvirt.open(URI))
        if conn is None:
            STOP.wait(1)
            continue

        def on_event(*_):
            with COUNT.lock:
                COUNT.events += 1
        callback = timed(lambda: conn.domainEventRegisterAny(None, libvirt.VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                                             on_event, None))
        STOP.wait(120)
        if callback is not None:
            timed(lambda: conn.domainEventDeregisterAny(callback))
        conn.close()


def guest_cycler(index):
    """Starts a TCG guest, lets it run, destroys it, and again; undefined at the end."""
    conn = libvirt.open(URI)
    dom = conn.defineXML(domain_xml("soak-guest%d" % index))
    STOP.wait(index * 5)
    try:
        while not STOP.is_set():
            timed(dom.create)
            STOP.wait(GUEST_UP)
            if dom.isActive():
                timed(dom.destroy)
            with COUNT.lock:
                COUNT.guest_cycles += 1
            STOP.wait(GUEST_DOWN)
    finally:
        if dom.isActive():
            dom.destroy()
        dom.undefine()
        conn.close()


def jcmd(*args):
    return subprocess.run(["jcmd", str(PID), *args], capture_output=True, text=True, timeout=120).stdout


def heap_after_gc_mib():
    jcmd("GC.run")
    # G1: "garbage-first heap   total 262144K, used 41234K [...", Serial and Parallel: one such line per
    # generation ("def new generation", "tenured generation"); metaspace is not heap and not counted
    used = re.findall(r"(?:heap|generation|PSYoungGen|ParOldGen)\s+total \d+K, used (\d+)K", jcmd("GC.heap_info"))
    return round(sum(int(u) for u in used) / 1024, 1) if used else float("nan")


def status_field(name):
    with open("/proc/%d/status" % PID) as f:
        for line in f:
            if line.startswith(name + ":"):
                return int(line.split()[1])
    return -1


def sample(elapsed):
    calls, errors, events, cycles = COUNT.take()
    return {
        "t_s": int(elapsed),
        "threads": status_field("Threads"),
        "fds": len(os.listdir("/proc/%d/fd" % PID)),
        "rss_mib": round(status_field("VmRSS") / 1024, 1),
        "heap_after_gc_mib": heap_after_gc_mib(),
        "calls": calls,
        "errors": errors,
        "events": events,
        "guest_cycles": cycles,
        "load1": os.getloadavg()[0],
    }


COLUMNS = ["t_s", "threads", "fds", "rss_mib", "heap_after_gc_mib", "calls", "errors", "events", "guest_cycles",
           "load1"]
#: allowed growth from the first sample after warm-up to the mean of the last quarter
TOLERANCE = {"threads": 5, "fds": 10, "heap_after_gc_mib": 16.0, "rss_mib": 64.0}


def verdicts(rows):
    warm = rows[min(2, len(rows) - 1):]
    tail = warm[-max(1, len(warm) // 4):]
    lines = []
    for key, allowed in TOLERANCE.items():
        start = warm[0][key]
        end = sum(r[key] for r in tail) / len(tail)
        growth = end - start
        lines.append("%s: %.1f after warm-up, %.1f at the end (mean of the last %d samples), growth %+.1f "
                     "(tolerance %s): %s" % (key, start, end, len(tail), growth, allowed,
                                             "flat" if growth <= allowed else "GROWING"))
    return lines


def main():
    conn = libvirt.open(URI)
    fixed = [conn.defineXML(domain_xml(name)) for name in FIXED]
    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(CLIENTS - 1)]
    threads.append(threading.Thread(target=listener, daemon=True))
    threads += [threading.Thread(target=guest_cycler, args=(i,), daemon=True) for i in range(GUESTS)]
    event_loop = threading.Thread(target=lambda: [libvirt.virEventRunDefaultImpl() for _ in iter(int, 1)],
                                  daemon=True)
    event_loop.start()
    start = time.monotonic()
    for t in threads:
        t.start()
    rows = [sample(0)]
    print("\t".join(COLUMNS), flush=True)
    print("\t".join(str(rows[0][c]) for c in COLUMNS), flush=True)
    while time.monotonic() - start < DURATION:
        time.sleep(max(0.0, min(SAMPLE, DURATION - (time.monotonic() - start))))
        rows.append(sample(time.monotonic() - start))
        print("\t".join(str(rows[-1][c]) for c in COLUMNS), flush=True)
    STOP.set()
    for t in threads:
        t.join(timeout=60)
    for dom in fixed:
        dom.undefine()
    conn.close()
    with open(OUT, "w") as f:
        f.write("\t".join(COLUMNS) + "\n")
        for row in rows:
            f.write("\t".join(str(row[c]) for c in COLUMNS) + "\n")
    total_calls = sum(r["calls"] for r in rows)
    print("calls %d, errors %d, events %d, guest cycles %d" % (
        total_calls, sum(r["errors"] for r in rows), sum(r["events"] for r in rows),
        sum(r["guest_cycles"] for r in rows)))
    for message, count in ALL_ERRORS.most_common(5):
        print("  error x%d: %s" % (count, message))
    for line in verdicts(rows):
        print(line)


libvirt.virEventRegisterDefaultImpl()
main()
