/*
 * partname.h — Hive partition names: `k1=v1/k2=v2`, each key and value escaped exactly as
 * Hive's FileUtils.escapePathName does, and read back as Warehouse.makeSpecFromName does.
 *
 * Escaping: the bytes 0x00–0x1F and 0x7F and the characters " # % ' * / : = ? \ { [ ] ^
 * become '%' and two upper-case hex digits; everything else (UTF-8 multi-byte sequences
 * included) is kept. An empty or NULL value is written as __HIVE_DEFAULT_PARTITION__.
 * Unescaping: '%' followed by two characters that Java's Integer.parseInt(s, 16) reads as a
 * non-negative number becomes that code point (UTF-8 encoded); any other '%' stays literal.
 * Ownership: returned strings and arrays are new. Threading: pure functions, any thread.
 * Errors: CATALOG_ERROR / CATALOG_ERROR_INVALID_INPUT with Hive's MetaException texts.
 */
#ifndef PROPOLIS_CATALOG_PARTNAME_H
#define PROPOLIS_CATALOG_PARTNAME_H

#include <glib.h>

G_BEGIN_DECLS

#define PARTNAME_DEFAULT_PARTITION "__HIVE_DEFAULT_PARTITION__"

/* TRUE when Hive escapes the byte c in a path name. */
gboolean partname_needs_escape(guchar c);

/* value escaped as a path component; NULL or "" gives __HIVE_DEFAULT_PARTITION__. New string. */
char *partname_escape(const char *value);

/* text with its %XX escapes decoded (Hive's unescapePathName). New string. */
char *partname_unescape(const char *text);

/*
 * The name `k1=v1/...` of n keys (lower-cased here) and values (escaped here; NULL or "" is
 * the default partition). New string.
 */
char *partname_make(const char *const *keys, const char *const *values, guint n);

/*
 * Splits a partition name into keys and values (unescaped, new char* appended to keys and
 * values) in name order, as Warehouse.makeSpecFromName: components are split on '/', each
 * read as `k=v` at its last '=' followed by something; components without one are skipped;
 * a repeated key keeps its first place and takes the last value. FALSE with
 * "Partition name is invalid. <name>" for NULL or "".
 */
gboolean partname_split(const char *name, GPtrArray *keys, GPtrArray *values, GError **error) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS

#endif
