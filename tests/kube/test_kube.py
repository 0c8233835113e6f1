#!/usr/bin/env python3
"""Live Kubernetes source tests: failover-audit against a real kube-apiserver (tests/kube/kube.sh starts it).

    kube.sh -- python3 test_kube.py CASE

The two sides are two namespaces of the one API server (app-us-east-1 and app-us-west-2: the region names in
them normalize away, so the objects pair up). Setup goes through the API with the admin token (stdlib only).
Each case asserts exit codes, exact findings and that no secret value reaches any output.
"""
import base64
import json
import os
import shutil
import ssl
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request

SERVER = os.environ["FO_KUBE_SERVER"]
PKI = os.environ["FO_KUBE_DIR"]
ADMIN_TOKEN = os.environ["FO_KUBE_ADMIN_TOKEN"]
USER_TOKEN = os.environ["FO_KUBE_USER_TOKEN"]
AUDIT = os.environ["FO_AUDIT_BIN"]
NS = ("app-us-east-1", "app-us-west-2")
SECRET_VALUES = ("hunter2-db-password", "api-key-primary-0001", "api-key-secondary-0002", "only-in-primary-value")

CTX = ssl.create_default_context(cafile=os.path.join(PKI, "ca.crt"))


def fail(msg):
    print("FAIL: " + msg, file=sys.stderr)
    sys.exit(1)


def api(method, path, body=None, token=ADMIN_TOKEN):
    req = urllib.request.Request(SERVER + path, method=method, data=json.dumps(body).encode() if body else None)
    req.add_header("Authorization", "Bearer " + token)
    req.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(req, context=CTX, timeout=30) as r:
            return json.load(r)
    except urllib.error.HTTPError as e:
        fail(f"{method} {path}: HTTP {e.code}: {e.read()[:300]!r}")


def create(ns, kind, obj):
    paths = {"ConfigMap": "/api/v1/namespaces/%s/configmaps", "Secret": "/api/v1/namespaces/%s/secrets",
             "Deployment": "/apis/apps/v1/namespaces/%s/deployments"}
    obj = dict(obj, kind=kind, apiVersion="apps/v1" if kind == "Deployment" else "v1")
    api("POST", paths[kind] % ns, obj)


def b64(s):
    return base64.b64encode(s.encode()).decode()


def deployment(name, image, replicas, env):
    labels = {"app": name}
    return {"metadata": {"name": name}, "spec": {
        "replicas": replicas, "selector": {"matchLabels": labels},
        "template": {"metadata": {"labels": labels}, "spec": {"containers": [
            {"name": "main", "image": image, "env": env}]}}}}


def setup_namespaces():
    for ns in NS:
        api("POST", "/api/v1/namespaces", {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns}})


def plant(drift=True, namespaces=True):
    """The same objects in both namespaces; with drift, the planted differences listed in DRIFT."""
    if namespaces:
        setup_namespaces()
    for i, ns in enumerate(NS):
        region = ns[len("app-"):]
        # equal after normalization: the region name in the value normalizes away
        create(ns, "ConfigMap", {"metadata": {"name": "app-config"},
                                 "data": {"QUEUE_URL": f"https://sqs.{region}.amazonaws.com/q", "MODE": "live"}})
        # enough equal ConfigMaps that a page size of 3 needs several pages
        for n in range(7):
            create(ns, "ConfigMap", {"metadata": {"name": f"bulk-{n}"}, "data": {"n": str(n)}})
        create(ns, "Secret", {"metadata": {"name": "db"}, "type": "Opaque", "data": {"password": b64(SECRET_VALUES[0])}})
        # what each cluster makes for itself, different by construction: never compared
        create(ns, "ConfigMap", {"metadata": {"name": "kube-root-ca.crt"}, "data": {"ca.crt": f"CA of cluster {i}"}})
        create(ns, "Secret", {"metadata": {"name": "sa-token", "annotations": {
            "kubernetes.io/service-account.name": "default"}}, "type": "kubernetes.io/service-account-token",
            "data": {"token": b64(f"token-of-cluster-{i}")}})
        # replicas differ (pilot light): not drift by default
        create(ns, "Deployment", deployment("web", "nginx:1.27", 3 if i == 0 else 0,
                                            [{"name": "LOG", "value": "info"}]))
        if not drift:
            continue
        create(ns, "ConfigMap", {"metadata": {"name": "drifted"}, "data": {"LOG_LEVEL": "info" if i == 0 else "debug"}})
        if i == 0:
            create(ns, "ConfigMap", {"metadata": {"name": "only-primary"}, "data": {"x": "1"}})
            create(ns, "Secret", {"metadata": {"name": "extra"}, "data": {"k": b64(SECRET_VALUES[3])}})
        create(ns, "Secret", {"metadata": {"name": "api-key"},
                              "data": {"key": b64(SECRET_VALUES[1 + i]), **({"old": b64("x" * 8)} if i == 0 else {})}})
        create(ns, "Deployment", deployment("api", "registry.example/api:1.0" if i == 0 else "registry.example/api:0.9", 1,
                                            [{"name": "CFG", "valueFrom": {"configMapKeyRef": {
                                                "name": "app-config" if i == 0 else "app-config-old", "key": "MODE"}}}]))


