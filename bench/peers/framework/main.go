// failover-peer: the benchmark's comparison provider. The failover_switch
// resource of terraform-provider-failover (same schema, validation, plan and
// apply logic) written with HashiCorp's terraform-plugin-framework and built the
// way HashiCorp ships providers, so bench/run.sh can time the two side by side.
package main

import (
	"context"
	"log"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
)

func main() {
	err := providerserver.Serve(context.Background(), newProvider, providerserver.ServeOpts{
		Address:         "registry.terraform.io/failover/failover",
		ProtocolVersion: 6,
	})
	if err != nil {
		log.Fatal(err)
	}
}
