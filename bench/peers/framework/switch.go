package main

import (
	"context"
	"crypto/rand"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// failover_switch, as provider/resources/switch.c.
type switchResource struct{}

type switchModel struct {
	ID         types.String `tfsdk:"id"`
	Active     types.String `tfsdk:"active"`
	Reason     types.String `tfsdk:"reason"`
	SwitchedAt types.String `tfsdk:"switched_at"`
	Previous   types.String `tfsdk:"previous"`
	Generation types.Number `tfsdk:"generation"`
}

func newSwitch() resource.Resource { return &switchResource{} }

var (
	_ resource.ResourceWithModifyPlan       = &switchResource{}
	_ resource.ResourceWithImportState      = &switchResource{}
	_ resource.ResourceWithConfigValidators = &switchResource{}
)

func (r *switchResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_switch"
}

// oneOf and lengthBetween: the two validators the C provider uses
// (terraform-plugin-framework-validators has them; inline here to keep one module).
type oneOf []string

func (v oneOf) Description(context.Context) string             { return fmt.Sprintf("one of %q", []string(v)) }
func (v oneOf) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }
func (v oneOf) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	for _, s := range v {
		if req.ConfigValue.ValueString() == s {
			return
		}
	}
	resp.Diagnostics.AddAttributeError(req.Path, "Invalid Attribute Value",
		fmt.Sprintf("Attribute %s value must be one of: %q, got: %q", req.Path, []string(v), req.ConfigValue.ValueString()))
}

type lengthBetween struct{ min, max int }

func (v lengthBetween) Description(context.Context) string {
	return fmt.Sprintf("length between %d and %d", v.min, v.max)
}
func (v lengthBetween) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }
func (v lengthBetween) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if n := len(req.ConfigValue.ValueString()); n < v.min || n > v.max {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid Attribute Value Length",
			fmt.Sprintf("Attribute %s string length must be between %d and %d, got: %d", req.Path, v.min, v.max, n))
	}
}

func (r *switchResource) ConfigValidators(context.Context) []resource.ConfigValidator { return nil }

func (r *switchResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		Description: "The recorded decision of which side of the disaster-recovery pair is active.",
		MarkdownDescription: "The recorded decision of which side of the disaster-recovery pair is active. DR resources " +
			"take their mode from it, so Terraform orders the activation steps after it.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed:      true,
				Description:   "Identifier of this switch record, generated on create.",
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"active": schema.StringAttribute{
				Required:    true,
				Description: "The side that is active: \"primary\" or \"secondary\".",
				MarkdownDescription: "The side that is active: `\"primary\"` or `\"secondary\"`. Changing it is a switch " +
					"(in-place update) and needs a new `reason`.",
				Validators: []validator.String{oneOf{"primary", "secondary"}},
			},
			"reason": schema.StringAttribute{
				Required:    true,
				Description: "Why the active side is what it is; a switch needs a new reason.",
				MarkdownDescription: "Why the active side is what it is (for the audit trail). A change of `active` must " +
					"come with a new `reason`, otherwise planning fails.",
				Validators: []validator.String{lengthBetween{1, 1024}},
			},
			"switched_at": schema.StringAttribute{
				Computed:    true,
				Description: "When the active side last changed (RFC 3339, UTC). Unknown in plans that switch.",
				MarkdownDescription: "When the active side last changed (RFC 3339, UTC, e.g. `2026-11-25T17:00:00Z`). Known " +
					"and unchanged in plans that do not change `active`, unknown in plans that do.",
			},
			"previous": schema.StringAttribute{
				Computed:            true,
				Description:         "The side that was active before the last switch; null until the first switch.",
				MarkdownDescription: "The side that was active before the last switch; `null` until the first switch.",
			},
			"generation": schema.NumberAttribute{
				Computed:            true,
				Description:         "1 on create, incremented by each switch.",
				MarkdownDescription: "`1` on create, incremented by each switch.",
			},
		},
	}
}

func genOf(v types.Number) int64 {
	if v.IsNull() || v.IsUnknown() {
		return 0
	}
	g, _ := v.ValueBigFloat().Int64()
	return g
}

