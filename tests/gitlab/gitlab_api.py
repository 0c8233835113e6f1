#!/usr/bin/env python3
"""A loopback stand-in for GitLab's merge-request notes API (v4), for the --post-mr-note tests.

gitlab_api.py DIR [--token HEADER=VALUE]... [--seed N] [--planted IID]...

Serves on 127.0.0.1 (a free port, written to DIR/port once listening):
  GET  /api/v4/projects/:id/merge_requests/:iid/notes   (per_page, page; X-Next-Page, X-Page, X-Per-Page)
  POST /api/v4/projects/:id/merge_requests/:iid/notes   {"body": ...} -> 201 with the note
  PUT  /api/v4/projects/:id/merge_requests/:iid/notes/:note_id  -> 200 with the note; 403 for a note someone
       else wrote, as GitLab answers
  GET  /api/v4/user  -> the token's user (the bot, id 77); 401 for a job token, which cannot read it
Every request must carry one of the accepted tokens in its header (PRIVATE-TOKEN or JOB-TOKEN), else 401
{"message": "401 Unauthorized"}. Both tokens act as the bot user (id 77). While DIR/mode holds "forbid-writes", POST and PUT answer 403.
Each request is appended to DIR/requests.jsonl (method, path, query, which token header came and whether it
was accepted: never the token itself); the notes after each request are in DIR/notes.json ({"<id>/<iid>":
[note, ...]}). --seed N gives every merge request N notes by other people first, plus a system note and a
`changes` report by the bot that a `check` run must both leave alone; --planted IID adds to that merge request,
before the bot's note, a `check` report written by a reviewer (a note made to look like the auditor's).
"""
import argparse
import json
import os
import sys
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MARKER = "<!-- failover-audit:report v1 -->"
BOT = {"id": 77, "username": "project_42_bot"}
REVIEWER = {"id": 5, "username": "reviewer"}


class State:
    def __init__(self, directory, tokens, seed, planted):
        self.dir = directory
        self.tokens = tokens  # {header lower: value}
        self.seed = seed
        self.planted = planted
        self.notes = {}  # "pid/iid" -> [note]
        self.next_id = 1000
        self.lock = threading.Lock()

    def mr(self, key):
        if key not in self.notes:
            notes = []
            for i in range(self.seed):
                notes.append(self.new_note("comment %d by a reviewer" % i, author=REVIEWER))
            if self.seed:
                notes.append(self.new_note(MARKER + "\n## failover-audit check: drift found (system)", author=REVIEWER,
                                           system=True))
                if key.split("/")[1] in self.planted:
                    notes.append(self.new_note(MARKER + "\n## ✅ failover-audit check: in sync (planted)",
                                               author=REVIEWER))
                notes.append(self.new_note(MARKER + "\n## ❌ failover-audit changes: drift found\n", author=BOT))
            self.notes[key] = notes
        return self.notes[key]

    def new_note(self, body, author=None, system=False):
        self.next_id += 1
        return {"id": self.next_id, "body": body, "system": system, "author": dict(author or BOT)}

    def save(self):
        tmp = os.path.join(self.dir, "notes.json.tmp")
        with open(tmp, "w") as f:
            json.dump(self.notes, f)
        os.replace(tmp, os.path.join(self.dir, "notes.json"))

    def mode(self):
        try:
            with open(os.path.join(self.dir, "mode")) as f:
                return f.read().strip()
        except OSError:
            return ""


def make_handler(state):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, fmt, *args):  # quiet: requests.jsonl is the record
            pass

        def reply(self, status, doc, headers=None):
            data = json.dumps(doc).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(data)

        def handle_any(self, method):
            url = urllib.parse.urlsplit(self.path)
            query = urllib.parse.parse_qs(url.query)
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            sent = [h for h in ("PRIVATE-TOKEN", "JOB-TOKEN") if self.headers.get(h) is not None]
            ok = any(state.tokens.get(h.lower()) == self.headers.get(h) for h in sent)
            with state.lock:
                with open(os.path.join(state.dir, "requests.jsonl"), "a") as f:
                    f.write(json.dumps({"method": method, "path": url.path, "query": url.query,
                                        "token_headers": sent, "token_ok": ok,
                                        "content_type": self.headers.get("Content-Type")}) + "\n")
                if not ok:
                    return self.reply(401, {"message": "401 Unauthorized"})
                if url.path == "/api/v4/user" and method == "GET":
                    if "PRIVATE-TOKEN" not in sent:
                        return self.reply(401, {"message": "401 Unauthorized"})
                    return self.reply(200, BOT)
                parts = url.path.split("/")
                # ['', 'api', 'v4', 'projects', ID, 'merge_requests', IID, 'notes', (NOTE_ID)]
                if len(parts) < 8 or parts[1:4] != ["api", "v4", "projects"] or parts[5] != "merge_requests" \
                        or parts[7] != "notes":
                    return self.reply(404, {"message": "404 Not Found"})
                key = urllib.parse.unquote(parts[4]) + "/" + parts[6]
                notes = state.mr(key)
                if method in ("POST", "PUT") and state.mode() == "forbid-writes":
                    return self.reply(403, {"message": "403 Forbidden"})
                if method == "GET" and len(parts) == 8:
                    per_page = int(query.get("per_page", ["20"])[0])
                    page = int(query.get("page", ["1"])[0])
                    chunk = notes[(page - 1) * per_page:page * per_page]
                    nxt = str(page + 1) if page * per_page < len(notes) else ""
                    return self.reply(200, chunk, {"X-Next-Page": nxt, "X-Page": str(page),
                                                   "X-Per-Page": str(per_page)})
                try:
                    body = json.loads(raw.decode("utf-8"))["body"]
                except (ValueError, KeyError, TypeError):
                    return self.reply(400, {"message": "400 Bad request - body is missing"})
                if method == "POST" and len(parts) == 8:
                    note = state.new_note(body)
                    notes.append(note)
                    state.save()
                    return self.reply(201, note)
                if method == "PUT" and len(parts) == 9:
                    for note in notes:
                        if str(note["id"]) == parts[8]:
                            if note["author"]["id"] != BOT["id"]:
                                return self.reply(403, {"message": "403 Forbidden"})
                            note["body"] = body
                            state.save()
                            return self.reply(200, note)
                    return self.reply(404, {"message": "404 Not found"})
                return self.reply(405, {"message": "405 Method Not Allowed"})

        def do_GET(self):
            self.handle_any("GET")

        def do_POST(self):
            self.handle_any("POST")

        def do_PUT(self):
            self.handle_any("PUT")

    return Handler


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("--token", action="append", default=[], help="HEADER=VALUE accepted")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--planted", action="append", default=[])
    a = ap.parse_args()
    tokens = {}
    for t in a.token:
        h, _, v = t.partition("=")
        tokens[h.lower()] = v
    state = State(a.dir, tokens, a.seed, set(a.planted))
    srv = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(state))
    with open(os.path.join(a.dir, "port.tmp"), "w") as f:
        f.write(str(srv.server_address[1]))
    os.replace(os.path.join(a.dir, "port.tmp"), os.path.join(a.dir, "port"))
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
