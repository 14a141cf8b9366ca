#!/usr/bin/python3
"""Issue 15's host object bundles updated under a held connection: while one libvirt-python connection to the
assembled daemon stays open, jvirtd-secret, jvirtd-nodedev, jvirtd-interface, jvirtd-nwfilter and jvirtd-net-core
are each updated (alternately through load/ and through the operator shell's `update ID file:JAR`) to a jar with
one more manifest header; after each update the same connection lists and describes the same secrets (and
values), node devices, host interfaces, filters, filter bindings and network ports, and the nwfilter rules of
the binding in the test's network namespace (`nft list ruleset` and `ebtables -t nat -L` there) are unchanged.
Usage: host-objects-update.py DIST ROOT WORK NETNS   (run by host-objects-update.sh)"""
import difflib
import os
import re
import shutil
import subprocess
import sys
import time
import zipfile

import libvirt

DIST, ROOT, WORK, NETNS = sys.argv[1:5]
URI = "qemu+unix:///system?socket=%s/run/libvirt/libvirt-sock" % ROOT
KINDS = [k for k in os.environ.get("HOSTOBJ_KINDS", "jvirtd-secret jvirtd-nodedev jvirtd-interface jvirtd-nwfilter jvirtd-net-core").split()]


def fail(msg):
    print("HOSTOBJ FAIL: " + msg, file=sys.stderr)
    sys.exit(1)


def shell(*cmds):
    args = [DIST + "/bin/jvirtd-shell", "--root", ROOT]
    for c in cmds:
        args += ["-c", c]
    return subprocess.run(args, capture_output=True, text=True, timeout=120)


def bundle_ids():
    table = {}
    for line in shell("lb -s").stdout.splitlines():
        cells = [c.strip() for c in line.split("|")]
        if len(cells) >= 4 and cells[0].isdigit():
            table[cells[3].split(" ")[0]] = int(cells[0])
    return table


def symbolic_name(jar):
    with zipfile.ZipFile(jar) as z:
        manifest = z.read("META-INF/MANIFEST.MF").decode()
    return re.search(r"^Bundle-SymbolicName: *([^;\r\n]+)", manifest, re.M).group(1).strip()


def marked_jar(src, dest, marker):
    """src with one more manifest header (new bytes, the same bundle)."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "META-INF/MANIFEST.MF":
                data = (data.decode().rstrip("\r\n") + "\r\nX-Host-Objects-Update: %s\r\n\r\n" % marker).encode()
            zout.writestr(item, data)


def wait_updated(bid, marker):
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        r = shell("headers %d" % bid, "lb -s")
        if marker in r.stdout and re.search(r"^\s*%d\|Active" % bid, r.stdout, re.M):
            return
        time.sleep(0.3)
    fail("bundle %d did not come back Active with %s" % (bid, marker))


def in_netns(*cmd):
    return subprocess.run(["ip", "netns", "exec", NETNS] + list(cmd), capture_output=True, text=True).stdout


def ruleset(text):
    """nft's ruleset with each table's chains in name order (a chain laid again is listed last) and counters
    masked."""
    text = re.sub(r"counter packets \d+ bytes \d+", "counter", text)
    out = []
    for table in re.split(r"(?m)^(?=table )", text):
        head, _, body = table.partition("\n")
        body = re.sub(r"(?m)^}\s*$", "", body)
        chains = sorted(c.strip() for c in re.split(r"(?m)^\s*(?=chain |set |map )", body) if c.strip())
        out.append(head + "\n" + "\n".join(chains))
    return "\n".join(out)


def snapshot(conn):
    """Everything a client sees of the five drivers, and the binding's rules."""
    view = {}
    for s in sorted(conn.listAllSecrets(), key=lambda s: s.UUIDString()):
        value = None
        if "private='no'" in s.XMLDesc():
            value = s.value()
        view["secret " + s.UUIDString()] = (s.XMLDesc(), value)
    for d in sorted(conn.listAllDevices(), key=lambda d: d.name()):
        view["nodedev " + d.name()] = (d.XMLDesc(), d.parent(), d.listCaps())
    for i in sorted(conn.listAllInterfaces(), key=lambda i: i.name()):
        view["iface " + i.name()] = (i.XMLDesc(), i.MACString(), i.isActive())
    for f in sorted(conn.listAllNWFilters(), key=lambda f: f.name()):
        view["nwfilter " + f.name()] = f.XMLDesc()
    for b in conn.listAllNWFilterBindings():
        view["binding " + b.portDev()] = b.XMLDesc()
    for n in conn.listAllNetworks():
        view["network " + n.name()] = (n.XMLDesc(), n.isActive())
        for p in n.listAllPorts():
            view["port " + p.UUIDString()] = p.XMLDesc()
    view["nft"] = ruleset(in_netns("nft", "list", "ruleset"))
    view["ebtables"] = in_netns("ebtables", "-t", "nat", "-L")
    return view


