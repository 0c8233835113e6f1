/* Route53 record sets as values for failover_weight_pair (rest-xml, API 2013-04-01). */
#include "fo_aws_route53_rrset.h"
#include "fo_aws_route53.h"
#include "fo_aws_enc.h"
#include "fo_aws_json.h"
#include "fo_aws_xml.h"
#include "fo_err.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define R53 "/2013-04-01"

static const char *const rr_lists[] = {"ResourceRecordSet", "ResourceRecord", "HealthCheckObservation", NULL};

static int rest_xml(cJSON **out, fo_aws_client *c, const fo_cancel *cancel, const char *op, const char *method,
                    const char *path, const char *query, const char *body) {
  return fo_aws_call_rest_xml(out, c, cancel, &fo_aws_svc_route53, op, method, path, query, body, rr_lists);
}

void fo_aws_route53_rrset_dispose(fo_aws_route53_rrset *r) {
  if (!r)
    return;
  free(r->name);
  free(r->type);
  free(r->set_identifier);
  for (size_t i = 0; i < r->n_values; i++)
    free(r->values[i]);
  free(r->values);
  free(r->alias_zone_id);
  free(r->alias_dns_name);
  free(r->health_check_id);
  memset(r, 0, sizeof(*r));
}

void fo_aws_route53_rrsets_free(fo_aws_route53_rrset *list, size_t n) {
  for (size_t i = 0; list && i < n; i++)
    fo_aws_route53_rrset_dispose(&list[i]);
  free(list);
}

char *fo_aws_route53_fqdn(const char *name) {
  size_t n = name ? strlen(name) : 0, j = 0;
  char *out = malloc(n + 2);
  if (!out)
    return NULL;
  for (size_t i = 0; i < n; i++) {
    /* Route53 answers "*" as "\052" (octal escapes for anything outside a-z0-9-_.). */
    if (name[i] == '\\' && i + 3 < n && isdigit((unsigned char)name[i + 1]) && isdigit((unsigned char)name[i + 2]) &&
        isdigit((unsigned char)name[i + 3])) {
      out[j++] = (char)((name[i + 1] - '0') * 64 + (name[i + 2] - '0') * 8 + (name[i + 3] - '0'));
      i += 3;
      continue;
    }
    out[j++] = (char)tolower((unsigned char)name[i]);
  }
  if (j == 0 || out[j - 1] != '.')
    out[j++] = '.';
  out[j] = '\0';
  return out;
}

static int dup_opt(char **dst, const char *s) {
  *dst = NULL;
  if (s && !(*dst = strdup(s)))
    return fo_err_oom();
  return FO_OK;
}

static long num_or(const char *s, long dflt) {
  char *end;
  long v;
  if (!s || !*s)
    return dflt;
  v = strtol(s, &end, 10);
  return *end ? dflt : v;
}

/* One <ResourceRecordSet> (as JSON) into `r`. */
static int parse_rrset(fo_aws_route53_rrset *r, const cJSON *j) {
  const cJSON *rec, *alias = fo_aws_json_get(j, "AliasTarget");
  const char *ev;
  int err;
  memset(r, 0, sizeof(*r));
  if (!(r->name = fo_aws_route53_fqdn(fo_aws_json_str(j, "Name"))))
    return fo_err_oom();
  if ((err = dup_opt(&r->type, fo_aws_json_str(j, "Type"))) < 0 ||
      (err = dup_opt(&r->set_identifier, fo_aws_json_str(j, "SetIdentifier"))) < 0 ||
      (err = dup_opt(&r->health_check_id, fo_aws_json_str(j, "HealthCheckId"))) < 0)
    return err;
  r->weight = num_or(fo_aws_json_str(j, "Weight"), -1);
  r->ttl = num_or(fo_aws_json_str(j, "TTL"), -1);
  if (alias && cJSON_IsObject(alias)) {
    if ((err = dup_opt(&r->alias_zone_id, fo_aws_json_str(alias, "HostedZoneId"))) < 0 ||
        (err = dup_opt(&r->alias_dns_name, fo_aws_json_str(alias, "DNSName"))) < 0)
      return err;
    ev = fo_aws_json_str(alias, "EvaluateTargetHealth");
    r->alias_evaluate_health = ev && strcmp(ev, "true") == 0;
  }
  cJSON_ArrayForEach(rec, fo_aws_json_list(j, "ResourceRecords")) {
    const char *v = fo_aws_json_str(rec, "Value");
    char **grown;
    if (!v)
      continue;
    if (!(grown = realloc(r->values, (r->n_values + 1) * sizeof(*grown))))
      return fo_err_oom();
    r->values = grown;
    if (!(r->values[r->n_values] = strdup(v)))
      return fo_err_oom();
    r->n_values++;
  }
  return FO_OK;
}

