"""Driver of crash-consistency.sh: the operations, the kills, the restarts and the checks.

Usage: crash-consistency.py JVIRTD WORK_DIR OPS KILLS
"""
import os
import random
import signal
import subprocess
import sys
import threading
import time
import uuid
import xml.etree.ElementTree as ET

import libvirt

JVIRTD, WORK, OPS, KILLS = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
ROOT = os.path.join(WORK, "root")
SOCKET = os.path.join(ROOT, "run/libvirt/libvirt-sock")
PIDFILE = os.path.join(ROOT, "run/jvirtd.pid")
URI = "test+unix:///default?socket=" + SOCKET
KINDS = ("domain", "network", "pool")
rng = random.Random(int(os.environ.get("CRASH_SEED", "20")))
libvirt.registerErrorHandler(lambda ctx, err: None, None)


def fail(message):
    print("CRASH FAIL: " + message, file=sys.stderr)
    sys.exit(1)


def start_daemon():
    subprocess.run(["unshare", "--net", "--", JVIRTD, "-d", "--root", ROOT], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120)
    deadline = time.time() + 60
    while True:
        try:
            conn = libvirt.open(URI)
            with open(PIDFILE) as f:
                return conn, int(f.read().strip())
        except (libvirt.libvirtError, OSError, ValueError):
            if time.time() > deadline:
                fail("the daemon did not come back within 60 s")
            time.sleep(0.1)


def wait_gone(pid):
    deadline = time.time() + 30
    while os.path.exists("/proc/%d" % pid):
        if time.time() > deadline:
            fail("daemon %d did not die after SIGKILL" % pid)
        time.sleep(0.02)


def uuid_of(name):
    """A redefinition keeps the object's UUID, as libvirt requires."""
    return str(uuid.uuid5(uuid.NAMESPACE_DNS, name + ".crash.jvirtd"))


def domain_xml(name, version):
    return ("<domain type='test'><name>%s</name><uuid>%s</uuid><description>v%d</description>"
            "<memory unit='MiB'>128</memory><os><type arch='x86_64'>hvm</type></os></domain>"
            % (name, uuid_of(name), version))


def network_xml(name, version):
    # no <ip>: no dnsmasq; the bridge only exists in the daemon's own network namespace
    return "<network><name>%s</name><uuid>%s</uuid><bridge name='cc%d'/><mtu size='%d'/></network>" % (
        name, uuid_of(name), int(uuid_of(name)[:5], 16), 1400 + version)


def pool_xml(name, version):
    path = os.path.join(WORK, "pools", name)
    os.makedirs(path, exist_ok=True)
    return ("<pool type='dir'><name>%s</name><uuid>%s</uuid><target><path>%s</path><permissions>"
            "<mode>0%o</mode></permissions></target></pool>" % (name, uuid_of(name), path, 0o700 + version))


class Model:
    """What the daemon acknowledged: per kind, name -> (version, autostart)."""

    def __init__(self):
        self.objects = {kind: {} for kind in KINDS}
        self.serial = 0


def lookup(conn, kind, name):
    return {"domain": conn.lookupByName, "network": conn.networkLookupByName,
            "pool": conn.storagePoolLookupByName}[kind](name)


def define(conn, kind, name, version):
    xml = {"domain": domain_xml, "network": network_xml, "pool": pool_xml}[kind](name, version)
    {"domain": conn.defineXML, "network": conn.networkDefineXML,
     "pool": conn.storagePoolDefineXML}[kind](xml)


def version_of(conn, kind, name):
    obj = lookup(conn, kind, name)
    root = ET.fromstring(obj.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE if kind == "domain" else 0))
    if kind == "domain":
        return int(root.findtext("description")[1:])
    if kind == "network":
        return int(root.find("mtu").get("size")) - 1400
    return int(root.findtext("target/permissions/mode"), 8) - 0o700


def undefine(conn, kind, name):
    obj = lookup(conn, kind, name)
    if obj.isActive():
        obj.destroy()  # autostart started it at the last restart; undefining a running one leaves it transient
    obj.undefine()


def next_op(model):
    """A random operation: (kind, name, new state or None) where a state is (version, autostart)."""
    kind = rng.choice(KINDS)
    existing = model.objects[kind]
    action = rng.random()
    if not existing or action < 0.3:
        model.serial += 1
        return kind, "cc-%s-%d" % (kind[0], model.serial), (0, False)
    name = rng.choice(sorted(existing))
    version, autostart = existing[name]
    if action < 0.5:
        return kind, name, None
    if action < 0.75:
        # versions cycle through what the XML can carry (mtu 1400-1449, pool mode 0700-0761)
        return kind, name, ((version + 1) % 50, autostart)
    return kind, name, (version, not autostart)


def apply(conn, model, kind, name, after):
    before = model.objects[kind].get(name)
    if after is None:
        undefine(conn, kind, name)
    elif before is None or before[0] != after[0]:
        define(conn, kind, name, after[0])
    else:
        lookup(conn, kind, name).setAutostart(1 if after[1] else 0)


def persistent(conn, kind):
    if kind == "domain":
        return conn.listAllDomains(libvirt.VIR_CONNECT_LIST_DOMAINS_PERSISTENT)
    if kind == "network":
        return conn.listAllNetworks(libvirt.VIR_CONNECT_LIST_NETWORKS_PERSISTENT)
    return conn.listAllStoragePools(libvirt.VIR_CONNECT_LIST_STORAGE_POOLS_PERSISTENT)


