/* Route53 (rest-xml, API 2013-04-01). */
#include "fo_aws_route53.h"
#include "fo_aws_route53_rrset.h"
#include "fo_aws_enc.h"
#include "fo_aws_json.h"
#include "fo_aws_wait.h"
#include "fo_aws_xml.h"
#include "fo_err.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define R53 "/2013-04-01"

static const char *const r53_lists[] = {"HostedZone", "ResourceRecordSet", "ResourceRecord", NULL};

const char *fo_aws_route53_bare_id(const char *id) {
  const char *slash = id ? strrchr(id, '/') : NULL;
  return slash ? slash + 1 : id;
}

int fo_aws_route53_id_path(fo_buf *b, const char *fmt_prefix, const char *id, const char *suffix) {
  int err;
  if (!id || !*fo_aws_route53_bare_id(id))
    return fo_err_set(FO_EINVAL, "route53: empty id");
  if ((err = fo_buf_puts(b, fmt_prefix)) < 0 ||
      (err = fo_aws_uri_encode(b, fo_aws_route53_bare_id(id), strlen(fo_aws_route53_bare_id(id)), 0)) < 0)
    return err;
  return fo_buf_puts(b, suffix);
}

int fo_aws_route53_list_hosted_zones(cJSON **out_array, fo_aws_client *c, const fo_cancel *cancel) {
  cJSON *all = cJSON_CreateArray(), *page = NULL;
  fo_buf q = FO_BUF_INIT;
  char *marker = NULL;
  int pages, err = 0;

  *out_array = NULL;
  if (!all)
    return fo_err_oom();
  for (pages = 0; pages < 1000; pages++) {
    const char *trunc, *next;
    fo_buf_clear(&q);
    if ((err = fo_aws_query_add(&q, "maxitems", "100")) < 0 ||
        (marker && (err = fo_aws_query_add(&q, "marker", marker)) < 0))
      goto done;
    if ((err = fo_aws_call_rest_xml(&page, c, cancel, &fo_aws_svc_route53, "ListHostedZones", "GET", R53 "/hostedzone",
                                    q.data, NULL, r53_lists)) < 0)
      goto done;
    fo_aws_json_array_move(all, fo_aws_json_get(page, "ListHostedZonesResponse/HostedZones"));
    trunc = fo_aws_json_str(page, "ListHostedZonesResponse/IsTruncated");
    next = fo_aws_json_str(page, "ListHostedZonesResponse/NextMarker");
    free(marker);
    marker = trunc && strcmp(trunc, "true") == 0 && next ? strdup(next) : NULL;
    cJSON_Delete(page);
    page = NULL;
    if (!marker)
      break;
  }
  *out_array = all;
  all = NULL;
done:
  cJSON_Delete(all);
  cJSON_Delete(page);
  free(marker);
  fo_buf_dispose(&q);
  return err;
}

int fo_aws_route53_list_resource_record_sets(cJSON **out_array, fo_aws_client *c, const fo_cancel *cancel,
                                             const char *zone_id, const char *start_name, const char *start_type) {
  cJSON *all = cJSON_CreateArray(), *page = NULL;
  fo_buf path = FO_BUF_INIT, q = FO_BUF_INIT;
  char *name = start_name ? strdup(start_name) : NULL;
  char *type = start_type ? strdup(start_type) : NULL;
  char *ident = NULL;
  int pages, err = 0;

  *out_array = NULL;
  if (!all) {
    err = fo_err_oom();
    goto done;
  }
  if ((err = fo_aws_route53_id_path(&path, R53 "/hostedzone/", zone_id, "/rrset")) < 0)
    goto done;
  for (pages = 0; pages < 1000; pages++) {
    const char *trunc, *v;
    fo_buf_clear(&q);
    if ((err = fo_aws_query_add(&q, "maxitems", "300")) < 0 ||
        (name && (err = fo_aws_query_add(&q, "name", name)) < 0) ||
        (type && (err = fo_aws_query_add(&q, "type", type)) < 0) ||
        (ident && (err = fo_aws_query_add(&q, "identifier", ident)) < 0))
      goto done;
    if ((err = fo_aws_call_rest_xml(&page, c, cancel, &fo_aws_svc_route53, "ListResourceRecordSets", "GET", path.data,
                                    q.data, NULL, r53_lists)) < 0)
      goto done;
    fo_aws_json_array_move(all, fo_aws_json_get(page, "ListResourceRecordSetsResponse/ResourceRecordSets"));
    trunc = fo_aws_json_str(page, "ListResourceRecordSetsResponse/IsTruncated");
    free(name);
    free(type);
    free(ident);
    name = type = ident = NULL;
    if (trunc && strcmp(trunc, "true") == 0) {
      if ((v = fo_aws_json_str(page, "ListResourceRecordSetsResponse/NextRecordName")))
        name = strdup(v);
      if ((v = fo_aws_json_str(page, "ListResourceRecordSetsResponse/NextRecordType")))
        type = strdup(v);
      if ((v = fo_aws_json_str(page, "ListResourceRecordSetsResponse/NextRecordIdentifier")))
        ident = strdup(v);
    }
    cJSON_Delete(page);
    page = NULL;
    if (!name)
      break;
  }
  *out_array = all;
  all = NULL;
done:
  cJSON_Delete(all);
  cJSON_Delete(page);
  free(name);
  free(type);
  free(ident);
  fo_buf_dispose(&path);
  fo_buf_dispose(&q);
  return err;
}

/* One GetChange for fo_aws_wait: keeps the last status seen. */
typedef struct insync_poll {
  fo_aws_client *c;
  const fo_cancel *cancel;
  const char *change_id;
  char last[32];
} insync_poll;

static int poll_insync(void *ud, int *done, char *status, size_t status_len) {
  insync_poll *p = ud;
  int err = fo_aws_route53_change_status(p->c, p->cancel, p->change_id, status, status_len);
  *done = 0;
  if (err < 0)
    return err;
  snprintf(p->last, sizeof(p->last), "%s", status);
  *done = strcmp(status, "INSYNC") == 0;
  return 0;
}

int fo_aws_route53_wait_insync(fo_aws_client *c, const fo_cancel *cancel, const fo_clock *clock, const char *change_id,
                               long timeout_ms, char *status, size_t status_len) {
  insync_poll p = {c, cancel, change_id, "PENDING"};
  fo_aws_wait_opts o;
  char what[200];
  int err;

  snprintf(what, sizeof(what), "Route53 change %s to be INSYNC",
           fo_aws_route53_bare_id(change_id) ? fo_aws_route53_bare_id(change_id) : "?");
  memset(&o, 0, sizeof(o));
  o.what = what;
  o.interval_ms = 2000; /* Route53 changes usually settle within a minute */
  o.max_interval_ms = 10000;
  o.backoff = 1.5;
  o.timeout_ms = timeout_ms;
  o.clock = clock ? clock : fo_aws_client_clock(c);
  o.cancel = cancel;
  err = fo_aws_wait(&o, poll_insync, &p);
  if (status && status_len)
    snprintf(status, status_len, "%s", p.last);
  return err;
}
