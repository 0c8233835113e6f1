// Tools module that builds the HashiCorp Terraform CLI used by the e2e tests.
// v1.8.x is the last line without local-path replaces, so it builds from the
// module proxy; a module of ours (rather than `go install @v`) keeps a committed
// go.sum. Keep the tag and go line in step with hashicorp/terraform@<tag>/go.mod.
module failover.local/tests/tools/clients/terraform

go 1.24

// upstream says go 1.22.0; the tool directive needs 1.24, so keep 1.22's
// runtime behaviour explicitly
godebug default=go1.22

tool github.com/hashicorp/terraform

require github.com/hashicorp/terraform v1.8.5
