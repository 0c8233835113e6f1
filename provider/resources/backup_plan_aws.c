/* failover_backup_replication_plan against AWS Backup: create (plan, then
 * selection, partial state between), update, read with drift, destroy, import. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backup_plan.h"
#include "fo_aws_backup.h"
#include "fo_aws_json.h"
#include "fo_err.h"
#include "fo_provider.h"
#include "fo_timeouts.h"

#define DEFAULT_TIMEOUT_S (5 * 60)

/* ---- helpers ---------------------------------------------------------------------- */

/* A token for one operation: the call's, bounded by the `op` timeout. */
static int op_token(fo_call *c, const fo_cty_value *obj, const char *op, fo_cancel **out) {
  int err = fo_cancel_new(out, c->cancel);
  if (err < 0)
    return err;
  fo_cancel_set_deadline(*out, fo_cancel_mono_ms() + fo_timeouts_seconds(obj, op, DEFAULT_TIMEOUT_S) * 1000);
  return FO_OK;
}

static fo_cty_value *time_value(double at) {
  char buf[32];
  fo_bp_rfc3339(at, buf);
  return fo_cty_string_z(buf);
}

static int set_str_or_null(fo_cty_value **obj, const char *name, const char *s) {
  return s ? fo_object_set_string(obj, name, s) : fo_object_set(obj, name, fo_object_null_attr(*obj, name));
}

/* A whole number from an AWS answer; anything else (absent, fractional, out of
 * int64 range) is null, so the plan shows the configured value again. */
static int set_num_or_null(fo_cty_value **obj, const char *name, const cJSON *n) {
  double v = cJSON_IsNumber(n) ? n->valuedouble : NAN;
  if (!(v >= -9.0e15 && v <= 9.0e15) || v != floor(v))
    return fo_object_set(obj, name, fo_object_null_attr(*obj, name));
  return fo_object_set(obj, name, fo_cty_number_int((int64_t)v));
}

/* last_recovery_point_at, last_copy_at and rpo_hours from AWS; a read that
 * fails keeps what `obj` holds (made null when unknown) with a warning. */
static int fill_fresh(fo_call *c, const fo_cancel *cancel, fo_cty_value **obj) {
  fo_bp_fresh f;
  double now = (double)fo_clock_wall(c->clock);
  int error = FO_OK;
  fo_bp_read_fresh(c, cancel, *obj, &f);
  if (f.point_err >= 0)
    error = f.point_at >= 0
                ? fo_object_set(obj, "last_recovery_point_at", time_value(f.point_at))
                : fo_object_set(obj, "last_recovery_point_at", fo_object_null_attr(*obj, "last_recovery_point_at"));
  if (error >= 0 && f.copy_err >= 0) {
    if (f.copy_at >= 0) {
      double h = floor((now - f.copy_at) / 3600);
      if ((error = fo_object_set(obj, "last_copy_at", time_value(f.copy_at))) >= 0)
        error = fo_object_set(obj, "rpo_hours", fo_cty_number_int(h > 0 ? (int64_t)h : 0));
    } else if ((error = fo_object_set(obj, "last_copy_at", fo_object_null_attr(*obj, "last_copy_at"))) >= 0) {
      error = fo_object_set(obj, "rpo_hours", fo_object_null_attr(*obj, "rpo_hours"));
    }
  }
  if (f.point_err < 0 || f.copy_err < 0)
    fo_diags_warning(c->diags, NULL, "Backup freshness not read",
                     "cannot read the %s vault's recovery points; last_recovery_point_at, last_copy_at and rpo_hours "
                     "keep their last values",
                     f.point_err < 0 ? "source" : "destination");
  for (const char *const *n = (const char *const[]){"last_recovery_point_at", "last_copy_at", "rpo_hours", NULL};
       error >= 0 && *n; n++)
    if (!fo_cty_is_known(fo_cty_get_attr(*obj, *n)))
      error = fo_object_set(obj, *n, fo_object_null_attr(*obj, *n));
  return error;
}

static fo_aws_client *primary(fo_call *c) {
  return fo_call_aws(c, FO_SIDE_PRIMARY);
}

/* A new selection for the plan in `state`; sets selection_id. */
static int create_selection(fo_call *c, const fo_cancel *cancel, fo_aws_client *aws, fo_cty_value **state) {
  cJSON *doc = fo_bp_selection_doc(*state), *out = NULL;
  const char *plan_id = fo_bp_str(*state, "id");
  int err;
  if (!doc)
    return fo_err_oom();
  err = fo_aws_backup_create_backup_selection(&out, aws, cancel, plan_id, doc, NULL);
  cJSON_Delete(doc);
  if (err < 0) {
    fo_diags_error(c->diags, NULL, "Backup selection not created",
                   "backup plan %s exists, but creating its selection failed: %s. The plan is kept in the state "
                   "(selection_id = null) and the next apply creates the selection.",
                   plan_id, fo_err_last());
    return err;
  }
  err = set_str_or_null(state, "selection_id", fo_aws_json_str(out, "SelectionId"));
  cJSON_Delete(out);
  return err;
}