int fo_aws_route53_rrsets_parse(fo_aws_route53_rrset **out, size_t *n_out, const cJSON *doc) {
  fo_aws_route53_rrset *list = NULL, *grown;
  const cJSON *item;
  size_t n = 0;
  int err;
  *out = NULL;
  *n_out = 0;
  cJSON_ArrayForEach(item, fo_aws_json_list(doc, "ListResourceRecordSetsResponse/ResourceRecordSets")) {
    if (!(grown = realloc(list, (n + 1) * sizeof(*grown)))) {
      fo_aws_route53_rrsets_free(list, n);
      return fo_err_oom();
    }
    list = grown;
    if ((err = parse_rrset(&list[n], item)) < 0) {
      fo_aws_route53_rrsets_free(list, n + 1);
      return err;
    }
    n++;
  }
  *out = list;
  *n_out = n;
  return FO_OK;
}

const char *const *fo_aws_route53_rrset_list_names(void) {
  return rr_lists;
}

int fo_aws_route53_rrset_read(fo_aws_route53_rrset **out, size_t *n_out, fo_aws_client *c, const fo_cancel *cancel,
                              const char *zone_id, const char *name, const char *type) {
  fo_aws_route53_rrset *list = NULL;
  size_t n = 0;
  fo_buf path = FO_BUF_INIT, q = FO_BUF_INIT;
  cJSON *page = NULL;
  char *want = fo_aws_route53_fqdn(name), *next_ident = NULL, *page_type = NULL;
  int err = FO_OK, more = 1, pages;

  *out = NULL;
  *n_out = 0;
  if (!want)
    return fo_err_oom();
  if ((err = fo_aws_route53_id_path(&path, R53 "/hostedzone/", zone_id, "/rrset")) < 0)
    goto done;
  for (pages = 0; more && pages < 100; pages++) {
    const char *trunc, *next_name, *next_type, *ni;
    fo_buf_clear(&q);
    if ((err = fo_aws_query_add(&q, "name", want)) < 0 ||
        ((page_type || type) && (err = fo_aws_query_add(&q, "type", page_type ? page_type : type)) < 0) ||
        (err = fo_aws_query_add(&q, "maxitems", "100")) < 0 ||
        (next_ident && (err = fo_aws_query_add(&q, "identifier", next_ident)) < 0))
      goto done;
    if ((err = rest_xml(&page, c, cancel, "ListResourceRecordSets", "GET", path.data, q.data, NULL)) < 0)
      goto done;
    more = 0;
    {
      fo_aws_route53_rrset *got = NULL, *grown;
      size_t n_got = 0, i;
      int past = 0;
      if ((err = fo_aws_route53_rrsets_parse(&got, &n_got, page)) < 0)
        goto done;
      for (i = 0; i < n_got && !past; i++) {
        /* past our name/type: the listing is sorted */
        past = strcmp(got[i].name, want) != 0 || !got[i].type || (type && strcmp(got[i].type, type) != 0);
        if (past)
          break;
        if (!(grown = realloc(list, (n + 1) * sizeof(*grown)))) {
          fo_aws_route53_rrsets_free(got, n_got);
          err = fo_err_oom();
          goto done;
        }
        list = grown;
        list[n++] = got[i];
        memset(&got[i], 0, sizeof(got[i])); /* moved */
      }
      fo_aws_route53_rrsets_free(got, n_got);
      if (past)
        goto listed;
    }
    trunc = fo_aws_json_str(page, "ListResourceRecordSetsResponse/IsTruncated");
    next_name = fo_aws_json_str(page, "ListResourceRecordSetsResponse/NextRecordName");
    next_type = fo_aws_json_str(page, "ListResourceRecordSetsResponse/NextRecordType");
    ni = fo_aws_json_str(page, "ListResourceRecordSetsResponse/NextRecordIdentifier");
    if (trunc && strcmp(trunc, "true") == 0 && next_name && next_type) {
      char *nn = fo_aws_route53_fqdn(next_name);
      more = nn && strcmp(nn, want) == 0 && (!type || strcmp(next_type, type) == 0);
      free(nn);
      free(next_ident);
      free(page_type);
      next_ident = page_type = NULL;
      if (more && ((err = dup_opt(&next_ident, ni)) < 0 || (err = dup_opt(&page_type, next_type)) < 0))
        goto done;
    }
    cJSON_Delete(page);
    page = NULL;
  }
listed:
  *out = list;
  *n_out = n;
  list = NULL;
  n = 0;
done:
  fo_aws_route53_rrsets_free(list, n);
  cJSON_Delete(page);
  free(want);
  free(next_ident);
  free(page_type);
  fo_buf_dispose(&path);
  fo_buf_dispose(&q);
  return err;
}