def observed(conn):
    state = {}
    for kind in KINDS:
        state[kind] = {}
        for obj in persistent(conn, kind):
            state[kind][obj.name()] = (version_of(conn, kind, obj.name()), bool(obj.autostart()))
    return state


def check_files():
    """Every definition and autostart file under etc/ parses as XML; returns how many there are."""
    count = 0
    for directory, _, files in os.walk(os.path.join(ROOT, "etc")):
        for name in files:
            if name.endswith(".xml"):
                path = os.path.join(directory, name)
                try:
                    ET.parse(path)
                except ET.ParseError as e:
                    fail("%s does not parse after a kill: %s" % (path, e))
                count += 1
    return count


def main():
    conn, pid = start_daemon()
    model = Model()
    kill_points = sorted(rng.sample(range(10, OPS), KILLS))
    stats = {"acknowledged": 0, "in_doubt": 0, "losses": 0, "kills": 0, "during_calls": 0,
             "during_checkpoint": 0, "refused": 0, "files": 0}
    op = 0
    while op < OPS:
        if kill_points and op >= kill_points[0]:
            kill_points.pop(0)
            in_doubt = None
            if rng.random() < 0.5:
                # during calls: the kill lands somewhere in the next calls
                delay = rng.uniform(0, 0.03)
                killer = threading.Timer(delay, os.kill, (pid, signal.SIGKILL))
                killer.start()
                stats["during_calls"] += 1
                while op < OPS:
                    kind, name, after = next_op(model)
                    try:
                        apply(conn, model, kind, name, after)
                    except libvirt.libvirtError as e:
                        if conn.isAlive() and e.get_error_code() not in (libvirt.VIR_ERR_SYSTEM_ERROR,
                                                                         libvirt.VIR_ERR_RPC,
                                                                         libvirt.VIR_ERR_INTERNAL_ERROR):
                            stats["refused"] += 1
                            op += 1
                            continue
                        in_doubt = (kind, name, model.objects[kind].get(name), after)
                        op += 1
                        break
                    set_state(model, kind, name, after)
                    stats["acknowledged"] += 1
                    op += 1
                killer.join()
            else:
                # in the quiet spell after changes, when the journal writes its files (checkpoint after 100 ms)
                time.sleep(rng.uniform(0.05, 0.2))
                os.kill(pid, signal.SIGKILL)
                stats["during_checkpoint"] += 1
            stats["kills"] += 1
            wait_gone(pid)
            try:
                conn.close()
            except libvirt.libvirtError:
                pass
            conn, pid = start_daemon()
            stats["files"] = check_files()
            verify(conn, model, in_doubt, stats)
            continue
        kind, name, after = next_op(model)
        try:
            apply(conn, model, kind, name, after)
        except libvirt.libvirtError as e:
            fail("operation %s %s -> %s failed without a kill: %s" % (kind, name, after, e))
        set_state(model, kind, name, after)
        stats["acknowledged"] += 1
        op += 1
    try:
        os.kill(pid, signal.SIGKILL)
        wait_gone(pid)
        stats["kills"] += 1
        stats["during_checkpoint"] += 1
        conn, pid = start_daemon()
        stats["files"] = check_files()
        verify(conn, model, None, stats)
    finally:
        os.kill(pid, signal.SIGTERM)
    defined = sum(len(model.objects[kind]) for kind in KINDS)
    print("crash consistency: %d operations (%d acknowledged, %d refused), %d kills (%d during calls, "
          "%d in a checkpoint spell), %d changes in flight at a kill, %d losses; %d objects defined, "
          "%d definition files parse" % (OPS, stats["acknowledged"], stats["refused"], stats["kills"],
                                         stats["during_calls"], stats["during_checkpoint"], stats["in_doubt"],
                                         stats["losses"], defined, stats["files"]))
    if stats["losses"]:
        fail("%d acknowledged changes were lost or half there" % stats["losses"])
    print("CRASH PASS: every acknowledged change survived %d kills" % stats["kills"])


def set_state(model, kind, name, after):
    if after is None:
        model.objects[kind].pop(name, None)
    else:
        model.objects[kind][name] = after


def verify(conn, model, in_doubt, stats):
    seen = observed(conn)
    if in_doubt is not None:
        kind, name, before, after = in_doubt
        stats["in_doubt"] += 1
        now = seen[kind].get(name)
        if now == after:
            set_state(model, kind, name, after)
        elif now != before:
            print("CRASH LOSS: %s %s in flight at the kill is half there: was %s, asked %s, now %s"
                  % (kind, name, before, after, now), file=sys.stderr)
            stats["losses"] += 1
            set_state(model, kind, name, now)
    for kind in KINDS:
        for name in sorted(set(model.objects[kind]) | set(seen[kind])):
            want, got = model.objects[kind].get(name), seen[kind].get(name)
            if want != got:
                print("CRASH LOSS: %s %s acknowledged as %s, after the restart %s" % (kind, name, want, got),
                      file=sys.stderr)
                stats["losses"] += 1
                set_state(model, kind, name, got)


main()
