#!/usr/bin/python3
"""Record how a libvirt daemon answers XDR that departs from canonical form.

usage: xdr-tolerance-probe.py SOCKET ADMIN_SOCKET OUT_DIR

Each case runs on a fresh connection and is written as OUT_DIR/<name>.hex: '# ' comment lines, then one
line per packet, 'C>S <hex>' for what was sent and 'S>C <hex>' for the reply, or 'S>C closed' when the
daemon closed the connection instead of answering, or 'S>C none' when nothing came within 2 s. Recorded against libvirtd 9.0.0 these files are the
expected answers of XdrToleranceTest; run against jvirtd they show what it answers.
"""
import os
import socket
import struct
import sys

REMOTE = 0x20008086
ADMIN = 0x06900690
CALL, REPLY = 0, 1

OPEN, GET_URI, LOOKUP_BY_NAME, AUTH_LIST = 1, 110, 23, 66
CALLBACK_REGISTER_ANY = 316
ADMIN_OPEN, ADMIN_SET_THREADPOOL = 1, 7
TEST_URI = "test:///default"
NO_SUCH_UUID = bytes.fromhex("0badc0de0000400080000000000000a1")


def pkt(proc, payload=b"", prog=REMOTE, serial=1, typ=CALL, status=0, vers=1):
    body = struct.pack(">IIiiIi", prog, vers, proc, typ, serial, status) + payload
    return struct.pack(">I", len(body) + 4) + body


def u32(v):
    return struct.pack(">I", v & 0xffffffff)


def xdr_string(s, pad=b"\0"):
    b = s.encode() if isinstance(s, str) else s
    return u32(len(b)) + b + pad * ((4 - len(b) % 4) % 4)


def open_args(present=1, name=TEST_URI, pad=b"\0", flags=0):
    return u32(present) + xdr_string(name, pad) + u32(flags)


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


def case(out, path, name, description, packets):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(path)
    s.settimeout(2)
    lines = ["# " + description]
    for p in packets:
        s.sendall(p)
        lines.append("C>S " + p.hex())
        try:
            lines.append("S>C " + recv_packet(s).hex())
        except (EOFError, ConnectionResetError):
            lines.append("S>C closed")
            break
        except TimeoutError:
            lines.append("S>C none")
    s.close()
    with open(os.path.join(out, name + ".hex"), "w") as f:
        f.write("\n".join(lines) + "\n")