# what plant(drift=True) must produce, and nothing else
DRIFT = sorted([
    ("kube.configmap-data-differs", "k8s/ConfigMap/app-${region}/drifted/data.LOG_LEVEL"),
    ("kube.configmap-missing", "k8s/ConfigMap/app-${region}/only-primary"),
    ("kube.deployment-env-differs",
     "k8s/Deployment/app-${region}/api/spec.template.spec.containers[name=main].env[name=CFG].valueFrom.configMapKeyRef.name"),
    ("kube.deployment-image-differs", "k8s/Deployment/app-${region}/api/spec.template.spec.containers[name=main].image"),
    ("kube.secret-data-differs", "k8s/Secret/app-${region}/api-key/data.key"),
    ("kube.secret-data-differs", "k8s/Secret/app-${region}/api-key/data.old"),
    ("kube.secret-missing", "k8s/Secret/app-${region}/extra"),
])


def kubeconfig(path, user, cluster=None, ns_ctx=("ctx-a", "ctx-b")):
    """A kubeconfig with one context per side on the same cluster, for `user` (a dict)."""
    cluster = cluster or {"server": SERVER, "certificate-authority": os.path.join(PKI, "ca.crt")}
    cfg = {"apiVersion": "v1", "kind": "Config", "current-context": ns_ctx[0],
           "clusters": [{"name": "test", "cluster": cluster}],
           "users": [{"name": "u", "user": user}],
           "contexts": [{"name": c, "context": {"cluster": "test", "user": "u"}} for c in ns_ctx]}
    with open(path, "w") as f:
        json.dump(cfg, f)  # JSON is YAML


def audit_config(path, kubeconfig_path, extra=""):
    with open(path, "w") as f:
        f.write(f"""version: 1
sides:
  primary:
    region: us-east-1
    kubernetes:
      context: ctx-a
      kubeconfig: {kubeconfig_path}
      namespaces: [{NS[0]}]
{extra}
  secondary:
    region: us-west-2
    kubernetes:
      context: ctx-b
      kubeconfig: {kubeconfig_path}
      namespaces: [{NS[1]}]
{extra}
""")


def run_audit(work, *args, env_extra=None):
    env = dict(os.environ, NO_COLOR="1", FO_AUDIT_LOG="debug", **(env_extra or {}))
    p = subprocess.run([AUDIT, "check", "--config", os.path.join(work, "audit.yml"), *args], cwd=work, env=env,
                       capture_output=True, text=True, timeout=300)
    return p


def findings(report):
    return sorted((f["rule"]["id"], f["full_path"]) for f in report["findings"])


def no_secrets(work, *texts):
    """No secret value, no token and no key reaches the reports, the logs or the snapshot."""
    blobs = list(texts)
    for name in os.listdir(work):
        if name.endswith((".json", ".md", ".xml", ".txt")):
            with open(os.path.join(work, name)) as f:
                blobs.append(f.read())
    with open(os.path.join(PKI, "admin.key")) as f:
        key_line = f.read().splitlines()[1]
    for b in blobs:
        # reports show "(sensitive)", never the hash either (an unsalted SHA-256 of a short secret gives it away)
        if "sha256:" in b or "$sensitive" in b:
            fail("a secret's hash leaked into an output")
        for s in SECRET_VALUES + (ADMIN_TOKEN, USER_TOKEN, key_line) + tuple(b64(v) for v in SECRET_VALUES):
            if s in b:
                fail(f"a secret or credential leaked into an output ({s[:6]}...)")


