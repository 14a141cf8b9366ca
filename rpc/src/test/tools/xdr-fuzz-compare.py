#!/usr/bin/python3
"""Compare how two libvirt daemons decide on mutated calls: accept, refuse (and with which error), ignore
or hang up. Meant for libvirtd 9.0 (../shared/tools/peer-libvirtd.sh) against jvirtd, both on their test
driver; run by hand, it prints every case whose decisions differ and a count.

usage: xdr-fuzz-compare.py [--full] PEER_SOCKET JVIRTD_SOCKET [ITERATIONS] [SEED]

By default only the decoding decision is compared: decoded (whatever the call then answered), refused as
undecodable or with another RPC error (with its message), no answer, or connection closed. --full
compares every answer: success, or the error's code, domain and message.

Each iteration takes one well-formed call of a procedure jvirtd implements, mutates its payload (one
word replaced by a value chosen to probe a decoding rule, bytes cut off or appended, one byte flipped),
sends it on a fresh connection opened to test:///default on both daemons and classifies the answer.
"""
import random
import socket
import struct
import sys

REMOTE = 0x20008086
OPEN, AUTH_LIST = 1, 66
WORDS = [0, 1, 2, 3, 0x01000000, 0x7fffffff, 0x80000000, 0xffffffff, 4194304, 4194305, 16384, 16385, 65536]


def u32(v):
    return struct.pack(">I", v & 0xffffffff)


def xdr_string(s):
    b = s.encode()
    return u32(len(b)) + b + b"\0" * ((4 - len(b) % 4) % 4)


def pkt(proc, payload=b"", serial=1):
    body = struct.pack(">IIiiIi", REMOTE, 1, proc, 0, serial, 0) + payload
    return struct.pack(">I", len(body) + 4) + body


NO_UUID = bytes.fromhex("0badc0de0000400080000000000000a1")
DOM = xdr_string("nosuch") + NO_UUID + u32(-1)
NET = xdr_string("nosuch") + NO_UUID
CALLS = [
    (OPEN, u32(1) + xdr_string("test:///default") + u32(0)),
    (23, xdr_string("nosuch")),                                   # DOMAIN_LOOKUP_BY_NAME
    (24, NO_UUID),                                                # DOMAIN_LOOKUP_BY_UUID
    (14, DOM + u32(0)),                                           # DOMAIN_GET_XML_DESC
    (273, u32(1) + u32(0)),                                       # CONNECT_LIST_ALL_DOMAINS
    (316, u32(0) + u32(1) + DOM),                                 # CONNECT_DOMAIN_EVENT_CALLBACK_REGISTER_ANY
    (46, xdr_string("nosuch")),                                   # NETWORK_LOOKUP_BY_NAME
    (84, xdr_string("nosuch")),                                   # STORAGE_POOL_LOOKUP_BY_NAME
    (11, xdr_string("<domain/>")),                                # DOMAIN_DEFINE_XML
    (5, u32(1) + xdr_string("test")),                             # CONNECT_GET_MAX_VCPUS
    (60, u32(10)),                                                # CONNECT_SUPPORTS_FEATURE
]


def recv_packet(s):
    def exactly(n):
        data = b""
        while len(data) < n:
            chunk = s.recv(n - len(data))
            if not chunk:
                raise EOFError
            data += chunk
        return data
    head = exactly(4)
    return head + exactly(struct.unpack(">I", head)[0] - 4)


def classify(reply, full):
    status = struct.unpack(">i", reply[24:28])[0]
    if status != 1:
        return "ok" if full else "decoded"
    code, domain, present = struct.unpack(">iiI", reply[28:40])
    message = ""
    if present:
        n = struct.unpack(">I", reply[40:44])[0]
        message = reply[44:44 + n].decode(errors="replace")
    if not full and (code, domain) != (39, 7):
        return "decoded"
    return "error %d/%d %s" % (code, domain, message)


def ask(path, packet, open_first, full):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(path)
    s.settimeout(2)
    try:
        s.sendall(pkt(AUTH_LIST, serial=0))
        recv_packet(s)
        if open_first:
            s.sendall(pkt(OPEN, CALLS[0][1], serial=1))
            recv_packet(s)
        s.sendall(packet)
        return classify(recv_packet(s), full)
    except (EOFError, ConnectionResetError, BrokenPipeError):
        return "closed"
    except TimeoutError:
        return "none"
    finally:
        s.close()


def mutate(rng, payload):
    kind = rng.randrange(4)
    data = bytearray(payload)
    if kind == 0 and len(data) >= 4:
        at = 4 * rng.randrange(len(data) // 4)
        data[at:at + 4] = u32(rng.choice(WORDS))
        return "word@%d" % at, bytes(data)
    if kind == 1 and data:
        cut = rng.randrange(len(data))
        return "cut@%d" % cut, bytes(data[:cut])
    if kind == 2:
        return "append", bytes(data) + bytes(rng.randrange(256) for _ in range(rng.choice((1, 4, 8))))
    if data:
        at = rng.randrange(len(data))
        data[at] ^= 1 << rng.randrange(8)
        return "flip@%d" % at, bytes(data)
    return "none", bytes(data)


def main():
    args = sys.argv[1:]
    full = "--full" in args
    args = [a for a in args if a != "--full"]
    peer, jvirtd = args[0], args[1]
    iterations = int(args[2]) if len(args) > 2 else 200
    rng = random.Random(int(args[3]) if len(args) > 3 else 1)
    differ = 0
    for i in range(iterations):
        proc, payload = rng.choice(CALLS)
        how, mutated = mutate(rng, payload)
        packet = pkt(proc, mutated, serial=2)
        a = ask(peer, packet, proc != OPEN, full)
        b = ask(jvirtd, packet, proc != OPEN, full)
        if a != b:
            differ += 1
            print("proc %d %s payload %s\n  libvirtd: %s\n  jvirtd:   %s" % (proc, how, mutated.hex(), a, b))
    print("%d of %d mutated calls decided differently" % (differ, iterations))


if __name__ == "__main__":
    main()