/* The partial state after a failed selection: what is still unknown made concrete. */
static int settle(fo_call *c, const fo_cancel *cancel, fo_cty_value **state) {
  int error;
  if (!fo_cty_is_known(fo_cty_get_attr(*state, "selection_id")) &&
      (error = fo_object_set(state, "selection_id", fo_object_null_attr(*state, "selection_id"))) < 0)
    return error;
  return fill_fresh(c, cancel, state);
}

/* ---- create / update ---------------------------------------------------------------- */

int fo_bp_create(fo_call *c, const fo_cty_value *planned, const fo_cty_value *config, fo_cty_value **out) {
  fo_cty_value *state = fo_cty_value_ref(planned);
  fo_aws_client *aws = primary(c);
  fo_cancel *tok = NULL;
  cJSON *doc = NULL, *made = NULL;
  int error;
  (void)config;

  *out = NULL;
  if (!aws) {
    error = FO_EINVAL;
    goto fail;
  }
  if ((error = op_token(c, planned, "create", &tok)) < 0)
    goto fail;
  if (!(doc = fo_bp_plan_doc(planned))) {
    error = fo_err_oom();
    goto fail;
  }
  if ((error = fo_aws_backup_create_backup_plan(&made, aws, tok, doc, NULL)) < 0)
    goto fail;
  if ((error = set_str_or_null(&state, "id", fo_aws_json_str(made, "BackupPlanId"))) < 0 ||
      (error = set_str_or_null(&state, "arn", fo_aws_json_str(made, "BackupPlanArn"))) < 0 ||
      (error = set_str_or_null(&state, "version_id", fo_aws_json_str(made, "VersionId"))) < 0)
    goto fail;
  /* The plan exists from here: any failure returns it as partial state. */
  if ((error = create_selection(c, tok, aws, &state)) < 0) {
    if (settle(c, tok, &state) >= 0) {
      *out = state;
      state = NULL;
    }
    goto fail;
  }
  if ((error = fill_fresh(c, tok, &state)) < 0)
    goto fail;
  *out = state;
  state = NULL;
fail:
  cJSON_Delete(doc);
  cJSON_Delete(made);
  fo_cancel_free(tok);
  fo_cty_value_unref(state);
  return error;
}

int fo_bp_update(fo_call *c, const fo_cty_value *prior, const fo_cty_value *planned, const fo_cty_value *config,
                 fo_cty_value **out) {
  fo_cty_value *state = fo_cty_value_ref(planned);
  fo_aws_client *aws = primary(c);
  fo_cancel *tok = NULL;
  cJSON *doc = NULL, *made = NULL;
  const char *plan_id = fo_bp_str(prior, "id"), *old_sel = fo_bp_str(prior, "selection_id");
  int error;
  (void)config;

  *out = NULL;
  if (!aws) {
    error = FO_EINVAL;
    goto fail;
  }
  if ((error = op_token(c, planned, "update", &tok)) < 0)
    goto fail;
  if (!fo_cty_is_known(fo_cty_get_attr(planned, "version_id"))) {
    if (!(doc = fo_bp_plan_doc(planned))) {
      error = fo_err_oom();
      goto fail;
    }
    if ((error = fo_aws_backup_update_backup_plan(&made, aws, tok, plan_id, doc)) < 0)
      goto fail;
    if ((error = set_str_or_null(&state, "version_id", fo_aws_json_str(made, "VersionId"))) < 0)
      goto fail;
  }
  /* From here the plan document is what the state says: a failure keeps it. */
  if (!fo_cty_is_known(fo_cty_get_attr(planned, "selection_id"))) {
    if (old_sel) {
      error = fo_aws_backup_delete_backup_selection(aws, tok, plan_id, old_sel);
      if (error < 0 && !fo_bp_not_found(error))
        goto partial;
      if ((error = fo_object_set(&state, "selection_id", fo_object_null_attr(state, "selection_id"))) < 0)
        goto partial;
    }
    if ((error = create_selection(c, tok, aws, &state)) < 0)
      goto partial;
  }
  /* The plan kept what the refresh read unless vaults or resources changed:
   * a value known in the plan must come back unchanged. */
  if (!fo_cty_is_known(fo_cty_get_attr(planned, "last_copy_at")) && (error = fill_fresh(c, tok, &state)) < 0)
    goto fail;
  *out = state;
  state = NULL;
  goto fail;
partial:
  if (settle(c, tok, &state) >= 0) {
    *out = state;
    state = NULL;
  }
fail:
  cJSON_Delete(doc);
  cJSON_Delete(made);
  fo_cancel_free(tok);
  fo_cty_value_unref(state);
  return error;
}