const fo_aws_route53_rrset *fo_aws_route53_rrset_find(const fo_aws_route53_rrset *list, size_t n,
                                                      const char *set_identifier) {
  for (size_t i = 0; i < n; i++) {
    const char *s = list[i].set_identifier;
    if ((!set_identifier && !s) || (set_identifier && s && strcmp(s, set_identifier) == 0))
      return &list[i];
  }
  return NULL;
}

static int tag(fo_buf *b, const char *name, const char *value) {
  int err;
  if ((err = fo_buf_printf(b, "<%s>", name)) < 0 || (err = fo_aws_xml_escape(b, value)) < 0)
    return err;
  return fo_buf_printf(b, "</%s>", name);
}

static int change_xml(fo_buf *b, const char *action, const fo_aws_route53_rrset *r) {
  char num[32];
  int err;
  if (!action || !r || !r->name || !r->type)
    return fo_err_set(FO_EINVAL, "route53 change: action, name and type are required");
  if ((err = fo_buf_puts(b, "<Change>")) < 0 || (err = tag(b, "Action", action)) < 0 ||
      (err = fo_buf_puts(b, "<ResourceRecordSet>")) < 0 || (err = tag(b, "Name", r->name)) < 0 ||
      (err = tag(b, "Type", r->type)) < 0)
    return err;
  if (r->set_identifier && (err = tag(b, "SetIdentifier", r->set_identifier)) < 0)
    return err;
  if (r->weight >= 0) {
    snprintf(num, sizeof(num), "%ld", r->weight);
    if ((err = tag(b, "Weight", num)) < 0)
      return err;
  }
  if (r->alias_dns_name) {
    if ((err = fo_buf_puts(b, "<AliasTarget>")) < 0 ||
        (err = tag(b, "HostedZoneId", r->alias_zone_id ? r->alias_zone_id : "")) < 0 ||
        (err = tag(b, "DNSName", r->alias_dns_name)) < 0 ||
        (err = tag(b, "EvaluateTargetHealth", r->alias_evaluate_health ? "true" : "false")) < 0 ||
        (err = fo_buf_puts(b, "</AliasTarget>")) < 0)
      return err;
  } else {
    snprintf(num, sizeof(num), "%ld", r->ttl >= 0 ? r->ttl : 300);
    if ((err = tag(b, "TTL", num)) < 0 || (err = fo_buf_puts(b, "<ResourceRecords>")) < 0)
      return err;
    for (size_t i = 0; i < r->n_values; i++)
      if ((err = fo_buf_puts(b, "<ResourceRecord>")) < 0 || (err = tag(b, "Value", r->values[i])) < 0 ||
          (err = fo_buf_puts(b, "</ResourceRecord>")) < 0)
        return err;
    if ((err = fo_buf_puts(b, "</ResourceRecords>")) < 0)
      return err;
  }
  if (r->health_check_id && (err = tag(b, "HealthCheckId", r->health_check_id)) < 0)
    return err;
  return fo_buf_puts(b, "</ResourceRecordSet></Change>");
}

static void copy_out(char *dst, size_t len, const char *src) {
  if (dst && len)
    snprintf(dst, len, "%s", src ? src : "");
}

int fo_aws_route53_rrset_change_batch(fo_aws_client *c, const fo_cancel *cancel, const char *zone_id,
                                      const fo_aws_route53_rrset_change *changes, size_t n, const char *comment,
                                      char *change_id, size_t change_id_len, char *status, size_t status_len) {
  fo_buf path = FO_BUF_INIT, body = FO_BUF_INIT;
  cJSON *doc = NULL;
  const char *id, *st;
  int err;

  copy_out(change_id, change_id_len, NULL);
  copy_out(status, status_len, NULL);
  if (n == 0)
    return fo_err_set(FO_EINVAL, "route53 ChangeResourceRecordSets: no changes");
  if ((err = fo_aws_route53_id_path(&path, R53 "/hostedzone/", zone_id, "/rrset/")) < 0)
    goto done;
  if ((err = fo_buf_puts(&body,
                         "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                         "<ChangeResourceRecordSetsRequest xmlns=\"https://route53.amazonaws.com/doc/2013-04-01/\">"
                         "<ChangeBatch>")) < 0 ||
      (comment && (err = tag(&body, "Comment", comment)) < 0) || (err = fo_buf_puts(&body, "<Changes>")) < 0)
    goto done;
  for (size_t i = 0; i < n; i++)
    if ((err = change_xml(&body, changes[i].action, changes[i].rrset)) < 0)
      goto done;
  if ((err = fo_buf_puts(&body, "</Changes></ChangeBatch></ChangeResourceRecordSetsRequest>")) < 0)
    goto done;
  if ((err = rest_xml(&doc, c, cancel, "ChangeResourceRecordSets", "POST", path.data, NULL, body.data)) < 0)
    goto done;
  id = fo_aws_json_str(doc, "ChangeResourceRecordSetsResponse/ChangeInfo/Id");
  st = fo_aws_json_str(doc, "ChangeResourceRecordSetsResponse/ChangeInfo/Status");
  if (!id || !st) {
    err = fo_err_set(FO_EINVAL, "route53 ChangeResourceRecordSets: response has no ChangeInfo");
    goto done;
  }
  copy_out(change_id, change_id_len, fo_aws_route53_bare_id(id));
  copy_out(status, status_len, st);
done:
  cJSON_Delete(doc);
  fo_buf_dispose(&path);
  fo_buf_dispose(&body);
  return err;
}