def case_drift(work):
    plant()
    kubeconfig(os.path.join(work, "kubeconfig"), {"token": ADMIN_TOKEN})
    audit_config(os.path.join(work, "audit.yml"), os.path.join(work, "kubeconfig"), "      page_size: 3")
    p = run_audit(work, "--format", "json", "--output", "markdown=r.md", "--output", "junit=r.xml")
    if p.returncode != 1:
        fail(f"check exited {p.returncode}, want 1 (drift):\n{p.stderr[-3000:]}")
    rep = json.loads(p.stdout)
    got = findings(rep)
    if got != DRIFT:
        fail("findings differ:\n got  %s\n want %s" % (json.dumps(got, indent=1), json.dumps(DRIFT, indent=1)))
    # the equal objects were read (else "no finding" proves nothing): both sources ok, and the pages
    for s in rep.get("sources", []):
        if s.get("name") == "kubernetes" and s.get("state") != "ok":
            fail(f"source not ok: {s}")
    # both sides are read at once: their log lines interleave, so each is found by its namespace
    want_cm = {NS[0]: (11, 4), NS[1]: (10, 4)}  # app-config, 7 bulk, kube-root-ca.crt, drifted (+ only-primary)
    for ns, (n, npages) in want_cm.items():
        if f"configmaps in namespace {ns}: {n} items in {npages} pages" not in p.stderr:
            fail(f"want {n} ConfigMaps of {ns} in {npages} pages of 3 in the debug log:\n" + p.stderr[-3000:])
        if f"configmaps in namespace {ns}: page {npages}, " not in p.stderr:
            fail(f"no page {npages} logged for {ns}")
    no_secrets(work, p.stdout, p.stderr)
    # a snapshot of the live side: Secrets by key names and value hashes, the same objects as from manifests
    snap = subprocess.run([AUDIT, "snapshot", "--side", "primary", "--config", os.path.join(work, "audit.yml")],
                          cwd=work, capture_output=True, text=True, timeout=300)
    if snap.returncode != 0:
        fail(f"snapshot exited {snap.returncode}:\n{snap.stderr[-2000:]}")
    objs = json.loads(snap.stdout)["objects"]
    sec = objs.get(f"k8s/Secret/{NS[0]}/api-key")
    if not sec or sec["source"] != "kubernetes" or sec["kind"] != "Secret" or sec["namespace"] != NS[0] or \
            sorted(sec["attributes"]["data"]) != ["key", "old"] or \
            not all(v["$sensitive"].startswith("sha256:") for v in sec["attributes"]["data"].values()):
        fail(f"the Secret's snapshot object: {sec}")
    for b in (snap.stdout, snap.stderr):
        for v in SECRET_VALUES + tuple(b64(v) for v in SECRET_VALUES):
            if v in b:
                fail("a secret value leaked into the snapshot")
    if f"k8s/ConfigMap/{NS[0]}/kube-root-ca.crt" in objs or f"k8s/Secret/{NS[0]}/sa-token" in objs:
        fail("objects every cluster makes for itself were collected")
    # replicas compared on request: the web Deployment's 3 vs 0 is then drift under its own rule
    audit_config(os.path.join(work, "audit.yml"), os.path.join(work, "kubeconfig"), "      replicas: compare")
    p = run_audit(work, "--format", "json")
    got = findings(json.loads(p.stdout))
    want = sorted(DRIFT + [("kube.deployment-replicas-differ", "k8s/Deployment/app-${region}/web/spec.replicas")])
    if p.returncode != 1 or got != want:
        fail(f"replicas: compare: exit {p.returncode}, findings {got}")


