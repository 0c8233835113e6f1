#!/usr/bin/env python3
"""Turn one job of a GitLab CI/CD component (spec: inputs: header, ---, jobs) into what a runner would execute,
as GitLab does it: inputs checked against the spec and interpolated ($[[ inputs.NAME ]]), `extends` merged,
`rules:` evaluated against the CI variables, then the job's variables, id_tokens, before_script + script (one
shell session) and after_script.

template_job.py TEMPLATE JOB OUTDIR [--input NAME=VALUE]...

Writes OUTDIR/script.sh, OUTDIR/after_script.sh and OUTDIR/artifacts.json ({"name", "paths", "reports",
"when"}). Exit 0; 10 when the job's rules leave it out of this pipeline; 2 on a template or input error (as
GitLab would refuse the pipeline). Needs PyYAML. Variables for `rules:` come from the environment (the CI_*
variables the caller sets) and the job's own variables.
"""
import argparse
import json
import os
import re
import shlex
import sys

import yaml

INTERP = re.compile(r"\$\[\[\s*inputs\.([A-Za-z0-9_-]+)\s*\]\]")


def die(msg, code=2):
    print("template_job.py: " + msg, file=sys.stderr)
    sys.exit(code)


def load(path):
    with open(path) as f:
        docs = list(yaml.safe_load_all(f))
    if len(docs) != 2 or not isinstance(docs[0], dict) or "spec" not in docs[0]:
        die("%s: a component is a `spec:` document, then `---`, then the jobs" % path)
    return docs[0]["spec"].get("inputs") or {}, docs[1]


def resolve_inputs(spec, given):
    out = {}
    for name in given:
        if name not in spec:
            die("unknown input '%s' (the spec has: %s)" % (name, ", ".join(sorted(spec))))
    for name, decl in spec.items():
        decl = decl or {}
        typ = decl.get("type", "string")
        if name in given:
            v = given[name]
            if typ == "boolean":
                if v not in ("true", "false"):
                    die("input '%s' is a boolean, not '%s'" % (name, v))
                v = v == "true"
            elif typ == "number":
                v = float(v) if "." in v else int(v)
        elif "default" in decl:
            v = decl["default"]
        else:
            die("input '%s' is required" % name)
        if typ == "string" and not isinstance(v, str):
            die("input '%s' must be a string" % name)
        if "options" in decl and v not in decl["options"]:
            die("input '%s': '%s' is not one of %s" % (name, v, decl["options"]))
        out[name] = v
    return out


def interpolate(node, inputs):
    if isinstance(node, dict):
        return {interpolate(k, inputs): interpolate(v, inputs) for k, v in node.items()}
    if isinstance(node, list):
        return [interpolate(v, inputs) for v in node]
    if isinstance(node, str):
        m = INTERP.fullmatch(node.strip())
        if m and not isinstance(inputs.get(m.group(1)), str) and m.group(1) in inputs:
            return inputs[m.group(1)]  # a whole boolean or number input keeps its type

        def one(m):
            if m.group(1) not in inputs:
                die("unknown interpolation input '%s'" % m.group(1))
            v = inputs[m.group(1)]
            return ("true" if v else "false") if isinstance(v, bool) else str(v)
        return INTERP.sub(one, node)
    return node


