/* S3 GetObject and presigned GETs (SigV4: no path normalisation, UNSIGNED-PAYLOAD). */
#include "fo_aws_s3.h"
#include "fo_aws_enc.h"
#include "fo_aws_sigv4.h"
#include "fo_err.h"

#include <stdlib.h>
#include <string.h>

/* S3 keys keep their '/' and are encoded once. */
static int key_path(fo_buf *b, const char *bucket, const char *key) {
  int err;
  if (!bucket || !*bucket || !key || !*key)
    return fo_err_set(FO_EINVAL, "s3: bucket and key are required");
  if ((err = fo_buf_puts(b, "/")) < 0)
    return err;
  return fo_aws_uri_encode(b, key, strlen(key), 1);
}

int fo_aws_s3_get_object(fo_buf *out, fo_aws_client *c, const fo_cancel *cancel, const char *bucket, const char *key,
                         size_t max) {
  fo_buf p = FO_BUF_INIT;
  int err = key_path(&p, bucket, key);
  if (err == 0)
    err = fo_aws_call_raw(out, c, cancel, &fo_aws_svc_s3, "GetObject", "GET", bucket, p.data, NULL,
                          max ? max : ((size_t)32 << 20));
  fo_buf_dispose(&p);
  return err;
}

int fo_aws_s3_presign_get(char **out_url, fo_aws_client *c, const fo_cancel *cancel, const char *bucket,
                          const char *key, long expires_seconds) {
  fo_buf p = FO_BUF_INIT, url = FO_BUF_INIT;
  fo_aws_credentials *creds = NULL;
  fo_aws_request req;
  fo_aws_endpoint ep;
  fo_aws_header hs[1];
  fo_aws_sigv4_request sr;
  fo_aws_sigv4_params pp;
  fo_aws_sigv4_result sig;
  char *base = NULL, *host = NULL, *q;
  int err;

  *out_url = NULL;
  memset(&sig, 0, sizeof(sig));
  if ((err = key_path(&p, bucket, key)) < 0 || (err = fo_aws_client_credentials(&creds, c, cancel)) < 0)
    goto done;
  memset(&req, 0, sizeof(req));
  req.svc = &fo_aws_svc_s3;
  req.operation = "GetObject";
  req.region = fo_aws_client_region(c);
  req.method = "GET";
  req.path = p.data;
  req.host_label = bucket;
  if ((err = fo_aws_engine_url(fo_aws_client_engine(c), &req, &base, &host, &ep)) < 0)
    goto done;
  if ((q = strchr(base, '?')))
    *q = '\0';
  hs[0].name = "Host";
  hs[0].value = host;
  memset(&sr, 0, sizeof(sr));
  sr.method = "GET";
  sr.path = strstr(base, "://") ? strchr(strstr(base, "://") + 3, '/') : "/";
  sr.headers = hs;
  sr.n_headers = 1;
  sr.payload_hash = FO_AWS_UNSIGNED_PAYLOAD;
  memset(&pp, 0, sizeof(pp));
  pp.access_key_id = creds->access_key_id;
  pp.secret_access_key = creds->secret_access_key;
  pp.session_token = creds->session_token;
  pp.region = ep.signing_region;
  pp.service = "s3";
  pp.date = fo_aws_engine_sign_time(fo_aws_client_engine(c));
  pp.expires = expires_seconds > 0 ? expires_seconds : 900;
  if ((err = fo_aws_sigv4_presign_query(&sig, &sr, &pp)) < 0 ||
      (err = fo_buf_printf(&url, "%s?%s", base, sig.query)) < 0)
    goto done;
  *out_url = fo_buf_detach(&url, NULL);
done:
  fo_aws_sigv4_result_dispose(&sig);
  fo_aws_credentials_free(creds);
  free(base);
  free(host);
  fo_buf_dispose(&p);
  fo_buf_dispose(&url);
  return err;
}