def case_in_sync(work, users, clusters=(None,)):
    """Equal namespaces: every user (a kubeconfig users[].user) authenticates and finds no drift, with every
    cluster entry (None: the server with its CA file)."""
    plant(drift=False)
    for user, cluster in [(u, c) for u in users for c in clusters]:
        kubeconfig(os.path.join(work, "kubeconfig"), user, cluster)
        audit_config(os.path.join(work, "audit.yml"), os.path.join(work, "kubeconfig"))
        p = run_audit(work, "--format", "json")
        if p.returncode != 0:
            fail(f"check exited {p.returncode}, want 0 (in sync) for {sorted(user)}:\n{p.stderr[-3000:]}")
        rep = json.loads(p.stdout)
        if rep["findings"]:
            fail(f"unexpected findings: {findings(rep)}")
        # equal objects, not no objects: the debug log counts what each namespace held
        for ns, n in ((NS[0], 9), (NS[1], 9)):  # app-config, 7 bulk, kube-root-ca.crt (listed, then skipped)
            if f"configmaps in namespace {ns}: {n} items in 1 pages" not in p.stderr:
                fail(f"want {n} ConfigMaps read in {ns}:\n{p.stderr[-2000:]}")
        no_secrets(work, p.stdout, p.stderr)


def case_auth_cert(work):
    crt, key = os.path.join(PKI, "admin.crt"), os.path.join(PKI, "admin.key")
    with open(crt) as c, open(key) as k:
        inline = {"client-certificate-data": b64(c.read()), "client-key-data": b64(k.read())}
    case_in_sync(work, [inline, {"client-certificate": crt, "client-key": key}])


def case_auth_token(work):
    token_file = os.path.join(work, "token")
    with open(token_file, "w") as f:
        f.write(ADMIN_TOKEN + "\n")
    case_in_sync(work, [{"token": ADMIN_TOKEN}, {"tokenFile": token_file}])


def case_auth_exec(work):
    plugin = os.path.join(work, "plugin.sh")
    count = os.path.join(work, "plugin.count")
    with open(plugin, "w") as f:
        f.write(f"""#!/bin/sh
# an exec credential plugin as `aws eks get-token` is one: prints an ExecCredential
[ "$1" = "get-token" ] && [ "$2" = "--cluster" ] && [ "$3" = "test" ] || {{ echo "bad args: $*" >&2; exit 2; }}
[ "$FO_PLUGIN_MODE" = "test" ] || {{ echo "env from the kubeconfig missing" >&2; exit 2; }}
case "$KUBERNETES_EXEC_INFO" in *'"apiVersion":"client.authentication.k8s.io/v1"'*) ;; *) echo "no exec info" >&2; exit 2;; esac
echo run >> {count}
printf '{{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{{"token":"%s"}}}}\\n' "$(cat {os.path.join(PKI, "admin.token")})"
""")
    os.chmod(plugin, 0o755)
    case_in_sync(work, [{"exec": {"apiVersion": "client.authentication.k8s.io/v1", "command": "./plugin.sh",
                                  "args": ["get-token", "--cluster", "test"],
                                  "env": [{"name": "FO_PLUGIN_MODE", "value": "test"}],
                                  "interactiveMode": "Never"}}])
    with open(count) as f:
        runs = len(f.read().splitlines())
    if runs != 2:  # once per side
        fail(f"the exec plugin ran {runs} times, want 2 (once per side)")


def case_tls(work):
    """The server's certificate is checked as kubectl checks it: CA data, tls-server-name, insecure only when set."""
    with open(os.path.join(PKI, "ca.crt")) as f:
        ca = b64(f.read())
    token = {"token": ADMIN_TOKEN}
    case_in_sync(work, [token], [
        {"server": SERVER, "certificate-authority-data": ca},
        # the certificate names IP:127.0.0.1, localhost and kubernetes: checked against the last one here
        {"server": SERVER, "certificate-authority-data": ca, "tls-server-name": "kubernetes"},
        {"server": SERVER, "insecure-skip-tls-verify": True}])
    other_ca = os.path.join(work, "other-ca.crt")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", os.path.join(work, "o.key"),
                    "-out", other_ca, "-days", "1", "-subj", "/CN=other"], check=True, capture_output=True)
    for cluster, what in (({"server": SERVER, "certificate-authority": other_ca}, "another CA"),
                          ({"server": SERVER, "certificate-authority-data": ca, "tls-server-name": "elsewhere"},
                           "a name the certificate does not hold"),
                          ({"server": SERVER}, "the system store")):
        kubeconfig(os.path.join(work, "kubeconfig"), token, cluster)
        p = run_audit(work, "--format", "json")
        if p.returncode != 3 or "kubernetes (context ctx-a): GET https://" not in p.stderr or \
                "SSL" not in p.stderr and "certificate" not in p.stderr:
            fail(f"TLS with {what}: exit {p.returncode} (want 3, a certificate error):\n{p.stderr[-2000:]}")
        no_secrets(work, p.stdout, p.stderr)


