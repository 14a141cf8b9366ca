#!/usr/bin/python3
"""Hot upgrade under load (benchmark, not a test): while 8 libvirt clients call a running jvirtd, each bundle kind
is updated N times from a new jar, through the load/ folder (FileInstall) and through the operator shell
(`jvirtd-shell -c 'update ID URL'`). Per bundle kind and way: failed calls (with their errors), p50/p99/max call
latency while the updates ran, QEMU pid unchanged, and for rpc: new connections refused or not, established
connections kept or lost. Started by bench-hot-upgrade.sh, which owns the daemon; this script only talks to it.

Usage: hot-upgrade-load.py DIST ROOT N KIND...   (KIND is a bundle file name in DIST/bundle without .jar)
"""
import collections
import glob
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import zipfile

import libvirt

DIST, ROOT, N = sys.argv[1], sys.argv[2], int(sys.argv[3])
KINDS = sys.argv[4:]
SOCK = ROOT + "/run/libvirt/libvirt-sock"
TEST_URI = "test+unix:///default?socket=" + SOCK
QEMU_URI = "qemu+unix:///system?socket=" + SOCK
WORK = ROOT + "/bench-jars"
CLIENTS = 8
SETTLE_TIMEOUT = 60.0

libvirt.registerErrorHandler(lambda ctx, err: None, None)


class Recorder:
    """Every call's start time, latency and error; connection losses and refusals, all under one lock."""

    def __init__(self):
        self.lock = threading.Lock()
        self.calls = []          # (start, seconds, op, error or None)
        self.lost = []           # (time, client, error): an established connection broke
        self.refused = []        # (time, error): a new connection was refused / failed
        self.events = []         # times lifecycle events reached the listener

    def call(self, start, seconds, op, error):
        with self.lock:
            self.calls.append((start, seconds, op, error))


REC = Recorder()
STOP = threading.Event()


def is_connection_error(e):
    text = str(e)
    return any(s in text for s in ("End of file", "client socket is closed", "Broken pipe",
                                    "Connection reset", "Cannot write data", "Cannot recv data",
                                    "connection is closed", "internal error: client"))


def timed(op, fn):
    start = time.monotonic()
    try:
        fn()
        REC.call(start, time.monotonic() - start, op, None)
        return None
    except libvirt.libvirtError as e:
        REC.call(start, time.monotonic() - start, op, "%s: %s" % (op, e))
        return e


def client(idx):
    """One client on its own connection: lookups, list, dumpxml, define/undefine (and on qemu:///system networks
    and pools); reconnects when its connection is lost."""
    uri = TEST_URI if idx % 2 == 0 else QEMU_URI
    conn, seq = None, 0
    while not STOP.is_set():
        if conn is None:
            try:
                conn = libvirt.open(uri)
            except libvirt.libvirtError as e:
                REC.refused.append((time.monotonic(), "client %d open: %s" % (idx, e)))
                time.sleep(0.05)
                continue
        seq += 1
        name = "hu-c%d-%d" % (idx, seq % 4)
        xml = ("<domain type='%s'><name>%s</name><memory unit='MiB'>128</memory><vcpu>1</vcpu>"
               "<os><type arch='x86_64'>hvm</type></os></domain>") % ("test" if idx % 2 == 0 else "qemu", name)
        steps = [
            ("getHostname", lambda: conn.getHostname()),
            ("listAllDomains", lambda: conn.listAllDomains(0)),
            ("lookupByName", lambda: conn.lookupByName("hu-guest" if idx % 2 else "hu-fixed")),
            ("XMLDesc", lambda: conn.lookupByName("hu-guest" if idx % 2 else "hu-fixed").XMLDesc(0)),
            ("defineXML", lambda: conn.defineXML(xml)),
            ("undefine", lambda: conn.lookupByName(name).undefine()),
        ]
        if idx % 2:
            steps += [
                ("listAllNetworks", lambda: conn.listAllNetworks(0)),
                ("networkXMLDesc", lambda: conn.networkLookupByName("hu-net").XMLDesc(0)),
                ("listAllStoragePools", lambda: conn.listAllStoragePools(0)),
                ("poolListAllVolumes", lambda: conn.storagePoolLookupByName("hu-pool").listAllVolumes(0)),
            ]
        for op, fn in steps:
            e = timed(op, fn)
            if e is not None and is_connection_error(e):
                REC.lost.append((time.monotonic(), idx, str(e)))
                try:
                    conn.close()
                except libvirt.libvirtError:
                    pass
                conn = None
                break


