"""A tiny loopback DNS server for `failover-audit verify` tests: answers A queries from a table, following
CNAMEs in one answer the way recursive resolvers do; NXDOMAIN for anything else. Hand-made UDP answers (RFC 1035),
no library: the resolver under test (glibc's libresolv) parses them."""
import socket
import struct
import threading


def encode_name(name):
    out = b""
    for label in name.rstrip(".").split("."):
        out += bytes([len(label)]) + label.encode()
    return out + b"\0"


def decode_name(data, off):
    labels = []
    while data[off]:
        n = data[off]
        labels.append(data[off + 1:off + 1 + n].decode())
        off += 1 + n
    return ".".join(labels), off + 1


class FakeDNS:
    """records: {"name": ("CNAME", "target") | ("A", ["10.0.0.1", ...])}; names are matched case-insensitively."""

    def __init__(self, records):
        self.records = {k.lower().rstrip("."): v for k, v in records.items()}
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.address = "127.0.0.1:%d" % self.sock.getsockname()[1]
        self.queries = []
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def answer(self, qname):
        rrs, name = [], qname
        for _ in range(8):
            rec = self.records.get(name.lower())
            if not rec:
                break
            kind, value = rec
            if kind == "CNAME":
                rrs.append(encode_name(name) + struct.pack(">HHIH", 5, 1, 60, len(encode_name(value))) +
                           encode_name(value))
                name = value
                continue
            for ip in value:
                rrs.append(encode_name(name) + struct.pack(">HHIH", 1, 1, 60, 4) + socket.inet_aton(ip))
            break
        return rrs

    def serve(self):
        while True:
            try:
                data, peer = self.sock.recvfrom(4096)
            except OSError:
                return
            try:
                qid, = struct.unpack(">H", data[:2])
                qname, off = decode_name(data, 12)
                question = data[12:off + 4]
            except (IndexError, struct.error, UnicodeDecodeError):
                continue
            self.queries.append(qname)
            rrs = self.answer(qname)
            rcode = 0 if rrs or qname.lower() in self.records else 3
            header = struct.pack(">HHHHHH", qid, 0x8180 | rcode, 1, len(rrs), 0, 0)
            self.sock.sendto(header + question + b"".join(rrs), peer)

    def close(self):
        self.sock.close()
