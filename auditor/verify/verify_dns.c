/* verify_dns: resolve a name's A records through one configured nameserver (ip[:port]) with libresolv's
 * res_nquery; the answer is parsed by libresolv (ns_initparse/ns_parserr), CNAMEs are followed. */
#include "fo_err.h"
#include "verify_internal.h"

#include <arpa/inet.h>
#include <arpa/nameser.h>
#include <netdb.h>
#include <netinet/in.h>
#include <resolv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_CNAMES 8

/* "ip[:port]" into an IPv4 socket address. */
static int parse_resolver(const char *s, struct sockaddr_in *out) {
  char ip[64];
  const char *colon = strrchr(s, ':');
  long port = 53;
  size_t n = colon ? (size_t)(colon - s) : strlen(s);
  memset(out, 0, sizeof *out);
  if (n == 0 || n >= sizeof ip)
    return fo_err_set(FO_EINVAL, "verify.resolver '%s' is not ip[:port]", s);
  memcpy(ip, s, n);
  ip[n] = '\0';
  if (colon) {
    char *end;
    port = strtol(colon + 1, &end, 10);
    if (*end || port < 1 || port > 65535)
      return fo_err_set(FO_EINVAL, "verify.resolver '%s': bad port", s);
  }
  if (inet_pton(AF_INET, ip, &out->sin_addr) != 1)
    return fo_err_set(FO_EINVAL, "verify.resolver '%s': '%s' is not an IPv4 address", s, ip);
  out->sin_family = AF_INET;
  out->sin_port = htons((uint16_t)port);
  return 0;
}

static int add_str(cJSON *arr, const char *s) {
  return cJSON_AddItemToArray(arr, cJSON_CreateString(s)) ? 0 : fo_err_oom();
}

/* One query for `name`: its A addresses into addrs, a CNAME target into `next` ("" when none). */
static int query_once(res_state rs, const char *resolver, const char *name, cJSON *names, cJSON *addrs, char *next,
                      size_t next_len, int *answers) {
  unsigned char ans[4096];
  ns_msg msg;
  int len = res_nquery(rs, name, ns_c_in, ns_t_a, ans, sizeof ans), err;
  next[0] = '\0';
  *answers = 0;
  if (len < 0) {
    const char *why = rs->res_h_errno == HOST_NOT_FOUND ? "no such name (NXDOMAIN)"
                      : rs->res_h_errno == NO_DATA      ? "no A record"
                      : rs->res_h_errno == TRY_AGAIN    ? "the resolver did not answer (timeout or SERVFAIL)"
                                                        : "the query failed";
    return fo_err_set(FO_ENOTFOUND, "%s does not resolve through %s: %s", name, resolver, why);
  }
  if (ns_initparse(ans, len, &msg) < 0)
    return fo_err_set(FO_ENOTFOUND, "%s: the answer from %s cannot be parsed", name, resolver);
  for (int i = 0; i < ns_msg_count(msg, ns_s_an); i++) {
    ns_rr rr;
    if (ns_parserr(&msg, ns_s_an, i, &rr) < 0)
      return fo_err_set(FO_ENOTFOUND, "%s: answer record %d from %s cannot be parsed", name, i, resolver);
    if (ns_rr_type(rr) == ns_t_a && ns_rr_rdlen(rr) == 4) {
      char ip[INET_ADDRSTRLEN];
      if (inet_ntop(AF_INET, ns_rr_rdata(rr), ip, sizeof ip) && (err = add_str(addrs, ip)) < 0)
        return err;
      ++*answers;
    } else if (ns_rr_type(rr) == ns_t_cname) {
      if (ns_name_uncompress(ns_msg_base(msg), ns_msg_end(msg), ns_rr_rdata(rr), next, next_len) < 0)
        return fo_err_set(FO_ENOTFOUND, "%s: a CNAME from %s cannot be parsed", name, resolver);
      if ((err = add_str(names, next)) < 0)
        return err;
      ++*answers;
    }
  }
  return 0;
}

int verify_dns_resolve(const char *resolver, const char *name, cJSON *names, cJSON *addrs) {
  struct __res_state rs;
  struct sockaddr_in ns;
  char cur[NS_MAXDNAME], next[NS_MAXDNAME];
  int err = 0, answers;

  if (resolver && (err = parse_resolver(resolver, &ns)) < 0)
    return err;
  memset(&rs, 0, sizeof rs);
  if (res_ninit(&rs) < 0)
    return fo_err_set(FO_EIO, "cannot initialise the resolver");
  if (resolver) {
    rs.nscount = 1;
    rs.nsaddr_list[0] = ns;
  }
  rs.retrans = 2;
  rs.retry = 2;
  snprintf(cur, sizeof cur, "%s", name);
  /* a CNAME chain the server did not flatten: ask again for its target, a bounded number of times */
  for (int hop = 0; hop < MAX_CNAMES; hop++) {
    size_t before = (size_t)cJSON_GetArraySize(addrs);
    if ((err = query_once(&rs, resolver ? resolver : "the system resolver", cur, names, addrs, next, sizeof next,
                          &answers)) < 0)
      break;
    if (!next[0] || (size_t)cJSON_GetArraySize(addrs) > before)
      break;
    snprintf(cur, sizeof cur, "%s", next);
  }
  if (err == 0 && !cJSON_GetArraySize(addrs) && !cJSON_GetArraySize(names))
    err = fo_err_set(FO_ENOTFOUND, "%s does not resolve through %s: no A record", name,
                     resolver ? resolver : "the system resolver");
  res_nclose(&rs);
  return err;
}
