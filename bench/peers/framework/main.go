package main

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
)

func main() {
	_ = providerserver.Serve(context.Background(), New, providerserver.ServeOpts{Address: "registry.terraform.io/failover/failover", ProtocolVersion: 6})
}
