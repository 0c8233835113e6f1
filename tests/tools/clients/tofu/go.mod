// Tools module that builds the OpenTofu CLI used by the e2e tests.
// OpenTofu's own go.mod carries a replace for hcl, which `go install pkg@version`
// refuses, so this module requires it and repeats the replace (see
// scripts/build-clients.sh). Keep the tag, the go line, the godebug line and the
// replace in step with github.com/opentofu/opentofu@<tag>/go.mod.
module failover.local/tests/tools/clients/tofu

go 1.24.13

godebug tlsmlkem=0

tool github.com/opentofu/opentofu/cmd/tofu

require github.com/opentofu/opentofu v1.10.10

replace github.com/hashicorp/hcl/v2 => github.com/opentofu/hcl/v2 v2.20.2-0.20251021132045-587d123c2828
