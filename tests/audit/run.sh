#!/usr/bin/env bash
# failover-audit end-to-end cases: run.sh CASE. Needs FO_AUDIT_BIN (the binary), FO_AUDIT_WORK (a scratch dir
# under the build tree), jq and git. Each case asserts exact findings and exit codes; any mismatch fails.
set -uo pipefail
case_name=${1:?usage: run.sh CASE}
here=$(cd "$(dirname "$0")" && pwd)
bin=${FO_AUDIT_BIN:?FO_AUDIT_BIN not set}
work=${FO_AUDIT_WORK:?FO_AUDIT_WORK not set}/$case_name
fixtures=$here/fixtures
export FO_AUDIT_TODAY=2026-11-25 NO_COLOR=1
for tool in jq git; do
  command -v $tool >/dev/null || { echo "FAIL: $tool is required for the audit tests"; exit 1; }
done
rm -rf "$work"
mkdir -p "$work"
trap 'rm -rf "$work"' EXIT # the case's scratch dir goes with it (stderr of a failure is printed before)
cp -r "$fixtures" "$work/fx"
cd "$work/fx"

# shellcheck source=../lib/case.sh
. "$here/../lib/case.sh"
findings() { jq -S '[.findings[] | {rule: .rule.id, classification, full_path}] | sort_by(.full_path, .rule)' "$1"; }
same_json() { diff <(jq -S . "$1") <(jq -S . "$2") >&2 || fail "$3"; }

case $case_name in
check.findings)
  # every planted drift, the expected (valid / expired / stale) entries, and nothing that normalizes away
  run 1 "$bin" check --format json
  findings "$work/out" > "$work/got.json"
  same_json "$work/got.json" "$here/expected/check-findings.json" "findings differ from expected/check-findings.json"
  jq -e '.findings[] | select(.full_path == "terraform/aws_eks_cluster.main/version") |
         .primary.location == {"file": "states/primary.tfstate", "line": 30}' "$work/out" >/dev/null ||
    fail "state v4 line of aws_eks_cluster.main"
  jq -e '.exit_code == 1 and .summary.expected == 2 and .summary.expired_expected == 1 and
         .summary.stale_expected == 1 and .summary.side_check == 2' "$work/out" >/dev/null || fail "summary counts"
  # the sensitive finding is flagged, and secrets never reach any report
  jq -e '.findings[] | select(.full_path == "terraform/aws_db_instance.main/password") | .sensitive == true' \
    "$work/out" >/dev/null || fail "password finding not sensitive"
  run 1 "$bin" check --output json=j.json --output junit=j.xml --output codequality=cq.json \
    --output markdown=r.md --output text=r.txt
  for f in j.json j.xml cq.json r.md r.txt "$work/out"; do
    [ -s "$f" ] || fail "report $f missing"
    ! grep -q -e 's3cret' -e 'different-Password' -e 'same-token-both-sides' "$f" || fail "a secret leaked into $f"
    ! grep -q -e 'sha256:' -e '\$sensitive' "$f" || fail "a secret's hash leaked into $f"
  done
  ;;
sensitive.nested)
  # secrets inside a list without identity and inside a set (named by value in sensitive_attributes):
  # neither the value nor its hash reaches any report or the snapshot
  for side in p s; do
    n=1; [ $side = s ] && n=2
    cat > $side.tfstate <<J
{"version": 4, "terraform_version": "1.6.6", "resources": [{"mode": "managed", "type": "aws_thing", "name": "t",
 "instances": [{"attributes": {"blocks": [{"pw": "hunter2", "n": $n}], "set": [{"secret": "hunter$n"}]},
  "sensitive_attributes": [
   [{"type": "get_attr", "value": "blocks"}, {"type": "index", "value": {"value": 0, "type": "number"}},
    {"type": "get_attr", "value": "pw"}],
   [{"type": "get_attr", "value": "set"},
    {"type": "index", "value": {"value": {"secret": "hunter$n"}, "type": ["object", {"secret": "string"}]}}]]}]}]}
J
  done
  # and a Kubernetes Secret whose values differ
  mkdir -p kp ks
  printf 'apiVersion: v1\nkind: Secret\nmetadata: {name: db}\ndata: {pw: aHVudGVyMQ==}\nstringData: {t: hunter5}\n' > kp/s.yaml
  printf 'apiVersion: v1\nkind: Secret\nmetadata: {name: db}\ndata: {pw: aHVudGVyMg==}\nstringData: {t: hunter6}\n' > ks/s.yaml
  printf 'version: 1\nsides:\n  primary: {region: us-east-1, terraform_state: p.tfstate, manifests: kp}\n  secondary: {region: us-east-2, terraform_state: s.tfstate, manifests: ks}\n' > sens.yml
  run 1 "$bin" check --config sens.yml --output json=j.json --output junit=j.xml --output codequality=cq.json \
    --output markdown=r.md --output text=r.txt
  run 0 "$bin" snapshot --config sens.yml --side primary -o snap.json
  jq -e '[.findings[] | .full_path] | sort == ["k8s/Secret/default/db/data.pw", "k8s/Secret/default/db/stringData.t",
          "terraform/aws_thing.t/blocks", "terraform/aws_thing.t/set"]' \
    j.json >/dev/null || fail "findings: $(jq -c '[.findings[] | .full_path]' j.json)"
  jq -e '[.findings[] | select(.check == "kubernetes_manifests") | .sensitive] == [true, true]' j.json >/dev/null ||
    fail "Secret findings not flagged sensitive"
  run 0 "$bin" snapshot --config sens.yml --side secondary -o snap2.json
  for f in j.json j.xml cq.json r.md r.txt snap.json snap2.json; do
    ! grep -q -e 'hunter' -e 'aHVudGVy' "$f" || fail "a secret leaked into $f"
  done
  for f in j.json j.xml cq.json r.md r.txt; do
    ! grep -q -e 'sha256:' -e '\$sensitive' "$f" || fail "a secret's hash leaked into $f"
  done
  ;;