def merge(base, child):
    out = dict(base)
    for k, v in child.items():
        out[k] = merge(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else v
    return out


def resolve_job(jobs, name, depth=0):
    if name not in jobs:
        die("no job '%s' (jobs: %s)" % (name, ", ".join(sorted(j for j in jobs if not j.startswith(".")))))
    if depth > 10:
        die("extends nests too deep at '%s'" % name)
    job = jobs[name]
    ext = job.get("extends")
    if ext is None:
        return dict(job)
    out = {}
    for parent in ([ext] if isinstance(ext, str) else ext):
        out = merge(out, resolve_job(jobs, parent, depth + 1))
    child = {k: v for k, v in job.items() if k != "extends"}
    return merge(out, child)


TERM = re.compile(r"""^\s*(\$\w+|"[^"]*"|'[^']*')\s*(?:(==|!=)\s*(\$\w+|"[^"]*"|'[^']*')\s*)?$""")


def value(tok, variables):
    if tok.startswith("$"):
        return variables.get(tok[1:])
    return tok[1:-1]


def evaluate(expr, variables):
    """The subset of GitLab's rules:if used by the template: ||, &&, ==, != and bare variables."""
    for alt in expr.split("||"):
        ok = True
        for term in alt.split("&&"):
            m = TERM.match(term)
            if not m:
                die("rules:if term not understood: %r" % term)
            a = value(m.group(1), variables)
            if m.group(2):
                b = value(m.group(3), variables)
                ok = ok and ((a == b) if m.group(2) == "==" else (a != b))
            else:
                ok = ok and bool(a)
        if ok:
            return True
    return False


def lines(v):
    if v is None:
        return []
    if isinstance(v, str):
        return [v]
    return [str(x) for x in v]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("template")
    ap.add_argument("job")
    ap.add_argument("outdir")
    ap.add_argument("--input", action="append", default=[])
    a = ap.parse_args()
    given = {}
    for kv in a.input:
        k, sep, v = kv.partition("=")
        if not sep:
            die("--input wants NAME=VALUE, not '%s'" % kv)
        given[k] = v
    spec, jobs = load(a.template)
    inputs = resolve_inputs(spec, given)
    jobs = interpolate(jobs, inputs)
    if INTERP.search(json.dumps(jobs)):
        die("an interpolation was left in the jobs")
    job = resolve_job(jobs, a.job)
    for key in ("script",):
        if key not in job:
            die("job '%s' has no %s" % (a.job, key))
    variables = {}
    for k, v in (job.get("variables") or {}).items():
        if not isinstance(v, (str, int, float)) or isinstance(v, bool):
            die("job '%s': variable %s is %r: GitLab wants a string" % (a.job, k, v))
        variables[k] = str(v)
    scope = dict(os.environ)
    scope.update({k: v for k, v in variables.items() if k not in os.environ})
    rules = job.get("rules")
    if rules is not None:
        chosen = None
        for r in rules:
            if "if" not in r or evaluate(r["if"], scope):
                chosen = r
                break
        if chosen is None or chosen.get("when") == "never":
            print("template_job.py: job '%s' is not in this pipeline (rules)" % a.job, file=sys.stderr)
            return 10
    sh = ["set -eo pipefail"]
    for k, v in variables.items():
        if k in os.environ:
            continue  # a variable set for the pipeline wins over the job's yaml variable
        sh.append("export %s=%s" % (k, shlex.quote(v)))
    # the runner expands variables that reference other variables ($CI_SERVER_URL in an audience)
    for name, tok in (job.get("id_tokens") or {}).items():
        aud = os.path.expandvars(str(tok.get("aud", "")))
        sh.append("export %s=%s" % (name, shlex.quote("fake-oidc-jwt.%s.aud=%s" % (name, aud))))
    sh += lines(job.get("before_script")) + lines(job.get("script"))
    os.makedirs(a.outdir, exist_ok=True)
    with open(os.path.join(a.outdir, "script.sh"), "w") as f:
        f.write("\n".join(sh) + "\n")
    with open(os.path.join(a.outdir, "after_script.sh"), "w") as f:
        f.write("\n".join(lines(job.get("after_script"))) + "\n")
    art = job.get("artifacts") or {}
    with open(os.path.join(a.outdir, "artifacts.json"), "w") as f:
        json.dump({"name": art.get("name"), "paths": art.get("paths") or [], "reports": art.get("reports") or {},
                   "when": art.get("when", "on_success")}, f)
    return 0


if __name__ == "__main__":
    sys.exit(main())
