package main

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
)

type failoverProvider struct{}

func newProvider() provider.Provider { return &failoverProvider{} }

func (p *failoverProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "failover"
	resp.Version = "bench"
}

func (p *failoverProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{Description: "Benchmark peer of the failover provider."}
}

func (p *failoverProvider) Configure(context.Context, provider.ConfigureRequest, *provider.ConfigureResponse) {
}

func (p *failoverProvider) Resources(context.Context) []func() resource.Resource {
	return []func() resource.Resource{newSwitch}
}

func (p *failoverProvider) DataSources(context.Context) []func() datasource.DataSource { return nil }
