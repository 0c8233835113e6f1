/* AWS Signature Version 4: canonical request, string to sign, signature.
 * Pure: no clock, no environment, no network (see fo_aws_sigv4.h). */
#include "fo_aws_sigv4.h"
#include "fo_aws_enc.h"
#include "fo_buf.h"
#include "fo_err.h"
#include "fo_sha256.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define SIGV4_MAX_HEADERS  64
#define SIGV4_MAX_PARAMS   256
#define SIGV4_MAX_SEGMENTS 256

/* Headers that proxies and libraries change in flight: never signed (as in
 * the SDKs' skip lists). */
static const char *const unsigned_headers[] = {"authorization", "user-agent",        "x-amzn-trace-id", "expect",
                                               "connection",    "transfer-encoding", "accept-encoding", NULL};

typedef struct canon_header {
  char *name;   /* lower case */
  char *value;  /* trimmed, whitespace runs collapsed, duplicates joined with ',' */
  size_t order; /* input position, keeps duplicate order stable */
} canon_header;

typedef struct canon_param {
  char *key;   /* encoded */
  char *value; /* encoded */
} canon_param;

static int is_unsigned_header(const char *lname) {
  size_t i;
  for (i = 0; unsigned_headers[i]; i++)
    if (strcmp(unsigned_headers[i], lname) == 0)
      return 1;
  return 0;
}

/* Trim and collapse runs of whitespace (including folded line breaks). */
static int canon_value(fo_buf *out, const char *v) {
  int space = 0, err = 0;
  while (*v && isspace((unsigned char)*v))
    v++;
  if ((err = fo_buf_append(out, "", 0)) < 0)
    return err;
  for (; *v && err == 0; v++) {
    if (isspace((unsigned char)*v)) {
      space = 1;
      continue;
    }
    if (space)
      err = fo_buf_append(out, " ", 1);
    space = 0;
    if (err == 0)
      err = fo_buf_append(out, v, 1);
  }
  return err;
}

static int cmp_header(const void *a, const void *b) {
  const canon_header *x = a, *y = b;
  int c = strcmp(x->name, y->name);
  if (c)
    return c;
  return x->order < y->order ? -1 : x->order > y->order;
}

static int cmp_param(const void *a, const void *b) {
  const canon_param *x = a, *y = b;
  int c = strcmp(x->key, y->key);
  return c ? c : strcmp(x->value, y->value);
}

int fo_aws_sigv4_canonical_uri(char **out, const char *path, int normalize, int double_encode) {
  fo_buf norm = FO_BUF_INIT, enc = FO_BUF_INIT;
  const char *segs[SIGV4_MAX_SEGMENTS];
  size_t lens[SIGV4_MAX_SEGMENTS];
  size_t nseg = 0, i;
  int err = 0;

  *out = NULL;
  if (!path || !*path)
    path = "/";
  if (normalize) {
    const char *p = path, *end = path + strlen(path);
    int trailing = end > path && (end[-1] == '/' || (end - path >= 2 && end[-1] == '.' && end[-2] == '/') ||
                                  (end - path >= 3 && end[-1] == '.' && end[-2] == '.' && end[-3] == '/'));
    while (p < end) {
      const char *q = memchr(p, '/', (size_t)(end - p));
      size_t n = q ? (size_t)(q - p) : (size_t)(end - p);
      if (n == 0 || (n == 1 && p[0] == '.')) {
        /* empty or "." segment: dropped */
      } else if (n == 2 && p[0] == '.' && p[1] == '.') {
        if (nseg > 0)
          nseg--;
      } else {
        if (nseg == SIGV4_MAX_SEGMENTS) {
          err = fo_err_set(FO_ELIMIT, "path '%.60s' has more than %d segments", path, SIGV4_MAX_SEGMENTS);
          goto done;
        }
        segs[nseg] = p;
        lens[nseg++] = n;
      }
      p += n + (q ? 1 : 0);
    }
    if ((err = fo_buf_append(&norm, "/", 1)) < 0)
      goto done;
    for (i = 0; i < nseg; i++) {
      if ((i > 0 && (err = fo_buf_append(&norm, "/", 1)) < 0) || (err = fo_buf_append(&norm, segs[i], lens[i])) < 0)
        goto done;
    }
    if (trailing && nseg > 0 && (err = fo_buf_append(&norm, "/", 1)) < 0)
      goto done;
  } else if ((err = fo_buf_puts(&norm, path)) < 0) {
    goto done;
  }
  if (double_encode) {
    if ((err = fo_aws_uri_encode(&enc, norm.data, norm.len, 1)) < 0)
      goto done;
    *out = fo_buf_detach(&enc, NULL);
  } else {
    *out = fo_buf_detach(&norm, NULL);
  }
done:
  fo_buf_dispose(&norm);
  fo_buf_dispose(&enc);
  return err;
}