def listener():
    """Event listener on its own connection (qemu): counts lifecycle events of the clients' define/undefine."""
    libvirt.virEventRegisterDefaultImpl()
    conn = None
    while not STOP.is_set():
        if conn is None:
            try:
                conn = libvirt.open(QEMU_URI)
                conn.domainEventRegisterAny(None, libvirt.VIR_DOMAIN_EVENT_ID_LIFECYCLE, on_event, None)
                conn.registerCloseCallback(lambda c, reason, o: REC.lost.append(
                    (time.monotonic(), "listener", "close callback, reason %d" % reason)), None)
            except libvirt.libvirtError as e:
                REC.refused.append((time.monotonic(), "listener open: %s" % e))
                conn = None
                time.sleep(0.05)
                continue
        libvirt.virEventRunDefaultImpl()
        if not conn.isAlive():
            conn = None


def on_event(conn, dom, event, detail, opaque):
    with REC.lock:
        REC.events.append(time.monotonic())


def prober(active):
    """While active is set: a new connection every 50 ms (open, getHostname, close); any failure is a refusal."""
    while not STOP.is_set():
        if not active.is_set():
            time.sleep(0.05)
            continue
        start = time.monotonic()
        try:
            s = socket.socket(socket.AF_UNIX)
            s.connect(SOCK)
            s.close()
            c = libvirt.open(TEST_URI)
            c.getHostname()
            c.close()
        except (OSError, libvirt.libvirtError) as e:
            REC.refused.append((start, "new connection: %s" % e))
        time.sleep(0.05)


def shell(*cmds):
    args = [DIST + "/bin/jvirtd-shell", "--root", ROOT]
    for c in cmds:
        args += ["-c", c]
    return subprocess.run(args, capture_output=True, text=True, timeout=120)


def bundle_table():
    """bsn -> (id, state) from lb -s."""
    out = shell("lb -s").stdout
    table = {}
    for line in out.splitlines():
        cells = [c.strip() for c in line.split("|")]
        if len(cells) >= 4 and cells[0].isdigit():
            table[cells[3].split(" ")[0]] = (int(cells[0]), cells[1])
    return table


def bsn_of(jar):
    with zipfile.ZipFile(jar) as z:
        manifest = z.read("META-INF/MANIFEST.MF").decode()
    m = re.search(r"^Bundle-SymbolicName: *([^;\r\n]+)", manifest, re.M)
    return m.group(1).strip()


def new_jar(src, dest, marker):
    """A copy of src with one more manifest header, X-Bench-Update: marker (new bytes, same bundle)."""
    tmp = dest + ".tmp"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "META-INF/MANIFEST.MF":
                text = data.decode().rstrip("\r\n") + "\r\nX-Bench-Update: %s\r\n\r\n" % marker
                data = text.encode()
            zout.writestr(item, data)
    os.replace(tmp, dest)


def wait_updated(bid, marker):
    """Until bundle bid is Active with the header X-Bench-Update: marker (seconds waited), or None on timeout."""
    start = time.monotonic()
    while time.monotonic() - start < SETTLE_TIMEOUT:
        r = shell("headers %d" % bid, "lb -s")
        if ("X-Bench-Update = %s" % marker) in r.stdout or ("X-Bench-Update: %s" % marker) in r.stdout:
            state = re.search(r"^\s*%d\|(\w+)" % bid, r.stdout, re.M)
            if state and state.group(1) == "Active":
                return time.monotonic() - start
        time.sleep(0.2)
    return None


