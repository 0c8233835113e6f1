/* XML -> cJSON for AWS responses (libxml2 tree API, no network, no entities). */
#include "fo_aws_xml.h"
#include "fo_err.h"

#include <stdio.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

typedef struct xml_walk {
  const char *const *list_names;
  size_t nodes;
} xml_walk;

static int is_list_name(const xml_walk *w, const char *name) {
  size_t i;
  if (strcmp(name, "member") == 0)
    return 1;
  for (i = 0; w->list_names && w->list_names[i]; i++)
    if (strcmp(w->list_names[i], name) == 0)
      return 1;
  return 0;
}

static int has_element_children(xmlNode *n) {
  xmlNode *c;
  for (c = n->children; c; c = c->next)
    if (c->type == XML_ELEMENT_NODE)
      return 1;
  return 0;
}

static int convert(cJSON **out, xmlNode *n, xml_walk *w, int depth);

/* Add `val` under `name` in `obj`: a second value with the same name turns
 * the slot into an array; list names always are arrays. */
static int add_child(cJSON *obj, const char *name, cJSON *val, int force_list) {
  cJSON *cur = cJSON_GetObjectItemCaseSensitive(obj, name);
  if (!cur) {
    if (force_list) {
      cJSON *arr = cJSON_CreateArray();
      if (!arr || !cJSON_AddItemToArray(arr, val) || !cJSON_AddItemToObject(obj, name, arr)) {
        cJSON_Delete(arr);
        return fo_err_oom();
      }
      return 0;
    }
    if (!cJSON_AddItemToObject(obj, name, val)) {
      cJSON_Delete(val);
      return fo_err_oom();
    }
    return 0;
  }
  if (!cJSON_IsArray(cur)) {
    cJSON *arr = cJSON_CreateArray();
    cJSON *detached;
    if (!arr) {
      cJSON_Delete(val);
      return fo_err_oom();
    }
    detached = cJSON_DetachItemViaPointer(obj, cur);
    cJSON_AddItemToArray(arr, detached);
    cJSON_AddItemToObject(obj, name, arr);
    cur = arr;
  }
  cJSON_AddItemToArray(cur, val);
  return 0;
}

static int convert(cJSON **out, xmlNode *n, xml_walk *w, int depth) {
  cJSON *obj = NULL;
  xmlNode *c;
  int err = 0;

  *out = NULL;
  if (depth > FO_AWS_XML_MAX_DEPTH)
    return fo_err_set(FO_ELIMIT, "xml nesting deeper than %d at line %d", FO_AWS_XML_MAX_DEPTH, (int)xmlGetLineNo(n));
  if (++w->nodes > FO_AWS_XML_MAX_NODES)
    return fo_err_set(FO_ELIMIT, "xml has more than %d elements", FO_AWS_XML_MAX_NODES);
  if (!has_element_children(n)) {
    xmlChar *text = xmlNodeGetContent(n);
    *out = cJSON_CreateString(text ? (const char *)text : "");
    xmlFree(text);
    return *out ? 0 : fo_err_oom();
  }
  if (!(obj = cJSON_CreateObject()))
    return fo_err_oom();
  /* A wrapper whose children are all one list name is the list itself:
   * <Instances><member/>..</Instances> -> "Instances": [..] (SDK shapes). */
  {
    const char *only = NULL;
    int same = 1;
    for (c = n->children; c && same; c = c->next) {
      if (c->type != XML_ELEMENT_NODE)
        continue;
      if (!only)
        only = (const char *)c->name;
      else if (strcmp(only, (const char *)c->name) != 0)
        same = 0;
    }
    if (same && only && is_list_name(w, only)) {
      cJSON_Delete(obj);
      if (!(obj = cJSON_CreateArray()))
        return fo_err_oom();
      for (c = n->children; c; c = c->next) {
        cJSON *child = NULL;
        if (c->type != XML_ELEMENT_NODE)
          continue;
        if ((err = convert(&child, c, w, depth + 1)) < 0)
          goto done;
        cJSON_AddItemToArray(obj, child);
      }
      goto done;
    }
  }
  for (c = n->children; c; c = c->next) {
    cJSON *child = NULL;
    const char *name;
    if (c->type != XML_ELEMENT_NODE)
      continue;
    name = (const char *)c->name;
    if ((err = convert(&child, c, w, depth + 1)) < 0)
      goto done;
    if ((err = add_child(obj, name, child, is_list_name(w, name))) < 0)
      goto done;
  }
done:
  if (err < 0) {
    cJSON_Delete(obj);
    return err;
  }
  *out = obj;
  return 0;
}

/* libxml2 prints some errors (encoding) to stderr even with NOERROR; stderr
 * carries the provider's log, so errors are only read from xmlGetLastError. */
static void quiet_errors(void *ud, xmlErrorPtr e) {
  (void)ud;
  (void)e;
}

int fo_aws_xml_to_json(cJSON **out, const char *xml, size_t len, const char *const *list_names) {
  xmlDoc *doc = NULL;
  xmlNode *root;
  cJSON *top = NULL, *val = NULL;
  xml_walk w = {list_names, 0};
  int err = 0;

  *out = NULL;
  if (len > FO_AWS_XML_MAX_BYTES)
    return fo_err_set(FO_ELIMIT, "xml response of %zu bytes is over the limit", len);
  if (len == 0)
    return fo_err_set(FO_EINVAL, "empty xml response");
  /* NONET: no network; no NOENT: entities are not substituted (no XXE);
   * libxml2's own amplification limits stay on (no XML_PARSE_HUGE). */
  xmlSetStructuredErrorFunc(NULL, quiet_errors); /* per thread in libxml2 */
  xmlResetLastError();
  doc = xmlReadMemory(xml, (int)len, "response.xml", NULL,
                      XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_NOBLANKS);
  if (!doc) {
    const xmlError *xe = xmlGetLastError();
    char msg[200];
    char *nl;
    /* libxml2 messages end with a newline; keep ours on one line */
    snprintf(msg, sizeof(msg), "%s", xe && xe->message ? xe->message : "parse error");
    if ((nl = strchr(msg, '\n')))
      *nl = '\0';
    err = fo_err_set(FO_EINVAL, "bad xml response at line %d: %s", xe ? xe->line : 0, msg);
    goto done;
  }
  if (!(root = xmlDocGetRootElement(doc))) {
    err = fo_err_set(FO_EINVAL, "xml response has no root element");
    goto done;
  }
  if ((err = convert(&val, root, &w, 0)) < 0)
    goto done;
  if (!(top = cJSON_CreateObject()) || !cJSON_AddItemToObject(top, (const char *)root->name, val)) {
    cJSON_Delete(val);
    err = fo_err_oom();
    goto done;
  }
  *out = top;
  top = NULL;
done:
  cJSON_Delete(top);
  if (doc)
    xmlFreeDoc(doc);
  return err;
}

int fo_aws_xml_escape(fo_buf *b, const char *s) {
  int err = fo_buf_append(b, "", 0);
  for (; s && *s && err == 0; s++) {
    switch (*s) {
      case '&':
        err = fo_buf_puts(b, "&amp;");
        break;
      case '<':
        err = fo_buf_puts(b, "&lt;");
        break;
      case '>':
        err = fo_buf_puts(b, "&gt;");
        break;
      case '"':
        err = fo_buf_puts(b, "&quot;");
        break;
      case '\'':
        err = fo_buf_puts(b, "&apos;");
        break;
      default:
        err = fo_buf_append(b, s, 1);
    }
  }
  return err;
}