/* Split `query` into decoded-then-encoded key/value pairs. */
static int parse_query(canon_param *params, size_t *n, const char *query) {
  const char *p = query;
  fo_buf dec = FO_BUF_INIT, enc = FO_BUF_INIT;
  int err = 0;

  while (p && *p) {
    const char *amp = strchr(p, '&');
    size_t len = amp ? (size_t)(amp - p) : strlen(p);
    const char *eq = memchr(p, '=', len);
    size_t klen = eq ? (size_t)(eq - p) : len;
    if (len > 0) {
      if (*n == SIGV4_MAX_PARAMS) {
        err = fo_err_set(FO_ELIMIT, "query has more than %d parameters", SIGV4_MAX_PARAMS);
        goto done;
      }
      fo_buf_clear(&dec);
      fo_buf_clear(&enc);
      if ((err = fo_aws_uri_decode(&dec, p, klen)) < 0 || (err = fo_aws_uri_encode(&enc, dec.data, dec.len, 0)) < 0 ||
          (err = fo_buf_append(&enc, "", 0)) < 0)
        goto done;
      params[*n].key = fo_buf_detach(&enc, NULL);
      fo_buf_clear(&dec);
      if (eq) {
        if ((err = fo_aws_uri_decode(&dec, eq + 1, len - klen - 1)) < 0 ||
            (err = fo_aws_uri_encode(&enc, dec.data, dec.len, 0)) < 0)
          goto done;
      }
      if ((err = fo_buf_append(&enc, "", 0)) < 0)
        goto done;
      params[*n].value = fo_buf_detach(&enc, NULL);
      (*n)++;
    }
    p = amp ? amp + 1 : NULL;
  }
done:
  fo_buf_dispose(&dec);
  fo_buf_dispose(&enc);
  return err;
}

static int add_param(canon_param *params, size_t *n, const char *key, const char *value) {
  fo_buf enc = FO_BUF_INIT;
  int err;
  if (*n == SIGV4_MAX_PARAMS)
    return fo_err_set(FO_ELIMIT, "query has more than %d parameters", SIGV4_MAX_PARAMS);
  if ((err = fo_aws_uri_encode(&enc, value, strlen(value), 0)) < 0 || (err = fo_buf_append(&enc, "", 0)) < 0) {
    fo_buf_dispose(&enc);
    return err;
  }
  params[*n].key = strdup(key);
  params[*n].value = fo_buf_detach(&enc, NULL);
  if (!params[*n].key) {
    free(params[*n].value);
    return fo_err_oom();
  }
  (*n)++;
  return 0;
}

static int add_header(canon_header *hs, size_t *n, const char *name, const char *value) {
  fo_buf v = FO_BUF_INIT;
  char *lname;
  size_t i;
  int err;

  if (*n == SIGV4_MAX_HEADERS)
    return fo_err_set(FO_ELIMIT, "request has more than %d headers", SIGV4_MAX_HEADERS);
  if (!(lname = strdup(name)))
    return fo_err_oom();
  for (i = 0; lname[i]; i++)
    lname[i] = (char)tolower((unsigned char)lname[i]);
  if (is_unsigned_header(lname)) {
    free(lname);
    return 0;
  }
  if ((err = canon_value(&v, value ? value : "")) < 0) {
    free(lname);
    fo_buf_dispose(&v);
    return err;
  }
  hs[*n].name = lname;
  hs[*n].value = fo_buf_detach(&v, NULL);
  hs[*n].order = *n;
  (*n)++;
  return 0;
}

/* Everything both modes share: canonical request, string to sign, signature.
 * `query_mode` adds the X-Amz-* parameters before signing. */
