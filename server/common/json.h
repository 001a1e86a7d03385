/*
 * json.h — JSON text from clients, parsed safely (json.c says what json-glib 1.6 gets wrong).
 *
 * Threading: any. Ownership: the node returned is new and mutable; free with json_node_unref.
 */
#ifndef PROPOLIS_COMMON_JSON_H
#define PROPOLIS_COMMON_JSON_H

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/*
 * text (len bytes, no NUL needed) as a new mutable node: one object or array, nesting at most
 * max_depth, surrogate escapes paired, nothing but white space after it, every string valid
 * UTF-8. NULL with G_IO_ERROR_INVALID_DATA ("Malformed JSON: ..." or the json_max_depth message),
 * or G_IO_ERROR_INVALID_ARGUMENT when a string holds U+0000 (raw or as \u0000).
 */
JsonNode *json_client_parse(const char *text, gsize len, guint max_depth, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/*
 * Appends s (len bytes) as a quoted JSON string: '"', '\\' and control characters escaped
 * (\b \t \n \f \r, others \u00XX), every other byte as it is. Both JSON writers that do not
 * go through json-glib use it: Thrift's JSON protocol and the partition rows.
 */
void json_append_quoted(GString *out, const char *s, gsize len);
/* json_append_quoted without the quotes: what goes between them. */
void json_append_escaped(GString *out, const char *s, gsize len);

G_END_DECLS

#endif
