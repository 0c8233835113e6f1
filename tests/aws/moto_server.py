"""moto_server.py: moto in server mode on a loopback port, plus what moto lacks.

Every module in tests/moto_ext/ that defines `wrap(app) -> app` is loaded (in
name order) and wraps moto's WSGI application; each module's docstring says
which AWS calls moto lacks and how the layer fills them in. Test control
endpoints live under /_fo/<module>/... (never an AWS path).

usage: moto_server.py [--port N] [--port-file F]   (port 0 = any free port)
"""
import argparse
import importlib
import os
import pkgutil
import sys

from werkzeug.serving import make_server

from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app

EXT_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "moto_ext")


def build_app():
    app = DomainDispatcherApplication(create_backend_app)
    sys.path.insert(0, os.path.dirname(os.path.abspath(EXT_DIR)))
    for info in sorted(pkgutil.iter_modules([EXT_DIR]), key=lambda m: m.name):
        mod = importlib.import_module("moto_ext." + info.name)
        if hasattr(mod, "wrap"):
            app = mod.wrap(app)
    return app


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--port-file")
    args = ap.parse_args()
    app = build_app()
    server = make_server("127.0.0.1", args.port, app, threaded=True)
    port = server.server_port
    if args.port_file:
        with open(args.port_file + ".tmp", "w") as f:
            f.write(str(port))
        os.replace(args.port_file + ".tmp", args.port_file)
    print(f"moto_server: listening on http://127.0.0.1:{port}", file=sys.stderr, flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