static int sign(fo_aws_sigv4_result *out, const fo_aws_sigv4_request *req, const fo_aws_sigv4_params *pp,
                int query_mode) {
  canon_header hs[SIGV4_MAX_HEADERS + 3];
  canon_param qs[SIGV4_MAX_PARAMS];
  size_t nh = 0, nq = 0, i;
  fo_buf cr = FO_BUF_INIT, sh = FO_BUF_INIT, sts = FO_BUF_INIT, tmp = FO_BUF_INIT;
  fo_buf key = FO_BUF_INIT;
  char *uri = NULL, date8[9], scope[256], cred[512];
  unsigned char k[32];
  char hash[65];
  int have_token = pp->session_token && *pp->session_token;
  int err = 0;

  memset(out, 0, sizeof(*out));
  if (!req->method || !pp->access_key_id || !pp->secret_access_key || !pp->region || !pp->service)
    return fo_err_set(FO_EINVAL, "sigv4: request method, credentials, region and service are required");

  fo_aws_amz_date(out->amz_date, pp->date);
  memcpy(date8, out->amz_date, 8);
  date8[8] = '\0';
  snprintf(scope, sizeof(scope), "%s/%s/%s/aws4_request", date8, pp->region, pp->service);
  snprintf(cred, sizeof(cred), "%s/%s", pp->access_key_id, scope);

  if (req->payload_hash) {
    snprintf(out->payload_hash, sizeof(out->payload_hash), "%s", req->payload_hash);
  } else {
    fo_sha256_hex(out->payload_hash, req->body ? req->body : "", req->body ? req->body_len : 0);
  }

  for (i = 0; i < req->n_headers; i++)
    if ((err = add_header(hs, &nh, req->headers[i].name, req->headers[i].value)) < 0)
      goto done;
  if (!query_mode) {
    if ((err = add_header(hs, &nh, "X-Amz-Date", out->amz_date)) < 0)
      goto done;
    if (have_token && !pp->omit_session_token &&
        (err = add_header(hs, &nh, "X-Amz-Security-Token", pp->session_token)) < 0)
      goto done;
    if (pp->content_sha256_header && (err = add_header(hs, &nh, "x-amz-content-sha256", out->payload_hash)) < 0)
      goto done;
  }
  qsort(hs, nh, sizeof(hs[0]), cmp_header);
  for (i = 0; i < nh; i++) {
    if (i > 0 && strcmp(hs[i].name, hs[i - 1].name) == 0)
      continue;
    if ((err = fo_buf_printf(&sh, "%s%s", sh.len ? ";" : "", hs[i].name)) < 0)
      goto done;
  }
  if (nh == 0 && (err = fo_buf_append(&sh, "", 0)) < 0)
    goto done;

  if ((err = parse_query(qs, &nq, req->query)) < 0)
    goto done;
  if (query_mode) {
    char expires[32];
    snprintf(expires, sizeof(expires), "%ld", pp->expires > 0 ? pp->expires : 3600L);
    if ((err = add_param(qs, &nq, "X-Amz-Algorithm", "AWS4-HMAC-SHA256")) < 0 ||
        (err = add_param(qs, &nq, "X-Amz-Credential", cred)) < 0 ||
        (err = add_param(qs, &nq, "X-Amz-Date", out->amz_date)) < 0 ||
        (err = add_param(qs, &nq, "X-Amz-SignedHeaders", sh.data)) < 0 ||
        (err = add_param(qs, &nq, "X-Amz-Expires", expires)) < 0)
      goto done;
    if (have_token && !pp->omit_session_token &&
        (err = add_param(qs, &nq, "X-Amz-Security-Token", pp->session_token)) < 0)
      goto done;
  }
  /* The wire query keeps the caller's order; the canonical one is sorted. */
  if (query_mode) {
    const char *q = req->query;
    if (q && *q && (err = fo_buf_puts(&tmp, q)) < 0)
      goto done;
    for (i = 0; i < nq; i++) {
      if (strncmp(qs[i].key, "X-Amz-", 6) != 0)
        continue;
      if ((err = fo_buf_printf(&tmp, "%s%s=%s", tmp.len ? "&" : "", qs[i].key, qs[i].value)) < 0)
        goto done;
    }
  }
  qsort(qs, nq, sizeof(qs[0]), cmp_param);

  if ((err = fo_aws_sigv4_canonical_uri(&uri, req->path, pp->normalize_path, pp->double_encode)) < 0)
    goto done;
  if ((err = fo_buf_printf(&cr, "%s\n%s\n", req->method, uri)) < 0)
    goto done;
  for (i = 0; i < nq; i++)
    if ((err = fo_buf_printf(&cr, "%s%s=%s", i ? "&" : "", qs[i].key, qs[i].value)) < 0)
      goto done;
  if ((err = fo_buf_puts(&cr, "\n")) < 0)
    goto done;
  for (i = 0; i < nh; i++) {
    size_t j = i;
    if (i > 0 && strcmp(hs[i].name, hs[i - 1].name) == 0)
      continue;
    if ((err = fo_buf_printf(&cr, "%s:%s", hs[i].name, hs[i].value)) < 0)
      goto done;
    for (j = i + 1; j < nh && strcmp(hs[j].name, hs[i].name) == 0; j++)
      if ((err = fo_buf_printf(&cr, ",%s", hs[j].value)) < 0)
        goto done;
    if ((err = fo_buf_puts(&cr, "\n")) < 0)
      goto done;
  }
  if ((err = fo_buf_printf(&cr, "\n%s\n%s", sh.data, out->payload_hash)) < 0)
    goto done;

  fo_sha256_hex(hash, cr.data, cr.len);
  if ((err = fo_buf_printf(&sts, "AWS4-HMAC-SHA256\n%s\n%s\n%s", out->amz_date, scope, hash)) < 0)
    goto done;

  /* kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request") */
  if ((err = fo_buf_printf(&key, "AWS4%s", pp->secret_access_key)) < 0)
    goto done;
  fo_aws_hmac_sha256(k, key.data, key.len, date8, 8);
  fo_aws_hmac_sha256(k, k, 32, pp->region, strlen(pp->region));
  fo_aws_hmac_sha256(k, k, 32, pp->service, strlen(pp->service));
  fo_aws_hmac_sha256(k, k, 32, "aws4_request", 12);
  {
    unsigned char sig[32];
    fo_aws_hmac_sha256(sig, k, 32, sts.data, sts.len);
    fo_aws_hex(out->signature, sig, 32);
  }

  if (query_mode) {
    if (have_token && pp->omit_session_token) {
      fo_buf enc = FO_BUF_INIT;
      if ((err = fo_aws_uri_encode(&enc, pp->session_token, strlen(pp->session_token), 0)) < 0 ||
          (err = fo_buf_printf(&tmp, "&X-Amz-Security-Token=%s", enc.data)) < 0) {
        fo_buf_dispose(&enc);
        goto done;
      }
      fo_buf_dispose(&enc);
    }
    if ((err = fo_buf_printf(&tmp, "&X-Amz-Signature=%s", out->signature)) < 0)
      goto done;
    out->query = fo_buf_detach(&tmp, NULL);
  } else {
    fo_buf auth = FO_BUF_INIT;
    if ((err = fo_buf_printf(&auth, "AWS4-HMAC-SHA256 Credential=%s, SignedHeaders=%s, Signature=%s", cred, sh.data,
                             out->signature)) < 0) {
      fo_buf_dispose(&auth);
      goto done;
    }
    out->authorization = fo_buf_detach(&auth, NULL);
  }
  out->canonical_request = fo_buf_detach(&cr, NULL);
  out->string_to_sign = fo_buf_detach(&sts, NULL);

done:
  fo_aws_wipe(k, sizeof(k));
  fo_buf_wipe(&key);
  fo_buf_dispose(&key);
  for (i = 0; i < nh; i++) {
    free(hs[i].name);
    fo_aws_free_secret(hs[i].value);
  }
  for (i = 0; i < nq; i++) {
    free(qs[i].key);
    fo_aws_free_secret(qs[i].value);
  }
  free(uri);
  fo_buf_wipe(&cr);
  fo_buf_dispose(&cr);
  fo_buf_dispose(&sh);
  fo_buf_dispose(&sts);
  fo_buf_wipe(&tmp);
  fo_buf_dispose(&tmp);
  if (err < 0)
    fo_aws_sigv4_result_dispose(out);
  return err;
}

int fo_aws_sigv4_sign_headers(fo_aws_sigv4_result *out, const fo_aws_sigv4_request *req,
                              const fo_aws_sigv4_params *params) {
  return sign(out, req, params, 0);
}

int fo_aws_sigv4_presign_query(fo_aws_sigv4_result *out, const fo_aws_sigv4_request *req,
                               const fo_aws_sigv4_params *params) {
  return sign(out, req, params, 1);
}

void fo_aws_sigv4_result_dispose(fo_aws_sigv4_result *r) {
  if (!r)
    return;
  fo_aws_free_secret(r->canonical_request);
  free(r->string_to_sign);
  free(r->authorization);
  fo_aws_free_secret(r->query);
  memset(r, 0, sizeof(*r));
}
