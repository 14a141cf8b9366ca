#!/usr/bin/python3
"""virDomainOpenConsole through libvirt-python, as virsh console uses it (one reader at a time, --force).

usage: console-check.py URI DOMAIN MARKER SECONDS [DAEMON_PID]
Starts DOMAIN, reads its console until MARKER appears (within SECONDS), checks that a second open is
refused while the first is open and that a forced open takes the console over (the first stream ends).
With DAEMON_PID, also that the daemon (a session leader) did not take the guest's terminal as its
controlling terminal, which would make QEMU's exit a hangup of the daemon.
Prints one PASS/FAIL line per check; exits 1 on the first failure.
"""
import sys
import threading
import time

import libvirt


def main():
    uri, name, marker, seconds = sys.argv[1], sys.argv[2], sys.argv[3].encode(), float(sys.argv[4])
    libvirt.registerErrorHandler(lambda ctx, err: None, None)
    conn = libvirt.open(uri)
    dom = conn.lookupByName(name)
    dom.create()
    live = dom.XMLDesc(0)
    check("<console type='pty' tty='/dev/pts/" in live and "<source path='/dev/pts/" in live,
          "the live XML names the pseudo-terminal of the serial port and its console")
    first = conn.newStream(0)
    dom.openConsole(None, first, 0)
    seen = bytearray()
    ended = threading.Event()

    def read():
        while True:
            try:
                data = first.recv(4096)
            except libvirt.libvirtError:
                break
            if not data:
                break
            seen.extend(data)
        ended.set()

    threading.Thread(target=read, daemon=True).start()
    deadline = time.time() + seconds
    while time.time() < deadline and marker not in seen:
        time.sleep(0.1)
    check(marker in seen, "the console shows the guest's %s (%d bytes read)" % (marker.decode(), len(seen)))
    if len(sys.argv) > 5:
        with open("/proc/%s/stat" % sys.argv[5]) as stat:
            tty_nr = stat.read().rsplit(")", 1)[1].split()[4]
        check(tty_nr == "0", "the daemon has no controlling terminal while the console is open (tty_nr %s)" % tty_nr)

    try:
        dom.openConsole(None, conn.newStream(0), 0)
        check(False, "a second console is refused while one is open")
    except libvirt.libvirtError as e:
        check(e.get_error_message() == "operation failed: Active console session exists for this domain",
              "a second console is refused while one is open: " + e.get_error_message())
    forced = conn.newStream(0)
    dom.openConsole(None, forced, libvirt.VIR_DOMAIN_CONSOLE_FORCE)
    check(ended.wait(10), "--force takes the console over and the first stream ends")
    forced.finish()
    dom.destroy()


def check(ok, what):
    print(("CONSOLE PASS: " if ok else "CONSOLE FAIL: ") + what, flush=True)
    if not ok:
        sys.exit(1)


if __name__ == "__main__":
    main()