def main():
    sock, admin, out = sys.argv[1], sys.argv[2], sys.argv[3]
    os.makedirs(out, exist_ok=True)
    hello = pkt(AUTH_LIST, serial=0)
    opened = [hello, pkt(OPEN, open_args(), serial=1)]
    get_uri = pkt(GET_URI, serial=2)

    for word, label in ((0x01000000, "01000000"), (2, "2"), (0xffffffff, "ffffffff")):
        case(out, sock, "optional-present-" + label,
             "CONNECT_OPEN whose optional name has discriminant 0x%08x: any non-zero word means present" % word,
             [hello, pkt(OPEN, open_args(present=word), serial=1), get_uri])
    case(out, sock, "string-padding-not-zero",
         "CONNECT_OPEN whose name's padding bytes are 0xff: padding is skipped unchecked",
         [hello, pkt(OPEN, open_args(pad=b"\xff"), serial=1), get_uri])
    case(out, sock, "string-with-nul",
         "CONNECT_OPEN with the name 'test:///default\\0junk': the C string ends at the NUL",
         [hello, pkt(OPEN, open_args(name=TEST_URI.encode() + b"\0junk"), serial=1), get_uri])
    case(out, sock, "trailing-bytes",
         "CONNECT_OPEN with 8 bytes after its arguments: bytes after the arguments are ignored",
         [hello, pkt(OPEN, open_args() + b"\xde\xad\xbe\xef\0\0\0\1", serial=1), get_uri])
    case(out, sock, "string-length-over-max",
         "DOMAIN_LOOKUP_BY_NAME with a name length of REMOTE_STRING_MAX + 1: refused before it is read",
         opened + [pkt(LOOKUP_BY_NAME, u32(4194305) + b"abcd", serial=2), get_uri])
    case(out, sock, "string-length-at-max-short-packet",
         "DOMAIN_LOOKUP_BY_NAME with a name length of REMOTE_STRING_MAX and 4 bytes sent: refused, too short",
         opened + [pkt(LOOKUP_BY_NAME, u32(4194304) + b"abcd", serial=2), get_uri])
    case(out, sock, "string-missing-padding",
         "DOMAIN_LOOKUP_BY_NAME with name 'test' and no padding or later words: refused, too short",
         opened + [pkt(LOOKUP_BY_NAME, u32(5) + b"test\0", serial=2), get_uri])
    case(out, sock, "args-missing",
         "CONNECT_OPEN with no arguments at all: refused",
         [hello, pkt(OPEN, b"", serial=1), get_uri])
    dom = xdr_string("nosuch") + NO_SUCH_UUID + u32(-1)
    case(out, sock, "optional-domain-present-7",
         "CONNECT_DOMAIN_EVENT_CALLBACK_REGISTER_ANY(lifecycle) whose optional domain has discriminant 7; "
         "the domain, which does not exist, is a filter and is not looked up",
         opened + [pkt(CALLBACK_REGISTER_ANY, u32(0) + u32(7) + dom, serial=2)])
    case(out, sock, "header-status-not-ok",
         "CONNECT_GET_URI call whose header status is ERROR (1)",
         opened + [pkt(GET_URI, serial=2, status=1), get_uri])
    case(out, sock, "header-status-unknown",
         "CONNECT_GET_URI call whose header status is 9",
         opened + [pkt(GET_URI, serial=2, status=9), get_uri])
    case(out, sock, "header-type-unknown",
         "CONNECT_GET_URI packet whose header type is 9",
         opened + [pkt(GET_URI, serial=2, typ=9), get_uri])
    case(out, sock, "header-type-reply",
         "CONNECT_GET_URI packet sent with header type REPLY (1)",
         opened + [pkt(GET_URI, serial=2, typ=REPLY), get_uri])
    case(out, sock, "header-version-unknown",
         "CONNECT_GET_URI call with program version 2",
         opened + [pkt(GET_URI, serial=2, vers=2), get_uri])

    admin_hello = pkt(ADMIN_OPEN, u32(0), prog=ADMIN, serial=1)

    def threadpool(params, count=None):
        body = xdr_string("libvirtd")
        body += u32(len(params) if count is None else count)
        for field, typ, value in params:
            body += xdr_string(field) + u32(typ) + value
        return pkt(ADMIN_SET_THREADPOOL, body + u32(0), prog=ADMIN, serial=2)

    case(out, admin, "array-over-max",
         "ADMIN SERVER_SET_THREADPOOL_PARAMETERS with 33 parameters (ADMIN_SERVER_THREADPOOL_PARAMETERS_MAX is 32)",
         [admin_hello, threadpool([("minWorkers", 2, u32(1))] * 33)])
    case(out, admin, "array-count-over-max-no-elements",
         "ADMIN SERVER_SET_THREADPOOL_PARAMETERS announcing 1000000 parameters and sending none",
         [admin_hello, threadpool([], count=1000000)])
    case(out, admin, "typed-param-type-unknown",
         "ADMIN SERVER_SET_THREADPOOL_PARAMETERS with a parameter of type 99",
         [admin_hello, threadpool([("minWorkers", 99, u32(1))])])
    case(out, admin, "typed-param-bool-2",
         "ADMIN SERVER_SET_THREADPOOL_PARAMETERS with a boolean parameter whose value word is 2",
         [admin_hello, threadpool([("minWorkers", 6, u32(2))])])
    case(out, admin, "typed-param-field-unknown",
         "ADMIN SERVER_SET_THREADPOOL_PARAMETERS with an unsigned parameter 'noSuchField'",
         [admin_hello, threadpool([("noSuchField", 2, u32(1))])])


if __name__ == "__main__":
    main()