sensitive.merge-key)
  # Secrets whose data arrives through a merge key, an alias, nested merges or a sequence of merges (kubectl
  # honours them): hashed, never in the text report or the snapshot
  mkdir -p kp ks
  for side in p s; do
    cat > k$side/s.yaml <<Y
x-base: &base {stringData: {pw: PLANTED-$side-1}}
apiVersion: v1
kind: Secret
metadata: {name: a}
<<: *base
---
x-in: &in {pw: PLANTED-$side-2}
kind: Secret
metadata: {name: b}
<<: [{type: Opaque}, {stringData: {<<: *in, other: PLANTED-$side-3}}]
---
kind: Secret
stringData: {pw: &p PLANTED-$side-4}
metadata: {name: c, labels: {copy: *p}}
Y
  done
  printf 'version: 1\nsides:\n  primary: {region: us-east-1, manifests: kp}\n  secondary: {region: us-east-2, manifests: ks}\n' > sens.yml
  run 1 "$bin" check --config sens.yml --output json=j.json --output text=r.txt --output markdown=r.md
  cp "$work/out" stdout.txt
  run 0 "$bin" snapshot --config sens.yml --side primary -o snap.json
  run 0 "$bin" snapshot --config sens.yml --side secondary -o snap2.json
  jq -e '[.findings[] | .full_path] | sort == ["k8s/Secret/default/a/stringData.pw",
          "k8s/Secret/default/a/x-base.stringData.pw", "k8s/Secret/default/b/stringData.other",
          "k8s/Secret/default/b/stringData.pw", "k8s/Secret/default/b/x-in.pw",
          "k8s/Secret/default/c/metadata.labels.copy", "k8s/Secret/default/c/stringData.pw"]' j.json >/dev/null || fail "findings: $(jq -c '[.findings[] | .full_path]' j.json)"
  for f in j.json r.txt r.md stdout.txt snap.json snap2.json; do
    ! grep -q 'PLANTED' "$f" || fail "a secret leaked into $f"
  done
  ;;
check.tofu-vs-terraform)
  # one region applied with terraform, the other with tofu: the registry host of the same provider and the
  # moment each side switched are not drift (both used to be reported); a scheduled time still is
  for side in p s; do
    host=registry.terraform.io; at=2026-11-25T10:00:00Z; sched=2026-12-01T00:00:00Z
    [ $side = s ] && { host=registry.opentofu.org; at=2026-11-25T10:07:31.5+01:00; }
    cat > $side.tfstate <<J
{"version": 4, "terraform_version": "1.6.6", "resources": [
 {"mode": "managed", "type": "failover_switch", "name": "app", "provider": "provider[\"$host/example/failover\"]",
  "instances": [{"attributes": {"active": "primary", "switched_at": "$at", "provider_source": "$host/example/failover"}}]},
 {"mode": "managed", "type": "aws_autoscaling_schedule", "name": "s", "provider": "provider[\"$host/hashicorp/aws\"]",
  "instances": [{"attributes": {"start_time": "$sched"}}]}]}
J
    printf 'provider "%s/hashicorp/aws" {\n  version = "5.80.0"\n}\n' $host > $side.lock.hcl
  done
  printf 'version: 1\nsides:\n  primary: {region: us-east-1, terraform_state: p.tfstate, terraform_lock: p.lock.hcl}\n  secondary: {region: us-east-2, terraform_state: s.tfstate, terraform_lock: s.lock.hcl}\n' > tofu.yml
  run 0 "$bin" check --config tofu.yml --format json
  jq -e '.summary.findings == 0 and .summary.objects_compared == 3' "$work/out" >/dev/null || fail "tofu vs terraform: $(jq -c '[.findings[] | .full_path]' "$work/out")"
  sed -i 's/2026-12-01T00:00:00Z/2026-12-02T00:00:00Z/' s.tfstate
  run 1 "$bin" check --config tofu.yml --format json
  jq -e '[.findings[] | .full_path] == ["terraform/aws_autoscaling_schedule.s/start_time"]' "$work/out" >/dev/null ||
    fail "a schedule must stay compared: $(jq -c '[.findings[] | .full_path]' "$work/out")"
  ;;
