#!/usr/bin/python3
"""Start to first answered call, and the RSS of the idle daemon, for daemons started in turn.

measure-start.py RUNS OUT 'LABEL|START_CMD|STOP_CMD|SOCKET|URI|PIDFILE[|FIRST_HOLD_S]' ...

For each round (RUNS of them) and each daemon in the order given (so that load from elsewhere on the
machine hits all of them alike): run STOP_CMD, wait until SOCKET is gone, run START_CMD in the background
and from that moment try libvirt.open(URI) + getVersion() every 2 ms until one answers: that time is
"first_rpc_ms", and the CPU time the daemon's process used until then is "cpu_ms" (read once the start
command returned, so that the pid file is there; a figure the machine's load barely moves). The connection is closed, the daemon left alone for 2 s, then its VmRSS (pid read from
PIDFILE) is "idle_rss_kib". FIRST_HOLD_S, if given, leaves that daemon running that many seconds
more after its first sample (jvirtd writes its class-data archive 20 s after a start without one). One JSON line per sample is appended to OUT. The daemon is left running after
the last round. Fields are split on '|' (commands and paths must not hold one).
"""
import json
import os
import subprocess
import sys
import time

import libvirt

libvirt.registerErrorHandler(lambda ctx, err: None, None)
TIMEOUT = 120


def rss_kib(pidfile):
    pid = int(open(pidfile).read().split()[0])
    for line in open("/proc/%d/status" % pid):
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return None


def cpu_ms(pidfile):
    """User + system CPU time the daemon process has used so far (load elsewhere does not inflate it)."""
    pid = int(open(pidfile).read().split()[0])
    fields = open("/proc/%d/stat" % pid).read().rsplit(")", 1)[1].split()
    return round((int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK"))


def sample(start_cmd, stop_cmd, socket_path, uri, pidfile):
    subprocess.run(stop_cmd, shell=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    deadline = time.monotonic() + 30
    while os.path.exists(socket_path) and time.monotonic() < deadline:
        time.sleep(0.01)
    t0 = time.monotonic()
    proc = subprocess.Popen(start_cmd, shell=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    first = None
    while time.monotonic() < t0 + TIMEOUT:
        if os.path.exists(socket_path):
            try:
                conn = libvirt.open(uri)
                conn.getVersion()
                first = time.monotonic() - t0
                conn.close()
                proc.wait(timeout=TIMEOUT)
                cpu = cpu_ms(pidfile)
                break
            except libvirt.libvirtError:
                pass
        time.sleep(0.002)
    proc.wait(timeout=TIMEOUT)
    if first is None:
        raise SystemExit("no answer from %s within %d s" % (uri, TIMEOUT))
    time.sleep(2)
    return {"first_rpc_ms": round(first * 1000, 1), "cpu_ms": cpu, "idle_rss_kib": rss_kib(pidfile)}


def main():
    runs, out = int(sys.argv[1]), sys.argv[2]
    daemons = [spec.split("|") for spec in sys.argv[3:]]
    with open(out, "a") as results:
        for round_no in range(runs):
            for label, start_cmd, stop_cmd, socket_path, uri, pidfile, *hold in daemons:
                r = sample(start_cmd, stop_cmd, socket_path, uri, pidfile)
                if round_no == 0 and hold:
                    time.sleep(float(hold[0]))
                r.update(label=label, round=round_no)
                print("start %s round %d: %s ms, cpu %s ms, %s KiB" % (label, round_no, r["first_rpc_ms"], r["cpu_ms"],
                                                                        r["idle_rss_kib"]),
                      file=sys.stderr)
                results.write(json.dumps(r) + "\n")
                results.flush()


if __name__ == "__main__":
    main()