def qemu_pid():
    for path in glob.glob(ROOT + "/run/jvirtd/qemu/domain-*-hu-guest/qemu.pid"):
        try:
            return open(path).read().strip()
        except OSError:
            pass
    return None


def ensure_fixed_test_domain():
    """hu-fixed on test:///default, which the test clients look up (jvirtd's test:///default starts empty)."""
    c = libvirt.open(TEST_URI)
    try:
        c.lookupByName("hu-fixed")
    except libvirt.libvirtError:
        c.defineXML("<domain type='test'><name>hu-fixed</name><memory unit='MiB'>64</memory>"
                    "<os><type>hvm</type></os></domain>")
    c.close()


def define_network_and_pool(q):
    """An inactive NAT network (defined only: no bridge, no dnsmasq) and a running dir pool with one volume."""
    q.networkDefineXML("<network><name>hu-net</name><forward mode='nat'/><bridge name='hubr0'/>"
                       "<ip address='192.168.250.1' netmask='255.255.255.0'><dhcp>"
                       "<range start='192.168.250.2' end='192.168.250.9'/></dhcp></ip></network>")
    os.makedirs(ROOT + "/hu-pool", exist_ok=True)
    pool = q.storagePoolDefineXML("<pool type='dir'><name>hu-pool</name><target><path>%s/hu-pool</path>"
                                  "</target></pool>" % ROOT)
    pool.create(0)
    pool.createXML("<volume><name>v1.img</name><capacity unit='MiB'>1</capacity></volume>", 0)


def pct(values, p):
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100.0 * (len(values) - 1))))]


def run_kind(kind, way, table, idle_conn):
    jar = DIST + "/bundle/" + kind + ".jar"
    bsn = bsn_of(jar)
    if bsn not in table:
        return {"kind": kind, "way": way, "note": "bundle %s not installed" % bsn}
    bid = table[bsn][0]
    ensure_fixed_test_domain()
    pid_before = qemu_pid()
    t0 = time.monotonic()
    n_lost0, n_ref0 = len(REC.lost), len(REC.refused)
    settle, timeouts = [], 0
    shell_errors = collections.Counter()  # jvirtd-shell's own status for update (not a client call)
    for i in range(N):
        marker = "%s-%s-%d-%d" % (kind, way, i, int(time.time() * 1000))
        if way == "load":
            new_jar(jar, WORK + "/" + kind + ".jar", marker)
            tmp = DIST + "/load/." + kind + ".jar.part"
            shutil.copyfile(WORK + "/" + kind + ".jar", tmp)
            os.replace(tmp, DIST + "/load/" + kind + ".jar")
        else:
            path = "%s/%s-%d.jar" % (WORK, kind, i)
            new_jar(jar, path, marker)
            r = shell("update %d file:%s" % (bid, path))
            if r.returncode != 0:
                shell_errors[(r.stderr or r.stdout).strip()] += 1
        waited = wait_updated(bid, marker)
        if waited is None:
            timeouts += 1
        else:
            settle.append(waited)
    t1 = time.monotonic()
    time.sleep(1.0)  # calls that were in flight at the last update finish inside the window
    t1 += 1.0
    with REC.lock:
        window = [c for c in REC.calls if t0 <= c[0] <= t1]
        events = sum(1 for t in REC.events if t0 <= t <= t1)
    errors = collections.Counter(c[3] for c in window if c[3])
    lat = [c[1] * 1000 for c in window]
    idle_ok = True
    try:
        idle_conn.getHostname()
    except libvirt.libvirtError as e:
        idle_ok = "lost: %s" % e
    table_after = bundle_table()
    return {
        "kind": kind, "way": way, "bsn": bsn, "calls": len(window), "events": events,
        "failed": sum(errors.values()), "shell_errors": shell_errors,
        "errors": errors, "p50": pct(lat, 50), "p99": pct(lat, 99), "max": max(lat) if lat else float("nan"),
        "settle_max": max(settle) if settle else float("nan"), "timeouts": timeouts,
        "qemu_pid": "n/a" if pid_before is None else ("same" if qemu_pid() == pid_before else
                                                        "CHANGED %s->%s" % (pid_before, qemu_pid())),
        "lost": REC.lost[n_lost0:], "refused": REC.refused[n_ref0:], "idle_conn": idle_ok,
        "state": table_after.get(bsn, (None, "missing"))[1], "seconds": t1 - t0,
    }