/* ---- read ------------------------------------------------------------------------- */

/* The plan's copy rule: the one named FO_BP_RULE_NAME, else the first. */
static const cJSON *our_rule(const cJSON *plan) {
  const cJSON *rules = fo_aws_json_get(plan, "BackupPlan/Rules"), *r;
  cJSON_ArrayForEach(r, rules) {
    const char *n = fo_aws_json_str(r, "RuleName");
    if (n && strcmp(n, FO_BP_RULE_NAME) == 0)
      return r;
  }
  return cJSON_GetArrayItem(rules, 0);
}

int fo_bp_state_from_plan(fo_cty_value **state, const cJSON *got) {
  const cJSON *rule = our_rule(got), *copy = cJSON_GetArrayItem(fo_aws_json_get(rule, "CopyActions"), 0);
  int error;
  if ((error = set_str_or_null(state, "id", fo_aws_json_str(got, "BackupPlanId"))) < 0 ||
      (error = set_str_or_null(state, "arn", fo_aws_json_str(got, "BackupPlanArn"))) < 0 ||
      (error = set_str_or_null(state, "version_id", fo_aws_json_str(got, "VersionId"))) < 0 ||
      (error = set_str_or_null(state, "name", fo_aws_json_str(got, "BackupPlan/BackupPlanName"))) < 0 ||
      (error = set_str_or_null(state, "source_vault_name", fo_aws_json_str(rule, "TargetBackupVaultName"))) < 0 ||
      (error = set_str_or_null(state, "schedule", fo_aws_json_str(rule, "ScheduleExpression"))) < 0 ||
      (error = set_num_or_null(state, "start_window_minutes", fo_aws_json_get(rule, "StartWindowMinutes"))) < 0 ||
      (error = set_num_or_null(state, "completion_window_minutes", fo_aws_json_get(rule, "CompletionWindowMinutes"))) <
          0 ||
      (error = set_num_or_null(state, "retention_days", fo_aws_json_get(rule, "Lifecycle/DeleteAfterDays"))) < 0 ||
      (error = set_str_or_null(state, "destination_vault_arn", fo_aws_json_str(copy, "DestinationBackupVaultArn"))) < 0)
    return error;
  /* A copy action without a lifecycle keeps copies for ever: null here, so the plan puts it back. */
  return set_num_or_null(state, "copy_retention_days", fo_aws_json_get(copy, "Lifecycle/DeleteAfterDays"));
}

int fo_bp_state_from_selection(fo_cty_value **state, const cJSON *sel) {
  const cJSON *res = fo_aws_json_get(sel, "BackupSelection/Resources"), *r;
  size_t n = (size_t)cJSON_GetArraySize(res), i = 0;
  fo_cty_value **elems = n ? calloc(n, sizeof(*elems)) : NULL, *set;
  fo_cty_type *st = fo_cty_type_string();
  int error;
  if (n && !elems) {
    fo_cty_type_unref(st);
    return fo_err_oom();
  }
  cJSON_ArrayForEach(r, res) {
    if (cJSON_IsString(r) && i < n)
      elems[i++] = fo_cty_string_z(r->valuestring);
  }
  set = fo_cty_set(st, i, elems);
  free(elems);
  fo_cty_type_unref(st);
  if ((error = fo_object_set(state, "resources", set)) < 0)
    return error;
  return set_str_or_null(state, "iam_role_arn", fo_aws_json_str(sel, "BackupSelection/IamRoleArn"));
}