int fo_aws_route53_change_status(fo_aws_client *c, const fo_cancel *cancel, const char *change_id, char *status,
                                 size_t status_len) {
  fo_buf path = FO_BUF_INIT;
  cJSON *doc = NULL;
  const char *st;
  int err;
  copy_out(status, status_len, NULL);
  if ((err = fo_aws_route53_id_path(&path, R53 "/change/", change_id, "")) < 0)
    goto done;
  if ((err = rest_xml(&doc, c, cancel, "GetChange", "GET", path.data, NULL, NULL)) < 0)
    goto done;
  if (!(st = fo_aws_json_str(doc, "GetChangeResponse/ChangeInfo/Status"))) {
    err = fo_err_set(FO_EINVAL, "route53 GetChange: response has no ChangeInfo/Status");
    goto done;
  }
  copy_out(status, status_len, st);
done:
  cJSON_Delete(doc);
  fo_buf_dispose(&path);
  return err;
}

int fo_aws_route53_health_check_status(fo_aws_client *c, const fo_cancel *cancel, const char *health_check_id,
                                       int *healthy, char *status, size_t status_len) {
  fo_buf path = FO_BUF_INIT;
  cJSON *doc = NULL;
  const cJSON *obs;
  const char *first_failure = NULL;
  int err, total = 0, ok = 0;

  *healthy = 0;
  copy_out(status, status_len, NULL);
  if ((err = fo_aws_route53_id_path(&path, R53 "/healthcheck/", health_check_id, "/status")) < 0)
    goto done;
  if ((err = rest_xml(&doc, c, cancel, "GetHealthCheckStatus", "GET", path.data, NULL, NULL)) < 0)
    goto done;
  cJSON_ArrayForEach(obs, fo_aws_json_list(doc, "GetHealthCheckStatusResponse/HealthCheckObservations")) {
    const char *s = fo_aws_json_str(obs, "StatusReport/Status");
    total++;
    if (s && strncmp(s, "Success", 7) == 0)
      ok++;
    else if (!first_failure)
      first_failure = s ? s : "no status report";
  }
  /* Route53 counts a check healthy when more than 18% of its checkers say so. */
  *healthy = total > 0 && ok * 100 > total * 18;
  if (*healthy || !first_failure)
    snprintf(status, status_len, "%s (%d/%d checkers report success)", *healthy ? "healthy" : "unhealthy", ok, total);
  else
    snprintf(status, status_len, "unhealthy (%d/%d checkers report success): %s", ok, total, first_failure);
done:
  cJSON_Delete(doc);
  fo_buf_dispose(&path);
  return err;
}

int fo_aws_route53_zone_name(char **out, fo_aws_client *c, const fo_cancel *cancel, const char *zone_id) {
  fo_buf path = FO_BUF_INIT;
  cJSON *doc = NULL;
  const char *name;
  int err;
  *out = NULL;
  if ((err = fo_aws_route53_id_path(&path, R53 "/hostedzone/", zone_id, "")) < 0)
    goto done;
  if ((err = rest_xml(&doc, c, cancel, "GetHostedZone", "GET", path.data, NULL, NULL)) < 0)
    goto done;
  if (!(name = fo_aws_json_str(doc, "GetHostedZoneResponse/HostedZone/Name"))) {
    err = fo_err_set(FO_EINVAL, "route53 GetHostedZone: response has no HostedZone/Name");
    goto done;
  }
  if (!(*out = fo_aws_route53_fqdn(name)))
    err = fo_err_oom();
done:
  cJSON_Delete(doc);
  fo_buf_dispose(&path);
  return err;
}
