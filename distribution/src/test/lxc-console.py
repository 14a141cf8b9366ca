#!/usr/bin/python3
"""The real `virsh console` on a pseudo-terminal, against a running container whose init is a shell.

usage: lxc-console.py URI DOMAIN SECONDS
Attaches, types commands and checks their output: arithmetic echoed back, ps showing the shell as PID 1 of
the container's own PID namespace, hostname being the domain's name; detaches with Ctrl-]. Prints one
PASS/FAIL line per check; exits 1 on the first failure.
"""
import os
import pty
import re
import select
import sys
import time


def main():
    uri, name, seconds = sys.argv[1], sys.argv[2], float(sys.argv[3])
    pid, fd = pty.fork()
    if pid == 0:
        os.execvp("virsh", ["virsh", "-c", uri, "console", name])
    seen = bytearray()
    answered = [0]

    def expect(pattern, what, limit=seconds, start=0):
        deadline = time.time() + limit
        while time.time() < deadline:
            if re.search(pattern, seen[start:].decode("latin-1").replace("\r", "")):
                check(True, what)
                return True
            ready, _, _ = select.select([fd], [], [], 0.2)
            if ready:
                try:
                    seen.extend(os.read(fd, 4096))
                except OSError:
                    break
                # busybox ash asks the terminal where the cursor is (ESC [ 6 n) and waits for the answer
                while seen.count(b"\x1b[6n") > answered[0]:
                    answered[0] += 1
                    os.write(fd, b"\x1b[1;1R")
        if limit < seconds:
            return False
        check(False, what + " -- the console showed:\n" + seen.decode("latin-1"))

    expect(r"Escape character is", "virsh console attaches")
    # a shell left waiting for a cursor-position answer by an earlier session eats the first key: ask again
    for attempt in range(int(seconds / 2)):
        mark = len(seen)
        os.write(fd, b"\r")
        if expect(r"/ # ", "the shell shows its prompt", 2, mark):
            break
    else:
        expect(r"/ # ", "the shell shows its prompt", seconds, mark)
    os.write(fd, b"echo answer-$((6*7))\r")
    expect(r"\nanswer-42\n", "a command typed on the console runs in the container")
    os.write(fd, b"ps\r")
    expect(r"(?m)^\s*1\s+root\s+/bin/sh\s*$", "ps inside sees the shell as PID 1")
    os.write(fd, b"hostname\r")
    expect(r"\n" + re.escape(name) + r"\n", "the container's hostname is the domain's name")
    # let the shell's last cursor query and its answer pass before detaching (see the report on stream aborts
    # racing console output)
    expect(r"\x1b\[6n$", "the shell waits at its prompt", 5, len(seen) - 8)
    time.sleep(1)
    os.write(fd, b"\x1d")
    deadline = time.time() + seconds
    status = None
    while time.time() < deadline and status is None:
        done, st = os.waitpid(pid, os.WNOHANG)
        if done:
            status = st
            break
        ready, _, _ = select.select([fd], [], [], 0.2)
        if ready:
            try:
                seen.extend(os.read(fd, 4096))
            except OSError:
                pass
    if status is None:
        os.kill(pid, 9)
        check(False, "Ctrl-] detaches -- virsh still runs; the console showed:\n" + seen.decode("latin-1")[-300:])
    check(os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0, "Ctrl-] detaches, virsh exits 0")


def check(ok, what):
    print(("PASS " if ok else "FAIL ") + what, flush=True)
    if not ok:
        sys.exit(1)


if __name__ == "__main__":
    main()