def case_forbidden(work):
    setup_namespaces()
    kubeconfig(os.path.join(work, "kubeconfig"), {"token": USER_TOKEN})
    audit_config(os.path.join(work, "audit.yml"), os.path.join(work, "kubeconfig"))
    p = run_audit(work, "--format", "json", "--output", "markdown=r.md")
    if p.returncode != 3:
        fail(f"check exited {p.returncode}, want 3 (unreadable source):\n{p.stderr[-3000:]}")
    want = f"kubernetes (context ctx-a): forbidden listing configmaps in namespace {NS[0]} (HTTP 403): "
    rep = json.loads(p.stdout)
    msgs = [s.get("message") or "" for s in rep.get("sources", [])]
    if not any(want in m and "cannot list resource" in m for m in msgs):
        fail(f"no clear 403 naming the resource and namespace in the report's sources: {msgs}")
    with open(os.path.join(work, "r.md")) as f:
        if f"forbidden listing configmaps in namespace {NS[0]} (HTTP 403)" not in f.read():
            fail("the markdown report does not name the 403")
    if want not in p.stderr:
        fail("stderr does not name the 403")
    if rep["findings"]:
        fail(f"findings from an unreadable source: {findings(rep)}")
    no_secrets(work, p.stdout, p.stderr)
    # a token the server does not know (expired, revoked): 401, named as such, exit 3
    kubeconfig(os.path.join(work, "kubeconfig"), {"token": "not-a-valid-token-0123456789"})
    p = run_audit(work, "--format", "json")
    if p.returncode != 3 or \
            f"kubernetes (context ctx-a): unauthorized listing configmaps in namespace {NS[0]} (HTTP 401)" not in p.stderr:
        fail(f"unknown token: exit {p.returncode} (want 3 and a 401 message):\n{p.stderr[-2000:]}")
    if "not-a-valid-token-0123456789" in p.stderr + p.stdout:
        fail("the token leaked into the output")
    kubeconfig(os.path.join(work, "kubeconfig"), {"token": USER_TOKEN})
    # rights to ConfigMaps and Deployments but not to Secrets: the error names secrets, and nothing of what
    # was read before it is compared (the source is unreadable as a whole)
    plant(drift=True, namespaces=False)
    for ns in NS:
        api("POST", f"/apis/rbac.authorization.k8s.io/v1/namespaces/{ns}/roles", {
            "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role", "metadata": {"name": "reader"},
            "rules": [{"apiGroups": [""], "resources": ["configmaps"], "verbs": ["list"]},
                      {"apiGroups": ["apps"], "resources": ["deployments"], "verbs": ["list"]}]})
        api("POST", f"/apis/rbac.authorization.k8s.io/v1/namespaces/{ns}/rolebindings", {
            "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding", "metadata": {"name": "reader"},
            "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "reader"},
            "subjects": [{"kind": "User", "name": "fo-user", "apiGroup": "rbac.authorization.k8s.io"}]})
    p = run_audit(work, "--format", "json")
    rep = json.loads(p.stdout)
    if p.returncode != 3 or rep["findings"]:
        fail(f"no Secrets access: exit {p.returncode} (want 3), findings {findings(rep)}")
    if f"kubernetes (context ctx-b): forbidden listing secrets in namespace {NS[1]} (HTTP 403): " not in p.stderr:
        fail("the 403 on Secrets is not named:\n" + p.stderr[-2000:])
    no_secrets(work, p.stdout, p.stderr)


def main():
    case = sys.argv[1]
    work = tempfile.mkdtemp(prefix="fo-kube-test.")
    try:
        {"drift": case_drift, "auth.cert": case_auth_cert, "auth.token": case_auth_token,
         "auth.exec": case_auth_exec, "tls": case_tls, "forbidden": case_forbidden}[case](work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"PASS: kube.{case}")


if __name__ == "__main__":
    main()