def main():
    os.makedirs(WORK, exist_ok=True)
    q = libvirt.open(QEMU_URI)
    guest = ("<domain type='qemu'><name>hu-guest</name><memory unit='MiB'>128</memory><vcpu>1</vcpu>"
             "<os><type arch='x86_64' machine='pc'>hvm</type></os><devices><graphics type='vnc' port='-1'/>"
             "</devices></domain>")
    try:
        dom = q.defineXML(guest)
        dom.create()
        print("guest hu-guest running, qemu pid %s" % qemu_pid(), file=sys.stderr)
    except libvirt.libvirtError as e:
        print("no QEMU guest (%s); QEMU pid check is n/a" % e, file=sys.stderr)
    ensure_fixed_test_domain()
    define_network_and_pool(q)
    probing = threading.Event()
    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(CLIENTS)]
    threads.append(threading.Thread(target=listener, daemon=True))
    threads.append(threading.Thread(target=prober, args=(probing,), daemon=True))
    for t in threads:
        t.start()
    time.sleep(2.0)
    results = []
    for kind in KINDS:
        for way in ("load", "shell"):
            table = bundle_table()
            idle = libvirt.open(TEST_URI)
            idle.getHostname()
            if kind == "rpc":
                probing.set()
            print("updating %s through %s, %d times" % (kind, way, N), file=sys.stderr)
            r = run_kind(kind, way, table, idle)
            probing.clear()
            try:
                idle.close()
            except libvirt.libvirtError:
                pass
            results.append(r)
            print(row(r), file=sys.stderr)
    STOP.set()
    report(results)
    try:
        q = libvirt.open(QEMU_URI)  # the first connection is gone when rpc or core was updated
        dom = q.lookupByName("hu-guest")
        if dom.isActive():
            dom.destroy()
        dom.undefine()
    except libvirt.libvirtError:
        pass


def row(r):
    """One table row for a result."""
    if "note" in r:
        return "| %s | %s | %s |" % (r["kind"], r["way"], r["note"])
    conn = "%d lost, %d refused, idle conn %s" % (len(r["lost"]), len(r["refused"]),
                                                 "kept" if r["idle_conn"] is True else "lost")
    return "| %s | %s | %d/%d | %d | %d | %d | %.1f | %.1f | %.1f | %.0f | %s | %s | %s |" % (
        r["kind"], r["way"], N - r["timeouts"], N, r["calls"], r["events"], r["failed"],
        r["p50"], r["p99"], r["max"],
        r["settle_max"] * 1000, r["qemu_pid"], conn, r["state"])


def report(results):
    print("| bundle | way | updates done | calls | events | failed | p50 ms | p99 ms | max ms | slowest update ms "
          "| QEMU pid | connections | state after |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for r in results:
        print(row(r))
    print()
    print("events received by the listener: %d" % len(REC.events))
    for r in results:
        if "note" in r:
            continue
        for err, count in r["errors"].most_common(5):
            print("%s/%s: %dx %s" % (r["kind"], r["way"], count, err[:200]))
        for err, count in r["shell_errors"].items():
            print("%s/%s: jvirtd-shell -c update exited non-zero %dx: %s" % (r["kind"], r["way"], count, err[:200]))
        for t, who, err in r["lost"][:3]:
            print("%s/%s: connection lost (%s): %s" % (r["kind"], r["way"], who, err[:200]))
        for t, err in r["refused"][:3]:
            print("%s/%s: refused: %s" % (r["kind"], r["way"], err[:200]))
        if r["idle_conn"] is not True:
            print("%s/%s: idle connection %s" % (r["kind"], r["way"], r["idle_conn"][:200]))


if __name__ == "__main__":
    main()