def differences(before, after):
    keys = sorted(set(before) | set(after))
    return [k for k in keys if before.get(k) != after.get(k)]


def main():
    conn = libvirt.open(URI)
    secret = conn.secretDefineXML("<secret ephemeral='no' private='no'><uuid>5d2f3c4e-1111-4a22-8618-4560ef5fac01"
                                  "</uuid><usage type='ceph'><name>h15 ceph</name></usage></secret>")
    secret.setValue(b"ceph-key-value")
    conn.secretDefineXML("<secret ephemeral='yes' private='yes'><uuid>5d2f3c4e-1111-4a22-8618-4560ef5fac02</uuid>"
                         "<usage type='tls'><name>h15 tls</name></usage></secret>").setValue(b"tls")
    conn.nwfilterDefineXML("<filter name='h15-web' chain='ipv4'><rule action='accept' direction='in'>"
                           "<tcp dstportstart='80'/></rule><rule action='drop' direction='inout'><all/></rule>"
                           "</filter>")
    conn.nwfilterBindingCreateXML(
        "<filterbinding><owner><name>vm1</name><uuid>d54df46f-1ab5-4a22-8618-4560ef5fac2c</uuid></owner>"
        "<portdev name='vnet0'/><mac address='52:54:00:7b:35:93'/><filterref filter='clean-traffic'>"
        "<parameter name='IP' value='10.15.0.5'/></filterref></filterbinding>", 0)
    net = conn.networkDefineXML("<network><name>h15iso</name><bridge name='h15br0'/></network>")
    net.create()
    net.portCreateXML("<networkport><uuid>4d3c1c6e-1a2b-4c3d-8e9f-0a1b2c3d4e15</uuid><owner><name>vm1</name>"
                      "<uuid>d54df46f-1ab5-4a22-8618-4560ef5fac2c</uuid></owner>"
                      "<mac address='52:54:00:7b:35:93'/></networkport>")
    before = snapshot(conn)
    for key, what in (("binding vnet0", "binding"), ("port 4d3c1c6e-1a2b-4c3d-8e9f-0a1b2c3d4e15", "port"),
                      ("nodedev computer", "computer"), ("iface lo", "lo")):
        if key not in before:
            fail("no %s before the updates: %s" % (what, sorted(before)))
    if "vnet0" not in before["ebtables"] or "vnet0" not in before["nft"]:
        fail("the binding laid no rules on vnet0:\n" + before["ebtables"])
    ids = bundle_ids()
    for n, kind in enumerate(KINDS):
        jar = DIST + "/bundle/" + kind + ".jar"
        bid = ids.get(symbolic_name(jar))
        if bid is None:
            fail("%s is not installed: %s" % (kind, ids))
        marker = "%s-%d" % (kind, int(time.time() * 1000))
        way = "load" if n % 2 == 0 else "shell"
        if way == "load":
            marked_jar(jar, WORK + "/" + kind + ".jar", marker)
            shutil.copyfile(WORK + "/" + kind + ".jar", DIST + "/load/." + kind + ".part")
            os.replace(DIST + "/load/." + kind + ".part", DIST + "/load/" + kind + ".jar")
        else:
            path = "%s/%s-shell.jar" % (WORK, kind)
            marked_jar(jar, path, marker)
            r = shell("update %d file:%s" % (bid, path))
            if r.returncode != 0:
                fail("update %d: %s" % (bid, r.stderr or r.stdout))
        wait_updated(bid, marker)
        deadline = time.monotonic() + 60
        while True:
            try:
                after = snapshot(conn)
                diff = differences(before, after)
            except libvirt.libvirtError as e:
                after, diff = None, ["call failed: %s" % e]
            if not diff or time.monotonic() > deadline:
                break
            time.sleep(0.5)
        if diff:
            details = ""
            for key in diff[:3]:
                if after is not None and isinstance(before.get(key), str) and isinstance(after.get(key), str):
                    details += "\n" + "\n".join(difflib.unified_diff(before[key].splitlines(),
                                                                      after[key].splitlines(), key, key, lineterm=""))
            fail("after updating %s through %s, on the held connection: %s%s" % (kind, way, diff[:5], details))
        print("HOSTOBJ PASS: %s updated through %s; the held connection sees the same %d objects and the "
              "binding's rules are unchanged" % (kind, way, len(after) - 2))
    net.destroy()
    net.undefine()
    conn.close()


main()