check.expiry)
  # the day before the entry expires it still excuses the difference; the day after it does not
  FO_AUDIT_TODAY=2020-01-31 run 1 "$bin" check --format json
  jq -e '.findings[] | select(.full_path == "terraform/aws_eks_addon.coredns/addon_version")
         | .classification == "expected"' "$work/out" >/dev/null || fail "entry expiring today should still hold"
  FO_AUDIT_TODAY=2020-02-01 run 1 "$bin" check --format json
  jq -e '.findings[] | select(.full_path == "terraform/aws_eks_addon.coredns/addon_version")
         | .classification == "expired-expected"' "$work/out" >/dev/null || fail "entry should have expired"
  ;;
check.in-sync)
  # the same state and manifests on both sides (with the regions swapped in) are in sync: exit 0
  cat > insync.yml <<'YML'
version: 1
sides:
  primary: {region: us-east-1, terraform_state: states/primary.tfstate, manifests: k8s/overlays/use1}
  secondary: {region: us-east-2, terraform_state: states/primary-as-secondary.tfstate, manifests: k8s/mirror}
checks: {terraform_state: {}, kubernetes_manifests: {}}
YML
  swap='s/us-east-1/@R@/g; s/us-east-2/us-east-1/g; s/@R@/us-east-2/g'
  sed -e "$swap" states/primary.tfstate > states/primary-as-secondary.tfstate
  mkdir -p k8s/mirror
  for f in k8s/overlays/use1/*.yaml; do sed -e "$swap" "$f" > "k8s/mirror/$(basename "$f")"; done
  run 0 "$bin" check --config insync.yml --format json
  jq -e '.findings == [] and .status == "pass"' "$work/out" >/dev/null || fail "expected no findings"
  ;;
check.dns-foreach)
  # weighted records made with for_each (addresses hold quotes): the side check's value is a JSON object
  # keyed by address (it used to be built by hand, unescaped, and fell back to a string)
  for side in p s; do
    cat > $side.tfstate <<'J'
{"version": 4, "terraform_version": "1.6.6", "resources": [{"mode": "managed", "type": "aws_route53_record",
 "name": "www", "instances": [
  {"index_key": "a", "attributes": {"name": "www.example.com", "type": "A",
   "weighted_routing_policy": [{"weight": 255}]}},
  {"index_key": "b", "attributes": {"name": "www.example.com", "type": "A",
   "weighted_routing_policy": [{"weight": 255}]}}]}]}
J
  done
  printf 'version: 1\nsides:\n  primary: {region: us-east-1, terraform_state: p.tfstate}\n  secondary: {region: us-east-2, terraform_state: s.tfstate}\n' > dns.yml
  run 1 "$bin" check --config dns.yml --format json
  jq -e '[.findings[] | select(.rule.id == "dns.active-weight-count")] | length == 1 and
         (.[0].primary.value == {"terraform/aws_route53_record.www[\"a\"]": 255,
                                 "terraform/aws_route53_record.www[\"b\"]": 255})' "$work/out" >/dev/null ||
    fail "dns finding: $(jq -c '.findings' "$work/out")"
  ;;
snapshot.roundtrip)
  # snapshot each side, diff offline: the same findings as check; secrets only as hashes in the snapshot
  run 0 "$bin" snapshot --side primary -o p.json
  run 0 "$bin" snapshot --side secondary -o s.json
  jq -e '.format == "failover-audit-snapshot" and .version == 1 and .side == "primary" and .region == "us-east-1"' \
    p.json >/dev/null || fail "snapshot header"
  jq -e '.objects["terraform/aws_db_instance.main"].attributes.password["$sensitive"] | startswith("sha256:")' \
    p.json >/dev/null || fail "password not hashed in the snapshot"
  ! grep -q -e 's3cret' -e 'same-token' p.json s.json || fail "a secret leaked into a snapshot"
  jq -e '.objects["module.monitoring"] == null and .objects["meta/modules"].attributes["module.monitoring"] == true' \
    p.json >/dev/null || fail "module list"
  run 1 "$bin" diff p.json s.json --format json
  findings "$work/out" > "$work/got.json"
  same_json "$work/got.json" "$here/expected/check-findings.json" "diff of snapshots differs from check"
  # sides in the wrong order are a usage error
  run 2 "$bin" diff s.json p.json
  err_has "must be the primary snapshot"
  ;;
accept)
  # no reason and no terminal: nothing written, exit 2
  cp .failover-audit.yml before.yml
  run 2 "$bin" accept </dev/null
  err_has "a reason is required"
  cmp -s before.yml .failover-audit.yml || fail "config changed without a reason"
  # on a terminal the reason is asked for (script(1) provides the pty)
  command -v script >/dev/null || fail "script(1) (util-linux) is required for the prompt case"
  cp before.yml tty.yml
  printf 'typed at the prompt\n' | script -qec "'$bin' accept --config tty.yml" /dev/null > "$work/out" 2>&1 ||
    fail "accept on a terminal failed: $(cat "$work/out")"
  grep -q "reason for accepting" "$work/out" || fail "no prompt on a terminal"
  [ "$(grep -c 'reason: "typed at the prompt"' tty.yml)" = 15 ] || fail "typed reason not written"
  run 0 "$bin" accept --reason "adopting the gate: drift predates it" --expires 2099-01-01
  grep -q "accepted 15 differences" "$work/out" || { cat "$work/out"; fail "accept count"; }
  head -c "$(stat -c %s before.yml)" .failover-audit.yml | cmp -s - before.yml || fail "accept rewrote existing text"
  # now only the expired entry fails; the old entries are untouched
  run 1 "$bin" check --format json
  jq -e '.summary.unexpected == 0 and .summary.side_check == 0 and .summary.failing == 1 and
         .summary.expired_expected == 1' "$work/out" >/dev/null || fail "after accept: $(jq -c .summary "$work/out")"
  jq -e '[.findings[] | select(.expected_difference.reason == "adopting the gate: drift predates it")] | length == 15' \
    "$work/out" >/dev/null || fail "accepted entries do not carry the reason"
  # a config without expected_differences gets a new list
  sed -n '/^sides:/,/^checks:/p' before.yml | sed '$d' > bare.yml
  printf 'checks:\n  terraform_state: {}\n' >> bare.yml
  run 0 "$bin" accept --config bare.yml --reason "r"
  run 0 "$bin" check --config bare.yml
  ;;
accept.keys)
  # every entry accept writes matches its finding on the next run, whatever the key holds: line breaks YAML
  # folds inside double quotes (U+2028, U+2029, U+0085), control characters, quotes, backslashes, '#', ': ';
  # and the config keeps its mode (a read-only config stayed writable, 0644, after accept)
  mkdir -p kp ks
  for side in p s; do
    printf 'kind: ConfigMap\nmetadata: {name: keys}\ndata:\n' > k$side/cm.yaml
    for key in 'a\Lb' 'c\Pd' 'e\Nf' 'g\x01h\x1fi\x7fj' 'k\"l' 'm\\n' 'o # p' 'q: r' '\_nbsp' 'tab\tx' 'bom\uFEFFy'; do
      printf '  "%s": value-%s\n' "$key" "$side" >> k$side/cm.yaml
    done
  done
  printf 'version: 1\nsides:\n  primary: {region: us-east-1, manifests: kp}\n  secondary: {region: us-east-2, manifests: ks}\n' > keys.yml
  run 1 "$bin" check --config keys.yml --format json
  n=$(jq '.summary.unexpected' "$work/out")
  [ "$n" = 11 ] || fail "planted key findings: $n, want 11 ($(jq -c '[.findings[] | .full_path]' "$work/out"))"
  chmod 0444 keys.yml
  run 0 "$bin" accept --config keys.yml --reason "keys"
  [ "$(stat -c %a keys.yml)" = 444 ] || fail "accept changed the config's mode to $(stat -c %a keys.yml)"
  run 0 "$bin" check --config keys.yml --format json
  jq -e '.summary.unexpected == 0 and .summary.expected == 11 and .summary.stale_expected == 0' "$work/out" \
    >/dev/null || fail "accepted entries do not match their findings: $(jq -c .summary "$work/out")"
  ;;
changes)
  bash "$here/make-repo.sh" "$work/repo" >/dev/null || fail "make-repo.sh failed"
  run 1 "$bin" changes --base base --head head --repo "$work/repo" --format json
  findings "$work/out" > "$work/got.json"
  cat > "$work/want.json" <<'J'
[{"classification":"unexpected","full_path":"repo/infra/us-east-1/new.tf","rule":"repo.counterpart-missing"},
 {"classification":"unexpected","full_path":"repo/infra/us-east-1/old.tf","rule":"repo.counterpart-not-updated"},
 {"classification":"unexpected","full_path":"repo/infra/us-east-1/variables.tf","rule":"repo.counterpart-not-updated"},
 {"classification":"unexpected","full_path":"repo/k8s/overlays/use1/cm.yaml","rule":"repo.counterpart-not-updated"}]
J
  same_json "$work/got.json" "$work/want.json" "changes findings"
  jq -e '.findings[] | select(.full_path == "repo/infra/us-east-1/variables.tf") | .primary.location.line == 2
         and .sync_step.id == "terraform"' "$work/out" >/dev/null || fail "variables.tf line/step"
  jq -e '.findings[] | select(.full_path == "repo/k8s/overlays/use1/cm.yaml") | .sync_step.id == "configmaps"' \
    "$work/out" >/dev/null || fail "cm.yaml step"
  # nothing is checked out: the working tree is at 'binary' and the result is the same
  git -C "$work/repo" status --porcelain | grep -q . && fail "working tree modified"
  # the secondary-only change and README are not findings; base..base is clean
  run 0 "$bin" changes --base base --head base --repo "$work/repo"
  ;;
changes.missing-rev)
  bash "$here/make-repo.sh" "$work/repo" >/dev/null || fail "make-repo.sh failed"
  run 3 "$bin" changes --base deadbeef --head head --repo "$work/repo"
  err_has "revision 'deadbeef' not found"
  ;;
changes.shallow)
  bash "$here/make-repo.sh" "$work/repo" >/dev/null || fail "make-repo.sh failed"
  base=$(git -C "$work/repo" rev-parse base)
  git clone -q --depth 1 "file://$work/repo" "$work/shallow" || fail "clone"
  run 3 "$bin" changes --base "$base" --head HEAD --repo "$work/shallow"
  err_has "is not in this shallow clone"
  err_has "GIT_DEPTH"
  err_has "git fetch --unshallow"
  ;;
changes.submodule)
  # a submodule (gitlink) moved on the primary side only is a changed path like any file (it used to pass)
  mkdir repo && cd repo || fail "cannot make repo"
  export GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@example.com GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@example.com
  git init -q -b main . && git config commit.gpgsign false
  a=1111111111111111111111111111111111111111 b=2222222222222222222222222222222222222222
  mkdir -p infra/us-east-1 infra/us-east-2
  printf 'x\n' > infra/us-east-1/main.tf && cp infra/us-east-1/main.tf infra/us-east-2/main.tf
  # gitlinks written straight into the index (no submodule checkout needed: only the pinned commit counts)
  { git add -A && for r in 1 2; do git update-index --add --cacheinfo 160000,$a,infra/us-east-$r/mod; done &&
    git commit -q -m base && git tag base &&
    git update-index --cacheinfo 160000,$b,infra/us-east-1/mod && git commit -q -m primary && git tag primary &&
    git update-index --cacheinfo 160000,$b,infra/us-east-2/mod && git commit -q -m both && git tag both &&
    git rm -q --cached infra/us-east-2/mod && printf 'a file\n' > infra/us-east-2/mod &&
    git update-index --add infra/us-east-2/mod && git commit -q -m file && git tag file &&
    git update-index --cacheinfo 160000,$a,infra/us-east-1/mod && git commit -q -m vsfile && git tag vsfile &&
    git rm -q --cached infra/us-east-1/mod && git commit -q -m gone && git tag gone; } || fail "building the repo"
  cd ..
  printf 'version: 1\nsides:\n  primary: {region: us-east-1}\n  secondary: {region: us-east-2}\npath_mappings:\n  - {primary: "infra/us-east-1/**", secondary: "infra/us-east-2/**", step: terraform}\n' > sub.yml
  run 1 "$bin" changes --config sub.yml --base base --head primary --repo repo --format json
  jq -e '[.findings[] | {rule: .rule.id, full_path}] == [{"rule": "repo.counterpart-not-updated",
         "full_path": "repo/infra/us-east-1/mod"}]' "$work/out" >/dev/null || fail "gitlink: $(cat "$work/out")"
  jq -e '.findings[0] | .message | contains("submodule")' "$work/out" >/dev/null || fail "gitlink message"
  run 0 "$bin" changes --config sub.yml --base base --head both --repo repo
  # the primary gitlink moved again while the counterpart became a file: differs
  run 0 "$bin" changes --config sub.yml --base both --head file --repo repo
  run 1 "$bin" changes --config sub.yml --base file --head vsfile --repo repo --format json
  jq -e '[.findings[] | .full_path] == ["repo/infra/us-east-1/mod"]' "$work/out" >/dev/null || fail "gitlink vs file"
  # the primary gitlink removed while the counterpart remains
  run 1 "$bin" changes --config sub.yml --base vsfile --head gone --repo repo --format json
  jq -e '[.findings[] | .full_path] == ["repo/infra/us-east-1/mod"]' "$work/out" >/dev/null || fail "gitlink deleted"
  ;;
changes.huge-blob)
  # a blob over the 64 MiB limit is refused from its object header, before it is loaded: a 70 MB all-zero blob
  # (it compresses to about 70 kB) must not show in the peak RSS
  command -v /usr/bin/time >/dev/null || fail "/usr/bin/time (GNU time) is required"
  mkdir repo && cd repo || fail "cannot make repo"
  export GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@example.com GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@example.com
  git init -q -b main . && git config commit.gpgsign false
  mkdir -p infra/us-east-1 infra/us-east-2
  printf 'x\n' > infra/us-east-1/big.tf && cp infra/us-east-1/big.tf infra/us-east-2/big.tf
  { git add -A && git commit -q -m base && git tag base && head -c 70000000 /dev/zero > infra/us-east-1/big.tf &&
    git add -A && git commit -q -m big && git tag big; } || fail "building the repo"
  rm -f infra/us-east-1/big.tf
  cd ..
  printf 'version: 1\nsides:\n  primary: {region: us-east-1}\n  secondary: {region: us-east-2}\npath_mappings:\n  - {primary: "infra/us-east-1/**", secondary: "infra/us-east-2/**"}\n' > big.yml
  run 3 /usr/bin/time -f 'maxrss=%M' -o rss.txt "$bin" changes --config big.yml --base base --head big --repo repo
  err_has "'infra/us-east-1/big.tf' at 'big' is larger than 67108864 bytes (70000000): not read"
  rss=$(sed -n 's/^maxrss=//p' rss.txt)
  [ -n "$rss" ] && [ "$rss" -lt 50000 ] || fail "peak RSS ${rss} kB: the huge blob was loaded"
  rm -rf repo
  ;;
changes.binary)
  bash "$here/make-repo.sh" "$work/repo" >/dev/null || fail "make-repo.sh failed"
  run 3 "$bin" changes --base head --head binary --repo "$work/repo"
  err_has "binary file 'infra/us-east-1/blob.bin'"
  # a NUL past the first 8000 bytes still makes it binary (it used to cut the text short: "in sync")
  run 3 "$bin" changes --base latenul-base --head latenul --repo "$work/repo"
  err_has "binary file 'infra/us-east-1/late.txt'"
  ;;
malformed.state-truncated)
  head -c 500 states/primary.tfstate > cut.tfstate
  sed -i 's#states/primary.tfstate#cut.tfstate#' .failover-audit.yml
  run 3 "$bin" check --format json
  err_has "state 'cut.tfstate': invalid JSON"
  err_has "truncated"
  jq -e '.status == "error" and .exit_code == 3' "$work/out" >/dev/null || fail "json report status"
  ;;
malformed.state-nuls)
  # not JSON at its first byte (a file of NULs, as /dev/zero would give): refused there, not after reading it all
  head -c 10485760 /dev/zero > zero.tfstate
  sed -i 's#states/primary.tfstate#zero.tfstate#' .failover-audit.yml
  run 3 "$bin" check
  err_has "state 'zero.tfstate': not JSON (byte 0 is 0x00; a JSON document starts with '{' or '[')"
  printf '  \n\001{}' > ctl.json
  run 2 "$bin" diff ctl.json ctl.json
  err_has "snapshot 'ctl.json': not JSON (byte 3 is 0x01"
  rm -f zero.tfstate
  ;;
budget.small-arrays)
  # a state made of small arrays costs ~40 bytes of tree per byte of text: the per-input memory budget
  # (64 MiB + 10 bytes per byte of input) refuses it, naming the source, and peak RSS stays within that bound
  [ -x /usr/bin/time ] || fail "/usr/bin/time is required (apt-get install time)"
  mib=16
  python3 - "$mib" <<'PY'
import sys
n = int(sys.argv[1]) << 20
head = '{"version": 4, "resources": [{"mode": "managed", "type": "aws_x", "name": "a", "instances": [{"attributes": {"v": ['
tail = '[0]]}}]}]}\n'
with open("small.tfstate", "w") as f:
    f.write(head)
    f.write("[0]," * ((n - len(head) - len(tail)) // 4))
    f.write(tail)
PY
  sed -i 's#states/primary.tfstate#small.tfstate#' .failover-audit.yml
  size=$(stat -c %s small.tfstate)
  /usr/bin/time -v -o "$work/time" "$bin" snapshot --side primary -o snap.json >"$work/out" 2>"$work/err"
  got=$?
  rm -f small.tfstate
  [ "$got" = 3 ] || { cat "$work/err" >&2; fail "snapshot of a small-array state exited $got, want 3"; }
  err_has "source 'terraform_state' (primary) could not be read: state 'small.tfstate': needs more than"
  err_has "budget: 64 MiB + 10 bytes per byte of input"
  rss_kib=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time")
  bound_kib=$(( (64 << 10) + size * 12 / 1024 + (32 << 10) ))
  echo "input $size bytes, peak RSS ${rss_kib} KiB, bound ${bound_kib} KiB"
  # an ASan build's shadow memory and quarantine are no measure of the budget: the refusal is checked above
  if grep -qa __asan_init "$bin"; then
    echo "AddressSanitizer build: RSS bound not checked"
  else
    [ "$rss_kib" -le "$bound_kib" ] || fail "peak RSS ${rss_kib} KiB over the budget bound ${bound_kib} KiB"
  fi
  ;;
malformed.state-version)
  sed 's/"version": 4/"version": 3/' states/primary.tfstate > v3.tfstate
  sed -i 's#states/primary.tfstate#v3.tfstate#' .failover-audit.yml
  run 3 "$bin" check
  err_has "state 'v3.tfstate': unsupported state version 3"
  ;;
malformed.state-empty)
  : > empty.tfstate
  sed -i 's#states/primary.tfstate#empty.tfstate#' .failover-audit.yml
  run 3 "$bin" check
  err_has "state 'empty.tfstate': the file is empty"
  ;;
malformed.state-missing)
  sed -i 's#states/primary.tfstate#nope.tfstate#' .failover-audit.yml
  run 3 "$bin" check
  err_has "cannot read 'nope.tfstate'"
  ;;
malformed.config-syntax)
  printf 'version: 1\nsides:\n  primary: {region: us-east-1\n  secondary: x\n' > bad.yml
  run 2 "$bin" check --config bad.yml
  err_has "bad.yml:4:"
  ;;
malformed.config-semantic)
  sed 's/^    region: us-east-2/    regoin: us-east-2/' .failover-audit.yml > bad.yml
  run 2 "$bin" check --config bad.yml
  err_has "bad.yml:11:5: unknown key 'regoin' in sides.secondary"
  sed 's/expires: 2099-12-31/expires: 2099-13-45/' .failover-audit.yml > bad2.yml
  run 2 "$bin" check --config bad2.yml
  err_has "bad2.yml:36:14: 'expires' must be a date"
  run 2 "$bin" check --config does-not-exist.yml
  err_has "config: cannot read 'does-not-exist.yml': No such file or directory"
  run 2 "$bin" check --config states
  err_has "config: cannot read 'states': not a regular file"
  # a config that names no source would pass on anything: refused
  printf 'version: 1\nsides:\n  primary: {region: us-east-1}\n  secondary: {region: us-east-2}\n' > nosrc.yml
  run 2 "$bin" check --config nosrc.yml
  err_has "nosrc.yml: no sources to read"
  run 2 "$bin" snapshot --side primary --config nosrc.yml
  err_has "nosrc.yml: no sources to read: give sides.primary"
  run 2 "$bin" accept --config nosrc.yml --reason r
  printf 'version: 1\nsides:\n  primary: {region: ""}\n  secondary: {region: us-east-2}\n' > noreg.yml
  run 2 "$bin" check --config noreg.yml
  err_has "noreg.yml:3:12: sides.primary needs a 'region'"
  ;;
malformed.config-regex)
  # a normalize regex cannot take the runner down: glibc's regcomp allocated 23 GB for this pattern; PCRE2
  # refuses it under its compile limits, naming the entry (exit 2)
  printf 'version: 1\nsides:\n  primary: {region: us-east-1, terraform_state: p.tfstate}\n  secondary: {region: us-east-2, terraform_state: s.tfstate}\nnormalize:\n  - regex: "((((a{1,255}){1,255}){1,255}){1,255})"\n' > re.yml
  run 2 "$bin" check --config re.yml
  err_has "re.yml:6:12: normalize[0]: bad regex '((((a{1,255}){1,255}){1,255}){1,255})' at offset 37: regular expression is too large"
  # catastrophic backtracking on a long value stops at the match limit with a clear error (exit 2), never hangs
  long=$(printf 'x%.0s' $(seq 20000))
  for side in p s; do
    printf '{"version": 4, "terraform_version": "1.6.6", "resources": [{"mode": "managed", "type": "t", "name": "n", "instances": [{"attributes": {"v": "%s"}}]}]}\n' "$long" > $side.tfstate
  done
  printf 'version: 1\nsides:\n  primary: {region: us-east-1, terraform_state: p.tfstate}\n  secondary: {region: us-east-2, terraform_state: s.tfstate}\nnormalize:\n  - regex: "(x+x+)+[yz]"\n' > bt.yml
  run 2 "$bin" check --config bt.yml
  err_has "bt.yml:6: normalize[0]: regex '(x+x+)+[yz]' stopped on a value of 20000 bytes: match limit exceeded"
  ;;
malformed.manifest)
  printf 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n data: [\n' > k8s/overlays/use2/broken.yaml
  run 3 "$bin" check
  err_has "manifest 'k8s/overlays/use2/broken.yaml':5:"
  printf 'kind: ConfigMap\n\0\1\2' > k8s/overlays/use2/broken.yaml
  run 3 "$bin" check
  err_has "manifest 'k8s/overlays/use2/broken.yaml': binary file"
  ;;
malformed.manifest-links)
  # symlink loops in a manifests tree are walked once (they used to recurse to the depth limit and fail);
  # a dangling *.yaml link is a manifest that cannot be read: fail closed, naming it
  mkdir -p k8s/overlays/use2/sub
  ln -s .. k8s/overlays/use2/sub/up
  ln -s . k8s/overlays/use2/self
  run 1 "$bin" check --format json
  findings "$work/out" > "$work/got.json"
  same_json "$work/got.json" "$here/expected/check-findings.json" "findings with symlink loops"
  ln -s /nonexistent k8s/overlays/use2/dangling.yaml
  run 3 "$bin" check
  err_has "cannot read manifest 'k8s/overlays/use2/dangling.yaml': No such file or directory"
  rm k8s/overlays/use2/dangling.yaml
  # a *.yaml that is a FIFO or a link to a device, or a manifests: path that is one: exit 3 naming the entry
  # (they used to be skipped and the source reported ok)
  mkfifo k8s/overlays/use2/fifo.yaml
  run 3 "$bin" check
  err_has "cannot read manifest 'k8s/overlays/use2/fifo.yaml': not a regular file or a directory"
  rm k8s/overlays/use2/fifo.yaml
  for dev in /dev/zero /dev/urandom; do
    ln -s $dev k8s/overlays/use2/dev.yml
    run 3 "$bin" check
    err_has "cannot read manifest 'k8s/overlays/use2/dev.yml': not a regular file or a directory"
    rm k8s/overlays/use2/dev.yml
  done
  mkfifo direct.fifo
  printf 'version: 1\nsides:\n  primary: {region: us-east-1, manifests: direct.fifo}\n  secondary: {region: us-east-2, manifests: /dev/zero}\n' > dev.yml
  run 3 "$bin" check --config dev.yml
  err_has "direct.fifo': not a regular file or a directory"
  err_has "cannot read manifest '/dev/zero': not a regular file or a directory"
  run 3 "$bin" snapshot --config dev.yml --side secondary -o snap.json
  jq -e '.sources[0].status == "unreadable"' snap.json >/dev/null || fail "a device as manifests: not unreadable"
  ;;
malformed.snapshot)
  run 0 "$bin" snapshot --side primary -o p.json
  run 0 "$bin" snapshot --side secondary -o s.json
  head -c 300 s.json > cut.json
  run 2 "$bin" diff p.json cut.json
  err_has "snapshot 'cut.json': invalid JSON"
  # a source unreadable when the snapshot was taken: snapshot exits 3 but records it, and diff fails closed
  sed -i 's#states/secondary.show.json#gone.json#' .failover-audit.yml
  run 3 "$bin" snapshot --side secondary -o s3.json
  err_has "source 'terraform_state' (secondary) could not be read: cannot read 'gone.json'"
  jq -e '.sources[] | select(.name == "terraform_state") | .status == "unreadable"' s3.json >/dev/null ||
    fail "unreadable source not recorded in the snapshot"
  run 3 "$bin" diff p.json s3.json --format json
  jq -e '.exit_code == 3 and ([.findings[] | select(.check == "terraform_state")] | length == 0)' "$work/out" \
    >/dev/null || fail "diff with an unreadable source"
  # snapshots without any source compare nothing: refused rather than "in sync"
  jq '.sources = [] | .objects = {}' p.json > p0.json
  jq '.sources = [] | .objects = {}' s.json > s0.json
  run 2 "$bin" diff p0.json s0.json
  err_has "'p0.json' and 's0.json' hold no sources: nothing to compare"
  echo '{"format":"failover-audit-snapshot","version":99}' > v99.json
  run 2 "$bin" diff p.json v99.json
  err_has "snapshot 'v99.json': unsupported version"
  ;;
cli)
  run 0 "$bin" --help
  grep -q "exit codes" "$work/out" || fail "--help lacks exit codes"
  run 0 "$bin" --version
  grep -q "^failover-audit [0-9]" "$work/out" || fail "--version"
  for c in snapshot diff check changes accept; do
    run 0 "$bin" $c --help
    grep -q "^usage: failover-audit $c" "$work/out" || fail "$c --help"
  done
  run 2 "$bin"
  run 2 "$bin" frobnicate
  err_has "unknown command 'frobnicate'"
  run 2 "$bin" check --format xml
  err_has "unknown format 'xml'"
  run 2 "$bin" check --output json
  err_has "--output wants FORMAT=PATH"
  run 2 "$bin" check --format json --output junit=-
  err_has "only one report can go to stdout"
  run 1 "$bin" check --format json --output junit=r.xml --output codequality=cq.json
  jq -e '.schema_version == 1' "$work/out" >/dev/null && [ -s r.xml ] && jq -e 'length > 0' cq.json >/dev/null ||
    fail "--format with several --output"
  run 2 "$bin" snapshot
  err_has "--side"
  run 2 "$bin" changes --base x
  run 2 "$bin" diff onlyone.json
  # --output through a symlink or a pipe writes through it (renaming a temporary file over /dev/stdout would
  # replace the link itself); a regular file is replaced whole
  echo old > real.json
  ln -s real.json link.json
  run 1 "$bin" check --output json=link.json
  [ -L link.json ] || fail "--output replaced the symlink"
  jq -e '.schema_version == 1' real.json >/dev/null || fail "--output did not write through the symlink"
  mkfifo pipe.json
  (jq -e '.schema_version == 1' < pipe.json > pipe.ok) &
  run 1 "$bin" check --output json=pipe.json
  wait
  [ -p pipe.json ] && [ "$(cat pipe.ok)" = true ] || fail "--output to a pipe"
  run 2 "$bin" check --output json=no-such-dir/r.json
  err_has "json report: cannot write 'no-such-dir/r.json': No such file or directory"
  ;;
cli.color)
  # the text report is coloured only when stdout is a terminal (isatty), and never with NO_COLOR
  command -v script >/dev/null || fail "script(1) (util-linux) is required for the terminal case"
  esc=$(printf '\033[')
  run 1 "$bin" check
  ! grep -qF "$esc" "$work/out" || fail "colour escapes in a report that is not on a terminal"
  (unset NO_COLOR; run 1 "$bin" check --output text=r.txt) || exit 1
  ! grep -qF "$esc" r.txt || fail "colour escapes in a report file"
  (unset NO_COLOR; script -qec "'$bin' check" /dev/null > "$work/tty" 2>&1)
  grep -qF "${esc}31mDRIFT" "$work/tty" || fail "no colour on a terminal: $(head -c 300 "$work/tty")"
  script -qec "NO_COLOR=1 '$bin' check" /dev/null > "$work/tty" 2>&1
  ! grep -qF "$esc" "$work/tty" || fail "colour on a terminal despite NO_COLOR"
  ;;
*)
  fail "unknown case"
  ;;
esac
echo "ok [$case_name]"
