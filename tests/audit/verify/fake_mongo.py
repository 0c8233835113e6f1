"""A loopback MongoDB stand-in for `failover-audit verify` tests. Debian 12 has no MongoDB server, so this answers
the documented replies libmongoc needs: the handshake (legacy OP_QUERY `isMaster`/`hello`, answered with OP_REPLY),
then OP_MSG commands `hello`, `ping`, `replSetGetStatus` (members with name, health, stateStr, optimeDate) and
`endSessions`; anything else gets {ok: 0, code: 59 CommandNotFound}. BSON is encoded by hand (the types used)."""
import datetime
import socket
import struct
import threading


class Date:
    def __init__(self, ms):
        self.ms = ms


def _cstr(s):
    return s.encode() + b"\0"


def bson(doc):
    out = b""
    for k, v in doc.items():
        if isinstance(v, bool):
            out += b"\x08" + _cstr(k) + (b"\x01" if v else b"\x00")
        elif isinstance(v, int):
            out += (b"\x10" + _cstr(k) + struct.pack("<i", v)) if -2**31 <= v < 2**31 else \
                (b"\x12" + _cstr(k) + struct.pack("<q", v))
        elif isinstance(v, float):
            out += b"\x01" + _cstr(k) + struct.pack("<d", v)
        elif isinstance(v, str):
            b = v.encode()
            out += b"\x02" + _cstr(k) + struct.pack("<i", len(b) + 1) + b + b"\0"
        elif isinstance(v, dict):
            out += b"\x03" + _cstr(k) + bson(v)
        elif isinstance(v, list):
            out += b"\x04" + _cstr(k) + bson({str(i): x for i, x in enumerate(v)})
        elif isinstance(v, Date):
            out += b"\x09" + _cstr(k) + struct.pack("<q", v.ms)
        elif v is None:
            out += b"\x0a" + _cstr(k)
    return struct.pack("<i", len(out) + 5) + out + b"\0"


def first_key(doc):
    """The command name: the first key of a BSON document."""
    end = doc.index(b"\0", 5)
    return doc[5:end].decode()


class FakeMongo:
    """members: list of {"name", "stateStr", "health", "lag_s"} (lag behind now); `me` is the member answering."""

    def __init__(self, members, me):
        self.members, self.me = members, me
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.port = self.sock.getsockname()[1]
        self.commands = []
        threading.Thread(target=self.accept, daemon=True).start()

    def hello(self):
        primary = any(m["name"] == self.me and m["stateStr"] == "PRIMARY" for m in self.members)
        return {"helloOk": True, "ismaster": primary, "isWritablePrimary": primary, "secondary": not primary,
                "setName": "rs0", "hosts": [m["name"] for m in self.members], "me": self.me,
                "maxBsonObjectSize": 16777216, "maxMessageSizeBytes": 48000000, "maxWriteBatchSize": 100000,
                "localTime": Date(int(datetime.datetime.now().timestamp() * 1000)),
                "logicalSessionTimeoutMinutes": 30, "connectionId": 1, "minWireVersion": 0, "maxWireVersion": 17,
                "readOnly": False, "ok": 1.0}

    def status(self):
        now = int(datetime.datetime.now().timestamp() * 1000)
        return {"set": "rs0", "myState": 1, "ok": 1.0,
                "members": [{"_id": i, "name": m["name"], "health": float(m.get("health", 1)),
                             "stateStr": m["stateStr"], "state": 1 if m["stateStr"] == "PRIMARY" else 2,
                             "optimeDate": Date(now - int(m.get("lag_s", 0) * 1000)), "self": m["name"] == self.me}
                            for i, m in enumerate(self.members)]}

    def reply_for(self, cmd):
        self.commands.append(cmd)
        if cmd.lower() in ("hello", "ismaster"):
            return self.hello()
        if cmd == "replSetGetStatus":
            return self.status()
        if cmd in ("ping", "endSessions"):
            return {"ok": 1.0}
        return {"ok": 0.0, "errmsg": "no such command: '%s'" % cmd, "code": 59, "codeName": "CommandNotFound"}

    def accept(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self.serve, args=(conn,), daemon=True).start()

    def serve(self, conn):
        def read(n):
            buf = b""
            while len(buf) < n:
                chunk = conn.recv(n - len(buf))
                if not chunk:
                    raise EOFError
                buf += chunk
            return buf
        try:
            while True:
                length, req_id, _, op = struct.unpack("<iiii", read(16))
                body = read(length - 16)
                if op == 2004:  # OP_QUERY: flags, cstring collection, skip, return, query
                    coll_end = body.index(b"\0", 4)
                    doc = body[coll_end + 9:]
                    out = bson(self.reply_for(first_key(doc)))
                    msg = struct.pack("<iqii", 0, 0, 0, 1) + out
                    conn.sendall(struct.pack("<iiii", 16 + len(msg), 0, req_id, 1) + msg)
                elif op == 2013:  # OP_MSG: flags, section kind 0 + document
                    doc = body[5:]
                    out = bson(self.reply_for(first_key(doc)))
                    msg = struct.pack("<I", 0) + b"\0" + out
                    conn.sendall(struct.pack("<iiii", 16 + len(msg), 0, req_id, 2013) + msg)
                else:
                    return
        except (EOFError, OSError, ValueError):
            pass
        finally:
            conn.close()

    def close(self):
        self.sock.close()
