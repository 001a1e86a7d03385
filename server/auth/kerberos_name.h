/*
 * kerberos_name.h — Hadoop auth_to_local rules: a Kerberos principal to a short (Propolis) name.
 *
 * The language of Hadoop's KerberosName (hadoop.security.auth_to_local, "hadoop" mechanism):
 * rules separated by white space, each `DEFAULT` or `RULE:[n:fmt](regex)s/pattern/replacement/[g][/L]`
 * with the `(regex)` and `s///` parts optional. A principal `c1[/c2][@REALM]` is tried against each
 * rule in order: a RULE applies when the principal has n components; fmt is expanded with
 * $0 = realm, $1, $2 = components; the result must match regex whole; the substitution runs once
 * (every match with g; `$1` in the replacement names a group); /L lowercases. DEFAULT gives the
 * first component when the realm is the default realm. The first rule that applies wins; a
 * result with '/' or '@' is refused ("Non-simple name"), as is a principal no rule applies to
 * ("No rules applied to"). A name with no realm is returned unchanged. Regexes are PCRE (GRegex),
 * which reads Java's syntax for everything auth_to_local rules use.
 *
 * Pure: no I/O, no globals; any thread. Errors: PROPOLIS_CONFIG_ERROR-free — G_REGEX_ERROR for
 * a bad regex, G_IO_ERROR_INVALID_ARGUMENT for the rest (the message says what and where).
 */
#ifndef PROPOLIS_AUTH_KERBEROS_NAME_H
#define PROPOLIS_AUTH_KERBEROS_NAME_H

#include <glib.h>

G_BEGIN_DECLS

typedef struct KerberosRules KerberosRules;

/* Parses rules text; NULL or blank means "DEFAULT". NULL with error on a syntax error. */
KerberosRules *kerberos_rules_parse(const char *text, GError **error) G_GNUC_WARN_UNUSED_RESULT;
void kerberos_rules_free(KerberosRules *rules);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(KerberosRules, kerberos_rules_free)

/* The short name of principal under rules (default_realm may be NULL: DEFAULT then never applies). */
char *kerberos_rules_map(const KerberosRules *rules, const char *principal, const char *default_realm,
                         GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* principal with a `_HOST` component replaced by host lowercased, as Hadoop's SecurityUtil does. */
char *kerberos_principal_expand_host(const char *principal, const char *host);

/* The realm of principal after '@' (a pointer into it), or NULL. */
const char *kerberos_principal_realm(const char *principal);

G_END_DECLS

#endif