/* Everything in `state` refreshed from AWS; *out NULL when the plan is gone. */
static int refresh(fo_call *c, const fo_cty_value *state, fo_cty_value **out) {
  fo_aws_client *aws = primary(c);
  const char *plan_id = fo_bp_str(state, "id"), *sel_id = fo_bp_str(state, "selection_id");
  cJSON *got = NULL, *sel = NULL;
  fo_cty_value *next = NULL;
  int error;

  *out = NULL;
  if (!aws)
    return FO_EINVAL;
  if (!plan_id)
    return fo_err_set(FO_EINVAL, "the state has no backup plan id");
  if ((error = fo_aws_backup_get_backup_plan(&got, aws, c->cancel, plan_id)) < 0) {
    if (fo_bp_not_found(error))
      error = FO_OK; /* gone: Terraform plans it again */
    goto done;
  }
  if (fo_aws_json_get(got, "DeletionDate")) /* AWS answers for deleted plans too: gone */
    goto done;
  next = fo_cty_value_ref(state);
  if ((error = fo_bp_state_from_plan(&next, got)) < 0)
    goto done;
  if (sel_id) {
    if ((error = fo_aws_backup_get_backup_selection(&sel, aws, c->cancel, plan_id, sel_id)) < 0) {
      if (!fo_bp_not_found(error))
        goto done;
      /* Deleted behind our back: null, so the next plan creates it again. */
      error = fo_object_set(&next, "selection_id", fo_object_null_attr(next, "selection_id"));
    } else {
      error = fo_bp_state_from_selection(&next, sel);
    }
    if (error < 0)
      goto done;
  }
  error = fill_fresh(c, c->cancel, &next);
done:
  cJSON_Delete(got);
  cJSON_Delete(sel);
  if (error < 0 || !next) {
    fo_cty_value_unref(next);
    return error;
  }
  *out = next;
  return FO_OK;
}

int fo_bp_read(fo_call *c, const fo_cty_value *state, fo_cty_value **out) {
  return refresh(c, state, out);
}

/* ---- destroy ---------------------------------------------------------------------- */

int fo_bp_destroy(fo_call *c, const fo_cty_value *prior) {
  fo_aws_client *aws = primary(c);
  fo_cancel *tok = NULL;
  cJSON *gone = NULL;
  const char *plan_id = fo_bp_str(prior, "id"), *sel_id = fo_bp_str(prior, "selection_id");
  int error;

  if (!plan_id)
    return FO_OK;
  if (!aws)
    return FO_EINVAL;
  if ((error = op_token(c, prior, "delete", &tok)) < 0)
    return error;
  /* AWS refuses to delete a plan that still has selections: ours goes first. */
  if (sel_id && (error = fo_aws_backup_delete_backup_selection(aws, tok, plan_id, sel_id)) < 0 &&
      !fo_bp_not_found(error))
    goto done;
  error = fo_aws_backup_delete_backup_plan(&gone, aws, tok, plan_id);
  if (error < 0 && fo_bp_not_found(error))
    error = FO_OK;
done:
  cJSON_Delete(gone);
  fo_cancel_free(tok);
  return error;
}

/* ---- import ---------------------------------------------------------------------- */

int fo_bp_import(fo_call *c, const char *id, fo_cty_value **out) {
  fo_aws_client *aws = primary(c);
  fo_cty_value *state = NULL, *refreshed = NULL;
  cJSON *sels = NULL;
  int error;

  *out = NULL;
  if (!*id || strlen(id) > 200 || strchr(id, '/') || strchr(id, ':')) {
    fo_diags_error(c->diags, NULL, "Invalid import ID",
                   "import a failover_backup_replication_plan by its backup plan id (e.g. "
                   "\"0d4c8e2a-1f5b-4e7c-9a3d-6b2f8c1e5a70\"), not an ARN or a name");
    return FO_EINVAL;
  }
  if (!aws)
    return FO_EINVAL;
  if (!(state = fo_schema_empty_value(&fo_bp_schema.block)))
    return fo_err_oom();
  if ((error = fo_object_set_string(&state, "id", id)) < 0 ||
      (error = fo_object_set(&state, "max_copy_age_hours", fo_cty_number_int(26))) < 0)
    goto done;
  /* The plan's first selection is ours (the resource makes exactly one). */
  if ((error = fo_aws_backup_list_backup_selections(&sels, aws, c->cancel, id)) < 0) {
    if (fo_bp_not_found(error))
      fo_diags_error(c->diags, NULL, "Cannot import", "there is no backup plan %s in %s", id,
                     fo_provider_region(c->provider, FO_SIDE_PRIMARY));
    goto done;
  }
  if (fo_aws_json_str(cJSON_GetArrayItem(sels, 0), "SelectionId") &&
      (error = fo_object_set_string(&state, "selection_id",
                                    fo_aws_json_str(cJSON_GetArrayItem(sels, 0), "SelectionId"))) < 0)
    goto done;
  if ((error = refresh(c, state, &refreshed)) < 0)
    goto done;
  if (!refreshed) {
    fo_diags_error(c->diags, NULL, "Cannot import", "backup plan %s does not exist (or was deleted)", id);
    error = FO_EINVAL;
    goto done;
  }
  *out = refreshed;
done:
  cJSON_Delete(sels);
  fo_cty_value_unref(state);
  return error;
}
