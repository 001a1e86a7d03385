/*
 * kerberos_name.c — Hadoop auth_to_local rules in C (see kerberos_name.h).
 *
 * Mirrors org.apache.hadoop.security.authentication.util.KerberosName: the same rule grammar
 * (parsed left to right, white space between rules), the same parameter expansion ($0 realm,
 * $1 $2 components; a missing one is an error), full-match of the (regex), replaceFirst or
 * replaceAll (g) of s/pattern/replacement/ with Java's `$n` group references, /L, DEFAULT
 * against the default realm, and the "hadoop" mechanism's refusals.
 */
#include "auth/kerberos_name.h"

#include <gio/gio.h>
#include <string.h>

typedef struct {
	gboolean is_default;
	guint components;
	char *format;
	GRegex *match;   /* anchored full match, or NULL */
	GRegex *from;    /* s/from/to/, or NULL */
	char *to;        /* GRegex replacement text */
	gboolean repeat; /* g */
	gboolean lower;  /* /L */
} KerberosRule;

struct KerberosRules {
	GPtrArray *rules; /* KerberosRule* */
};

static void rule_free(gpointer p)
{
	KerberosRule *r = p;
	g_free(r->format);
	if (r->match)
		g_regex_unref(r->match);
	if (r->from)
		g_regex_unref(r->from);
	g_free(r->to);
	g_free(r);
}

void kerberos_rules_free(KerberosRules *rules)
{
	if (rules == NULL)
		return;
	g_ptr_array_unref(rules->rules);
	g_free(rules);
}

/* Java's replacement text ($n groups, \x literal) as GRegex's (\g<n>, \\ for a backslash). */
static char *rule_replacement(const char *java)
{
	GString *out = g_string_new(NULL);
	for (const char *p = java; *p; p++) {
		if (*p == '\\' && p[1]) {
			p++;
			if (*p == '\\')
				g_string_append(out, "\\\\");
			else
				g_string_append_c(out, *p);
		} else if (*p == '$' && g_ascii_isdigit(p[1])) {
			g_string_append(out, "\\g<");
			while (g_ascii_isdigit(p[1]))
				g_string_append_c(out, *++p);
			g_string_append_c(out, '>');
		} else {
			g_string_append_c(out, *p);
		}
	}
	return g_string_free(out, FALSE);
}

/* Hadoop's rule grammar, applied at the start of the remaining text. */
#define RULE_GRAMMAR                                                                                                  \
	"^\\s*((DEFAULT)|(RULE:\\[(\\d*):([^\\]]*)](\\(([^)]*)\\))?(s/([^/]*)/([^/]*)/(g)?)?))/?(L)?"

/* Builds one rule from the grammar's groups. */
static KerberosRule *rule_from_match(const GMatchInfo *m, GError **error)
{
	KerberosRule *r = g_new0(KerberosRule, 1);
	g_autofree char *def = g_match_info_fetch(m, 2), *n = g_match_info_fetch(m, 4), *fmt = g_match_info_fetch(m, 5),
	                *re = g_match_info_fetch(m, 7), *from = g_match_info_fetch(m, 9), *to = g_match_info_fetch(m, 10),
	                *g = g_match_info_fetch(m, 11), *l = g_match_info_fetch(m, 12);
	g_autofree char *has_re = g_match_info_fetch(m, 6), *has_sed = g_match_info_fetch(m, 8);
	r->is_default = def && *def;
	r->lower = l && *l;
	if (r->is_default)
		return r;
	r->components = (guint)g_ascii_strtoull(n, NULL, 10);
	r->format = g_strdup(fmt);
	r->repeat = g && *g;
	if (has_re && *has_re) {
		g_autofree char *anchored = g_strdup_printf("^(?:%s)$", re);
		if ((r->match = g_regex_new(anchored, 0, 0, error)) == NULL)
			goto bad;
	}
	if (has_sed && *has_sed) {
		if ((r->from = g_regex_new(from, 0, 0, error)) == NULL)
			goto bad;
		r->to = rule_replacement(to);
	}
	return r;
bad:
	rule_free(r);
	return NULL;
}

/* Parses rules text; see kerberos_name.h. */
KerberosRules *kerberos_rules_parse(const char *text, GError **error)
{
	g_autoptr(GRegex) grammar = g_regex_new(RULE_GRAMMAR, 0, 0, NULL);
	KerberosRules *rules = g_new0(KerberosRules, 1);
	rules->rules = g_ptr_array_new_with_free_func(rule_free);
	const char *rest = text ? text : "";
	while (g_ascii_isspace(*rest))
		rest++;
	if (*rest == '\0')
		rest = "DEFAULT";
	while (*rest) {
		while (g_ascii_isspace(*rest))
			rest++;
		if (*rest == '\0')
			break;
		g_autoptr(GMatchInfo) m = NULL;
		gint end = 0;
		if (!g_regex_match(grammar, rest, 0, &m) || !g_match_info_fetch_pos(m, 0, NULL, &end) || end == 0) {
			g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
			            "kerberos_principal_rules: invalid rule at '%.40s' (DEFAULT or "
			            "RULE:[n:fmt](regex)s/pattern/replacement/[g][/L])", rest);
			kerberos_rules_free(rules);
			return NULL;
		}
		KerberosRule *r = rule_from_match(m, error);
		if (r == NULL) {
			g_prefix_error(error, "kerberos_principal_rules: in '%.*s': ", end, rest);
			kerberos_rules_free(rules);
			return NULL;
		}
		g_ptr_array_add(rules->rules, r);
		rest += end;
	}
	return rules;
}

