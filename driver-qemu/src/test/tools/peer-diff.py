#!/usr/bin/python3
"""Defines each domain XML on a running libvirtd and on a running jvirtd and compares what they store and run.

Usage: peer-diff.py JVIRTD_URI LIBVIRTD_URI OUTDIR FILE.xml...

For every file: defineXML on both, dumpxml --inactive compared (UUID aside), then domxml-to-native qemu-argv
compared (fd numbers, state paths and secret data masked). Prints one summary line per comparison and writes
each differing pair to OUTDIR as NAME.{xml,argv}.{peer,jv}. The inputs are not part of the project: point it at
../shared/conformance/qemuxml2xml/in or at XML a client wrote (virt-install --print-xml, ...).
"""
import os
import re
import sys

import libvirt


def masked_argv(text):
    # a daemon started with --root has its state below that folder
    text = re.sub(r'[^ ,\'"=]*/var/lib/(libvirt|jvirtd)/qemu/domain-[^/ ,\'"]*', 'DOMDIR', text)
    text = re.sub(r'[^ ,\'"=]*/var/lib/(libvirt|jvirtd)/qemu', 'QEMUDIR', text)
    text = re.sub(r'[^ ,\'"=]*/run/(libvirt|jvirtd)/qemu', 'RUNDIR', text)
    text = re.sub(r'"fd":"[0-9]+"', '"fd":"N"', text)
    text = re.sub(r'(data|iv)=[A-Za-z0-9+/=]+', r'\1=X', text)
    return text.replace(' -', '\n-')


def outcome(call):
    try:
        return call(), None
    except libvirt.libvirtError as e:
        return None, str(e)


def main():
    jv_uri, peer_uri, out = sys.argv[1:4]
    os.makedirs(out, exist_ok=True)
    libvirt.registerErrorHandler(lambda c, e: None, None)
    jv, peer = libvirt.open(jv_uri), libvirt.open(peer_uri)
    tally = {'xml same': 0, 'xml differ': 0, 'argv same': 0, 'argv differ': 0, 'refused by one': 0}
    for path in sys.argv[4:]:
        name = os.path.basename(path)
        original = open(path).read()
        xml = re.sub(r'<uuid>[^<]*</uuid>', '', original, count=1)
        xml = re.sub(r'<name>[^<]*</name>', '<name>peerdiff</name>', xml, count=1)
        dp, pe = outcome(lambda: peer.defineXML(xml))
        dj, je = outcome(lambda: jv.defineXML(xml))
        if (dp is None) != (dj is None):
            tally['refused by one'] += 1
            print(f'{name}: refused by {"libvirtd" if dp is None else "jvirtd"}: {pe or je}')
        elif dp is not None:
            a, b = (re.sub(r'<uuid>.*</uuid>', '', d.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE)) for d in (dp, dj))
            if a == b:
                tally['xml same'] += 1
            else:
                tally['xml differ'] += 1
                open(os.path.join(out, name + '.xml.peer'), 'w').write(a)
                open(os.path.join(out, name + '.xml.jv'), 'w').write(b)
            na, _ = outcome(lambda: peer.domainXMLToNative('qemu-argv', original, 0))
            nb, _ = outcome(lambda: jv.domainXMLToNative('qemu-argv', original, 0))
            if na is not None and nb is not None:
                if masked_argv(na) == masked_argv(nb):
                    tally['argv same'] += 1
                else:
                    tally['argv differ'] += 1
                    open(os.path.join(out, name + '.argv.peer'), 'w').write(masked_argv(na))
                    open(os.path.join(out, name + '.argv.jv'), 'w').write(masked_argv(nb))
        for d in (dp, dj):
            if d is not None:
                outcome(lambda: d.undefineFlags(libvirt.VIR_DOMAIN_UNDEFINE_NVRAM))
    print(', '.join(f'{k} {v}' for k, v in tally.items()))


if __name__ == '__main__':
    main()
