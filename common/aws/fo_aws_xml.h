/* fo_aws_xml: AWS XML responses (rest-xml, query) turned into cJSON with libxml2,
 * bounded in size, depth and node count, so callers read one value model. */
#ifndef FO_AWS_XML_H
#define FO_AWS_XML_H

#include <stddef.h>
#include <cjson/cJSON.h>

#include "fo_buf.h"

#define FO_AWS_XML_MAX_DEPTH 64
#define FO_AWS_XML_MAX_NODES 200000
#define FO_AWS_XML_MAX_BYTES (32u << 20)

/* Parse `xml[0..len)` into `*out` (caller frees with cJSON_Delete):
 *   <Root><A>x</A><B><C>1</C><C>2</C></B></Root>
 *   -> {"Root": {"A": "x", "B": {"C": ["1", "2"]}}}
 * Elements with element children become objects, leaf elements strings
 * (all text, no type guessing), repeated names arrays. Names in `list_names`
 * (NULL-terminated, may be NULL) and "member" are list items: an element
 * whose children are all one such name becomes the array itself, as in the
 * SDKs' shapes (<Instances><member>a</member></Instances> -> "Instances":
 * ["a"]), so one item has the same shape as three. An empty list element
 * (<Instances/>) is "" (read lists with fo_aws_json_list). Attributes and
 * namespaces are dropped. Errors name the line of the bad input. */
int fo_aws_xml_to_json(cJSON **out, const char *xml, size_t len, const char *const *list_names);

/* Append `s` with & < > " ' escaped, for request bodies (Route53). */
int fo_aws_xml_escape(fo_buf *b, const char *s);

#endif
