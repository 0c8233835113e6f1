/* tfstate_remote: remote Terraform state backends as locations of the state collector: the S3 backend (bucket,
 * key, region; the side's AWS credentials) and GitLab's HTTP state backend (a token from a named environment
 * variable). Only the bytes are fetched here; collect_tfstate.c parses them like a local state file. */
#include "tfstate_remote.h"
#include "fo_audit_aws.h"
#include "fo_aws_s3.h"
#include "fo_err.h"

#include <curl/curl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

int fo_audit_s3_url_parse(const char *url, char **bucket, char **key) {
  const char *b, *slash;
  *bucket = *key = NULL;
  if (strncmp(url, "s3://", 5) != 0 || !(slash = strchr(b = url + 5, '/')) || slash == b || !slash[1])
    return fo_err_set(FO_EINVAL, "'%s' is not an S3 state location (want s3://<bucket>/<key>)", url);
  if (!(*bucket = strndup(b, (size_t)(slash - b))) || !(*key = strdup(slash + 1))) {
    free(*bucket);
    *bucket = NULL;
    return fo_err_oom();
  }
  return 0;
}

int fo_audit_tfstate_fetch_s3(fo_buf *out, const fo_audit_collect_ctx *ctx, const char *url, const char *region) {
  char *bucket = NULL, *key = NULL;
  fo_aws_client *other = NULL, *c = ctx->aws;
  int err;
  if (!c)
    return fo_err_set(FO_EINVAL, "%s: no AWS client for this side", url);
  if ((err = fo_audit_s3_url_parse(url, &bucket, &key)) < 0)
    return err;
  /* a state bucket in another region than the side's: a client there with the same credentials */
  if (region && strcmp(region, fo_aws_client_region(c)) != 0) {
    if ((err = fo_audit_aws_client_in(&other, ctx, region)) < 0)
      goto done;
    c = other;
  }
  err = fo_aws_s3_get_object(out, c, ctx->cancel, bucket, key, FO_AUDIT_TFSTATE_REMOTE_MAX);
  if (err < 0)
    err = fo_err_set(err, "state %s: %s", url, fo_err_last());
done:
  fo_aws_client_free(other);
  free(bucket);
  free(key);
  return err;
}

/* ---- GitLab ----------------------------------------------------------------------------------------------- */

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static void curl_init(void) {
  curl_global_init(CURL_GLOBAL_DEFAULT);
}

typedef struct sink {
  fo_buf *out;
  int err;
} sink;

static size_t on_data(char *p, size_t size, size_t n, void *ud) {
  sink *s = ud;
  if (s->out->len + size * n > FO_AUDIT_TFSTATE_REMOTE_MAX) {
    s->err = FO_ELIMIT;
    return 0;
  }
  if (fo_buf_append(s->out, p, size * n) < 0) {
    s->err = FO_ENOMEM;
    return 0;
  }
  return size * n;
}

static int on_progress(void *ud, curl_off_t dt, curl_off_t dn, curl_off_t ut, curl_off_t un) {
  (void)dt, (void)dn, (void)ut, (void)un;
  return ud && fo_cancel_is_cancelled(ud); /* non-zero aborts the transfer */
}

int fo_audit_tfstate_fetch_gitlab(fo_buf *out, const fo_audit_collect_ctx *ctx, const char *url,
                                  const char *token_env) {
  const char *token = getenv(token_env);
  struct curl_slist *hdr = NULL, *h;
  fo_buf auth = FO_BUF_INIT;
  sink s = {out, 0};
  long status = 0;
  CURLcode rc;
  CURL *c;
  int err = 0;

  if (!token || !*token)
    return fo_err_set(FO_EINVAL, "state %s: the token variable %s is not set", url, token_env);
  if (strncmp(url, "https://", 8) != 0 && strncmp(url, "http://", 7) != 0)
    return fo_err_set(FO_EINVAL, "state '%s' is not an http(s) URL", url);
  pthread_once(&curl_once, curl_init);
  if (!(c = curl_easy_init()))
    return fo_err_oom();
  /* CI_JOB_TOKEN is a job token (JOB-TOKEN); anything else a personal, project or group access token */
  if ((err = fo_buf_printf(&auth, "%s: %s", strcmp(token_env, "CI_JOB_TOKEN") ? "PRIVATE-TOKEN" : "JOB-TOKEN", token)) <
      0)
    goto done;
  if (!(hdr = curl_slist_append(NULL, auth.data)) || !(h = curl_slist_append(hdr, "Accept: application/json"))) {
    err = fo_err_oom();
    goto done;
  }
  hdr = h;
  curl_easy_setopt(c, CURLOPT_URL, url);
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdr);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &s);
  curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_progress);
  curl_easy_setopt(c, CURLOPT_XFERINFODATA, (void *)ctx->cancel);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, 10000L);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, 300000L);
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "https"); /* never follow a redirect down to plain http */
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);           /* the token header would follow it elsewhere */
  rc = curl_easy_perform(c);
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
  if (s.err == FO_ENOMEM)
    err = fo_err_oom();
  else if (s.err == FO_ELIMIT)
    err = fo_err_set(FO_ELIMIT, "state %s: larger than %u MiB", url, FO_AUDIT_TFSTATE_REMOTE_MAX >> 20);
  else if (rc == CURLE_ABORTED_BY_CALLBACK)
    err = fo_err_set(FO_ECANCELED, "state %s: cancelled", url);
  else if (rc != CURLE_OK)
    err = fo_err_set(FO_EIO, "state %s: %s", url, curl_easy_strerror(rc));
  else if (status == 401 || status == 403)
    err = fo_err_set(FO_EIO,
                     "state %s: HTTP %ld: the token in %s was refused (expired, or without access to the "
                     "project's Terraform state)",
                     url, status, token_env);
  else if (status == 404)
    err = fo_err_set(FO_ENOTFOUND, "state %s: HTTP 404: no such project or state", url);
  else if (status == 204 || (status == 200 && out->len == 0))
    err = fo_err_set(FO_ENOTFOUND, "state %s: the state is empty (never applied?)", url);
  else if (status != 200)
    err = fo_err_set(FO_EIO, "state %s: HTTP %ld", url, status);
done:
  curl_slist_free_all(hdr);
  fo_buf_wipe(&auth);
  curl_easy_cleanup(c);
  return err;
}
