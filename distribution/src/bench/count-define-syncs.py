#!/usr/bin/python3
"""Counts the sync system calls a daemon makes while a client defines N domains.

count-define-syncs.py URI PID N VTYPE prints one JSON line: the fsync and fdatasync calls (any thread
of PID, any file) that strace saw between the first defineXML and the return of the last one, and the
same per define. The domains (prefix 'syncvm-') are undefined afterwards, outside the counted window.
A daemon that writes a definition without syncing anything shows 0 here.
"""
import json
import os
import re
import signal
import subprocess
import sys
import time
import uuid

import libvirt

XML = """<domain type='{vtype}'><name>{name}</name><uuid>{uuid}</uuid><memory unit='MiB'>128</memory>
<os><type arch='x86_64' machine='pc'>hvm</type></os>{devices}</domain>"""


def main():
    uri, pid, n, vtype = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    devices = "" if vtype == "test" else "<devices><emulator>/usr/bin/qemu-system-x86_64</emulator></devices>"
    xmls = [XML.format(vtype=vtype, name="syncvm-%04d" % i, uuid=uuid.uuid4(), devices=devices)
            for i in range(n)]
    conn = libvirt.open(uri)
    out = "/tmp/count-define-syncs.%d.strace" % os.getpid()
    err = "/tmp/count-define-syncs.%d.err" % os.getpid()
    with open(err, "w") as errfile:
        strace = subprocess.Popen(["strace", "-f", "-c", "-e", "trace=fsync,fdatasync", "-o", out,
                                   "-p", str(pid)], stderr=errfile)
    try:
        deadline = time.time() + 10
        while "attached" not in open(err).read():  # every thread of the daemon is traced from here on
            if time.time() > deadline or strace.poll() is not None:
                sys.exit("strace did not attach to %d: %s" % (pid, open(err).read()))
            time.sleep(0.05)
        for x in xmls:
            conn.defineXML(x)
    finally:
        strace.send_signal(signal.SIGINT)
        strace.wait()
    for i in range(n):
        conn.lookupByName("syncvm-%04d" % i).undefine()
    counts = {"fsync": 0, "fdatasync": 0}
    for line in open(out):
        m = re.match(r"\s*[\d.]+\s+[\d.]+\s+\d+\s+(\d+)\s+(?:\d+\s+)?(fsync|fdatasync)\s*$", line)
        if m:
            counts[m.group(2)] = int(m.group(1))
    os.unlink(out)
    os.unlink(err)
    print(json.dumps({"defines": n, "fsync": counts["fsync"], "fdatasync": counts["fdatasync"],
                      "syncs_per_define": round((counts["fsync"] + counts["fdatasync"]) / n, 2)}))


main()