func (r *switchResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return // destroy
	}
	var plan, config switchModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if req.State.Raw.IsNull() {
		plan.Previous = types.StringNull()
		plan.Generation = types.NumberValue(bigInt(1))
		resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
		return
	}
	var prior switchModel
	resp.Diagnostics.Append(req.State.Get(ctx, &prior)...)
	if resp.Diagnostics.HasError() {
		return
	}
	plan.ID = prior.ID
	switch {
	case config.Active.IsUnknown() || config.Active.IsNull():
		plan.SwitchedAt = types.StringUnknown()
		plan.Previous = types.StringUnknown()
		plan.Generation = types.NumberUnknown()
	case !prior.Active.IsNull() && !prior.Active.IsUnknown() && prior.Active.ValueString() == config.Active.ValueString():
		plan.SwitchedAt = prior.SwitchedAt
		plan.Previous = prior.Previous
		plan.Generation = prior.Generation
	default:
		if !config.Reason.IsUnknown() && !config.Reason.IsNull() && !prior.Reason.IsNull() &&
			config.Reason.ValueString() == prior.Reason.ValueString() {
			from := "(none)"
			if !prior.Active.IsNull() {
				from = prior.Active.ValueString()
			}
			resp.Diagnostics.AddAttributeError(path.Root("reason"), "A switch needs a new reason",
				fmt.Sprintf("active changes from %q to %q but reason is still %q; say why this switch happens "+
					"(the reason is recorded with the switch)", from, config.Active.ValueString(), config.Reason.ValueString()))
		}
		plan.SwitchedAt = types.StringUnknown()
		if prior.Active.IsNull() || prior.Active.IsUnknown() {
			plan.Previous = types.StringNull()
		} else {
			plan.Previous = prior.Active
		}
		plan.Generation = types.NumberValue(bigInt(genOf(prior.Generation) + 1))
	}
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
}

func newID() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return fmt.Sprintf("fs-%x", b)
}

func now() string { return time.Now().UTC().Format("2006-01-02T15:04:05Z") }

// fillUnknowns: as fill_unknowns in switch.c.
func fillUnknowns(state *switchModel, prior *switchModel) {
	havePrior := prior != nil
	switched := !havePrior || state.Active.IsNull() || prior.Active.IsNull() ||
		state.Active.ValueString() != prior.Active.ValueString()
	var g int64
	if havePrior {
		g = genOf(prior.Generation)
	}
	if state.ID.IsUnknown() {
		if havePrior {
			state.ID = prior.ID
		} else {
			state.ID = types.StringValue(newID())
		}
	}
	if state.SwitchedAt.IsUnknown() {
		if switched {
			state.SwitchedAt = types.StringValue(now())
		} else {
			state.SwitchedAt = prior.SwitchedAt
		}
	}
	if state.Previous.IsUnknown() {
		switch {
		case !switched:
			state.Previous = prior.Previous
		case havePrior && !prior.Active.IsNull():
			state.Previous = prior.Active
		default:
			state.Previous = types.StringNull()
		}
	}
	if state.Generation.IsUnknown() {
		switch {
		case switched:
			g++
		case g == 0:
			g = 1
		}
		state.Generation = types.NumberValue(bigInt(g))
	}
}

func (r *switchResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan switchModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	fillUnknowns(&plan, nil)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *switchResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state switchModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *switchResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, prior switchModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &prior)...)
	if resp.Diagnostics.HasError() {
		return
	}
	fillUnknowns(&plan, &prior)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *switchResource) Delete(context.Context, resource.DeleteRequest, *resource.DeleteResponse) {}

func (r *switchResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	if req.ID != "primary" && req.ID != "secondary" {
		resp.Diagnostics.AddError("Invalid import ID",
			fmt.Sprintf("'%s' is not a side; import a failover_switch by its active side: \"primary\" or \"secondary\"", req.ID))
		return
	}
	st := switchModel{
		ID: types.StringValue(newID()), Active: types.StringValue(req.ID), Reason: types.StringValue("imported"),
		SwitchedAt: types.StringValue(now()), Previous: types.StringNull(), Generation: types.NumberValue(bigInt(1)),
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &st)...)
}
