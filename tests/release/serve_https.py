"""Serves a directory over HTTPS on 127.0.0.1 (a free port, written to PORT_FILE) for the network-mirror
test; stops by itself after LIFETIME seconds. Usage: serve_https.py DIR CERT KEY PORT_FILE LIFETIME"""
import functools
import http.server
import ssl
import sys
import threading


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, fmt, *args):
        sys.stderr.write("serve_https: " + (fmt % args) + "\n")


def main():
    root, cert, key, port_file, lifetime = sys.argv[1:6]
    handler = functools.partial(QuietHandler, directory=root)
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    httpd.socket = ctx.wrap_socket(httpd.socket, server_side=True)
    with open(port_file + ".tmp", "w") as f:
        f.write(str(httpd.server_address[1]))
    import os
    os.rename(port_file + ".tmp", port_file)
    threading.Timer(float(lifetime), httpd.shutdown).start()
    httpd.serve_forever()


if __name__ == "__main__":
    main()