/* fmt with $0 $1 $2 replaced by params; NULL with error for a parameter the name lacks. */
static char *rule_expand(const char *fmt, const char *const *params, guint nparams, GError **error)
{
	GString *out = g_string_new(NULL);
	for (const char *p = fmt; *p; p++) {
		if (*p != '$' || !g_ascii_isdigit(p[1])) {
			g_string_append_c(out, *p);
			continue;
		}
		guint64 k = g_ascii_strtoull(p + 1, (char **)&p, 10);
		p--;
		if (k >= nparams) {
			g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "index %" G_GUINT64_FORMAT " from %s is outside 0..%u",
			            k, fmt, nparams - 1);
			g_string_free(out, TRUE);
			return NULL;
		}
		g_string_append(out, params[k]);
	}
	return g_string_free(out, FALSE);
}

/* Java's replaceFirst: the first match of from in base replaced by to (GRegex replacement text). */
static char *rule_replace_first(const GRegex *from, const char *base, const char *to, GError **error)
{
	g_autoptr(GMatchInfo) m = NULL;
	if (!g_regex_match(from, base, 0, &m))
		return g_strdup(base);
	gint s = 0, e = 0;
	g_match_info_fetch_pos(m, 0, &s, &e);
	g_autofree char *rep = g_match_info_expand_references(m, to, error);
	if (rep == NULL)
		return NULL;
	return g_strdup_printf("%.*s%s%s", s, base, rep, base + e);
}

/* One rule on a parsed principal: the short name, or NULL when it does not apply (or error). */
static char *rule_apply(const KerberosRule *r, const char *const *params, guint ncomp, const char *default_realm,
                        GError **error)
{
	g_autofree char *result = NULL;
	if (r->is_default) {
		if (default_realm == NULL || strcmp(default_realm, params[0]) != 0)
			return NULL;
		result = g_strdup(params[1]);
	} else {
		if (r->components != ncomp)
			return NULL;
		g_autofree char *base = rule_expand(r->format, params, ncomp + 1, error);
		if (base == NULL)
			return NULL;
		if (r->match && !g_regex_match(r->match, base, 0, NULL))
			return NULL;
		result = r->from == NULL ? g_strdup(base)
		       : r->repeat       ? g_regex_replace(r->from, base, -1, 0, r->to, 0, error)
		                         : rule_replace_first(r->from, base, r->to, error);
		if (result == NULL)
			return NULL;
	}
	if (r->lower) {
		char *low = g_utf8_strdown(result, -1);
		g_free(result);
		result = low;
	}
	return g_steal_pointer(&result);
}

/* Maps a principal; see kerberos_name.h. */
char *kerberos_rules_map(const KerberosRules *rules, const char *principal, const char *default_realm, GError **error)
{
	const char *at = strchr(principal, '@');
	if (at == NULL)
		return g_strdup(principal);
	g_autofree char *names = g_strndup(principal, (gsize)(at - principal));
	g_auto(GStrv) comps = g_strsplit(names, "/", -1);
	guint ncomp = g_strv_length(comps);
	if (ncomp < 1 || ncomp > 2 || *comps[0] == '\0' || (ncomp == 2 && *comps[1] == '\0') || at[1] == '\0' ||
	    strchr(at + 1, '@') || strchr(at + 1, '/')) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "Malformed Kerberos name: %s", principal);
		return NULL;
	}
	const char *params[3] = {at + 1, comps[0], ncomp == 2 ? comps[1] : NULL};
	for (guint i = 0; i < rules->rules->len; i++) {
		GError *local = NULL;
		char *out = rule_apply(g_ptr_array_index(rules->rules, i), params, ncomp, default_realm, &local);
		if (local) {
			g_propagate_prefixed_error(error, local, "rule %u for %s: ", i + 1, principal);
			return NULL;
		}
		if (out == NULL)
			continue;
		if (strpbrk(out, "/@") || *out == '\0') {
			g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "Non-simple name %s after auth_to_local rule %s",
			            out, principal);
			g_free(out);
			return NULL;
		}
		return out;
	}
	g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "No rules applied to %s", principal);
	return NULL;
}

/* Replaces a `_HOST` component with host lowercased; see kerberos_name.h. */
char *kerberos_principal_expand_host(const char *principal, const char *host)
{
	const char *at = strchr(principal, '@');
	gsize head = at ? (gsize)(at - principal) : strlen(principal);
	if (host == NULL || head < 6 || strncmp(principal + head - 6, "/_HOST", 6) != 0)
		return g_strdup(principal);
	g_autofree char *low = g_ascii_strdown(host, -1);
	return g_strdup_printf("%.*s/%s%s", (int)(head - 6), principal, low, at ? at : "");
}

const char *kerberos_principal_realm(const char *principal)
{
	const char *at = strrchr(principal, '@');
	return at ? at + 1 : NULL;
}
