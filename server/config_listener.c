/*
 * config_listener.c — the Thrift listeners of the config and how each learns who is calling.
 *
 * The primary listener is [server] listen / thrift_auth / tls_cert / tls_key / tls_ca (flags
 * --listen, --thrift-auth, --tls-*); each [thrift-listener NAME] section adds one more with the
 * keys listen, auth, tls_cert, tls_key, tls_ca (unset tls_* inherit [server]'s). The environment
 * sets a section's key as PROPOLIS_THRIFT_LISTENER_<NAME>_<KEY>. Everything here runs once at
 * start, before the config is shared; config_listeners_check() is the one place the rules
 * across keys are checked (mtls needs a CA, sasl-plain needs the key ring's master key, ...).
 */
#include <string.h>

#include "config.h"

#define LISTENER_SECTION "thrift-listener "
#define LISTENER_ENV "PROPOLIS_THRIFT_LISTENER_"

/* The words of an auth setting and their bits ("anonymous" is none). */
static const struct {
	const char *word;
	guint bit;
} auth_words[] = {
	{"anonymous", 0},
	{"trust-ugi", CONFIG_AUTH_TRUST_UGI},
	{"sasl-plain", CONFIG_AUTH_SASL_PLAIN},
	{"kerberos", CONFIG_AUTH_KERBEROS},
	{"tls", CONFIG_AUTH_TLS},
	{"mtls", CONFIG_AUTH_MTLS},
};

/* Parses an auth setting; see config.h. At most one identity mode and one of tls/mtls. */
gboolean config_auth_parse(const char *text, guint *auth, GError **error)
{
	g_auto(GStrv) words = g_strsplit(text ? text : "", ",", -1);
	gboolean anonymous = FALSE;
	guint bits = 0;
	for (guint i = 0; words[i]; i++) {
		const char *w = g_strstrip(words[i]);
		gboolean known = FALSE;
		for (guint k = 0; k < G_N_ELEMENTS(auth_words) && !known; k++) {
			if (strcmp(w, auth_words[k].word) != 0)
				continue;
			known = TRUE;
			bits |= auth_words[k].bit;
			anonymous |= auth_words[k].bit == 0;
		}
		if (!known) {
			g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
			            "auth: unknown mode '%s' in '%s' (anonymous, trust-ugi, sasl-plain, kerberos, tls, mtls)", w, text);
			return FALSE;
		}
	}
	guint modes = (anonymous ? 1 : 0) + ((bits & CONFIG_AUTH_TRUST_UGI) ? 1 : 0) + ((bits & CONFIG_AUTH_SASL_PLAIN) ? 1 : 0) +
	               ((bits & CONFIG_AUTH_KERBEROS) ? 1 : 0);
	if (words[0] == NULL || modes > 1 || ((bits & CONFIG_AUTH_TLS) && (bits & CONFIG_AUTH_MTLS))) {
		g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
		            "auth: '%s' must name at most one of anonymous, trust-ugi, sasl-plain, kerberos and at most one of "
		            "tls, mtls", text);
		return FALSE;
	}
	*auth = bits;
	return TRUE;
}

/* The text of auth bits, transport first ("tls,sasl-plain"); see config.h. */
char *config_auth_text(guint auth)
{
	GString *s = g_string_new(NULL);
	static const guint order[] = {CONFIG_AUTH_TLS, CONFIG_AUTH_MTLS, CONFIG_AUTH_TRUST_UGI, CONFIG_AUTH_SASL_PLAIN,
	                              CONFIG_AUTH_KERBEROS};
	for (guint i = 0; i < G_N_ELEMENTS(order); i++)
		for (guint k = 0; k < G_N_ELEMENTS(auth_words); k++)
			if ((auth & order[i]) && auth_words[k].bit == order[i])
				g_string_append_printf(s, "%s%s", s->len ? "," : "", auth_words[k].word);
	if (s->len == 0)
		g_string_append(s, "anonymous");
	return g_string_free(s, FALSE);
}

/* Splits "HOST:PORT"; see config.h. */
gboolean config_parse_host_port(const char *value, char **host, guint *port, GError **error)
{
	const char *colon = strrchr(value, ':');
	char *end = NULL;
	guint64 n = colon ? g_ascii_strtoull(colon + 1, &end, 10) : 0;
	if (colon == NULL || colon == value || colon[1] == '\0' || *end != '\0' || n > 65535) {
		g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "listen: expected HOST:PORT, got '%s'", value);
		return FALSE;
	}
	gsize hlen = (gsize)(colon - value);
	if (value[0] == '[' && hlen >= 2 && value[hlen - 1] == ']')
		*host = g_strndup(value + 1, hlen - 2);
	else
		*host = g_strndup(value, hlen);
	*port = (guint)n;
	return TRUE;
}

/* Frees a section and its strings (NULL is fine). */
void config_listener_free(ConfigThriftListener *l)
{
	if (l == NULL)
		return;
	g_free(l->name);
	g_free(l->host);
	g_free(l->tls_cert);
	g_free(l->tls_key);
	g_free(l->tls_ca);
	g_free(l);
}

/* TRUE when name is a usable listener name: 1..64 letters, digits or '_', and not "main". */
static gboolean listener_name_ok(const char *name)
{
	gsize n = strlen(name);
	if (n == 0 || n > 64 || g_ascii_strcasecmp(name, "main") == 0)
		return FALSE;
	for (gsize i = 0; i < n; i++)
		if (!g_ascii_isalnum(name[i]) && name[i] != '_')
			return FALSE;
	return TRUE;
}

/* The section named name (letter case ignored), created when missing. */
static ConfigThriftListener *listener_get(PropolisConfig *c, const char *name)
{
	if (c->thrift_listeners == NULL)
		c->thrift_listeners = g_ptr_array_new_with_free_func((GDestroyNotify)config_listener_free);
	for (guint i = 0; i < c->thrift_listeners->len; i++) {
		ConfigThriftListener *l = g_ptr_array_index(c->thrift_listeners, i);
		if (g_ascii_strcasecmp(l->name, name) == 0)
			return l;
	}
	ConfigThriftListener *l = g_new0(ConfigThriftListener, 1);
	l->name = g_ascii_strdown(name, -1);
	g_ptr_array_add(c->thrift_listeners, l);
	return l;
}

/* Sets one key of a section from its text; where names the source in errors. */
static gboolean listener_set(ConfigThriftListener *l, const char *key, const char *v, const char *where,
                             GError **error)
{
	GError *local = NULL;
	gboolean ok = TRUE;
	if (strcmp(key, "listen") == 0) {
		g_free(l->host);
		l->host = NULL;
		ok = config_parse_host_port(v, &l->host, &l->port, &local);
		l->listen_set = ok;
	} else if (strcmp(key, "auth") == 0) {
		ok = config_auth_parse(v, &l->auth, &local);
	} else if (strcmp(key, "tls_cert") == 0 || strcmp(key, "tls_key") == 0 || strcmp(key, "tls_ca") == 0) {
		char **dst = strcmp(key, "tls_cert") == 0 ? &l->tls_cert : strcmp(key, "tls_key") == 0 ? &l->tls_key : &l->tls_ca;
		g_free(*dst);
		*dst = g_strdup(v);
	} else {
		g_set_error(error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_KEY_NOT_FOUND,
		            "%s: unknown key [thrift-listener %s] %s (listen, auth, tls_cert, tls_key, tls_ca)", where, l->name,
		            key);
		return FALSE;
	}
	if (!ok) {
		g_set_error(error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE, "%s: [thrift-listener %s] %s", where,
		            l->name, local->message);
		g_error_free(local);
	}
	return ok;
}

/* Reads one [thrift-listener NAME] group; see config.h. */
gboolean config_listener_read_group(PropolisConfig *c, GKeyFile *kf, const char *section, const char *path,
                                    GError **error)
{
	const char *name = g_str_has_prefix(section, LISTENER_SECTION) ? section + strlen(LISTENER_SECTION) : "";
	if (!listener_name_ok(name)) {
		g_set_error(error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_GROUP_NOT_FOUND,
		            "%s: section [%s]: expected [thrift-listener NAME], NAME of letters, digits and '_' (not main)",
		            path, section);
		return FALSE;
	}
	ConfigThriftListener *l = listener_get(c, name);
	g_auto(GStrv) keys = g_key_file_get_keys(kf, section, NULL, NULL);
	for (guint k = 0; keys && keys[k]; k++) {
		g_autofree char *v = g_key_file_get_string(kf, section, keys[k], NULL);
		if (!listener_set(l, keys[k], v ? v : "", path, error))
			return FALSE;
	}
	return TRUE;
}

/*
 * Applies PROPOLIS_THRIFT_LISTENER_<NAME>_<KEY>; see config.h. The key is the longest matching
 * suffix (_TLS_CERT before _AUTH), so a NAME may itself contain '_'.
 */
gboolean config_listener_read_env(PropolisConfig *c, const char *name, const char *value, GError **error)
{
	static const char *const suffixes[] = {"_TLS_CERT", "_TLS_KEY", "_TLS_CA", "_LISTEN", "_AUTH"};
	static const char *const keys[] = {"tls_cert", "tls_key", "tls_ca", "listen", "auth"};
	const char *rest = g_str_has_prefix(name, LISTENER_ENV) ? name + strlen(LISTENER_ENV) : "";
	gsize n = strlen(rest);
	for (guint i = 0; i < G_N_ELEMENTS(suffixes); i++) {
		gsize sn = strlen(suffixes[i]);
		if (n <= sn || strcmp(rest + n - sn, suffixes[i]) != 0)
			continue;
		g_autofree char *lname = g_strndup(rest, n - sn);
		if (!listener_name_ok(lname))
			break;
		g_autofree char *where = g_strdup_printf("environment variable %s", name);
		return listener_set(listener_get(c, lname), keys[i], value, where, error);
	}
	g_set_error(error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_KEY_NOT_FOUND,
	            "environment variable %s: expected " LISTENER_ENV "<NAME>_<LISTEN|AUTH|TLS_CERT|TLS_KEY|TLS_CA>", name);
	return FALSE;
}

/* The cross-key rules of one listener's auth: TLS files present, sasl-plain with a master key. */
static gboolean listener_check(const PropolisConfig *c, const char *what, guint auth, const char *cert,
                               const char *key, const char *ca, GError **error)
{
	const char *problem = NULL;
	if ((auth & (CONFIG_AUTH_TLS | CONFIG_AUTH_MTLS)) && (cert == NULL || key == NULL))
		problem = "tls and mtls need tls_cert and tls_key (--tls-cert, --tls-key)";
	else if ((auth & CONFIG_AUTH_MTLS) && ca == NULL)
		problem = "mtls needs tls_ca, the CA that signs client certificates (--tls-ca)";
	else if ((auth & CONFIG_AUTH_SASL_PLAIN) && c->master_key_file == NULL)
		problem = "sasl-plain checks passwords against access keys, which need the key ring: give --master-key-file "
		          "(or --data-dir)";
	if (problem == NULL)
		return TRUE;
	g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "%s: %s", what, problem);
	return FALSE;
}

/* Checks the primary listener and every section; fills the sections' inherited tls_* files. */
gboolean config_listeners_check(PropolisConfig *c, GError **error)
{
	if (!listener_check(c, "[server] thrift_auth (--thrift-auth)", c->thrift_auth, c->tls_cert, c->tls_key,
	                    c->tls_ca, error))
		return FALSE;
	for (guint i = 0; c->thrift_listeners && i < c->thrift_listeners->len; i++) {
		ConfigThriftListener *l = g_ptr_array_index(c->thrift_listeners, i);
		g_autofree char *what = g_strdup_printf("[thrift-listener %s]", l->name);
		if (!l->listen_set) {
			g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "%s: listen = HOST:PORT is required", what);
			return FALSE;
		}
		if (l->tls_cert == NULL)
			l->tls_cert = g_strdup(c->tls_cert);
		if (l->tls_key == NULL)
			l->tls_key = g_strdup(c->tls_key);
		if (l->tls_ca == NULL)
			l->tls_ca = g_strdup(c->tls_ca);
		if (!listener_check(c, what, l->auth, l->tls_cert, l->tls_key, l->tls_ca, error))
			return FALSE;
	}
	return TRUE;
}

/* Appends each section as the file would hold it (paths only: no key material is ever read here). */
void config_listeners_print(const PropolisConfig *c, GString *out)
{
	for (guint i = 0; c->thrift_listeners && i < c->thrift_listeners->len; i++) {
		const ConfigThriftListener *l = g_ptr_array_index(c->thrift_listeners, i);
		g_autofree char *auth = config_auth_text(l->auth);
		gboolean v6 = l->host && strchr(l->host, ':') != NULL;
		g_string_append_printf(out, "\n[thrift-listener %s]\nlisten = %s%s%s:%u\nauth = %s\n", l->name,
		                       v6 ? "[" : "", l->host ? l->host : "", v6 ? "]" : "", l->port, auth);
		g_string_append_printf(out, "tls_cert = %s\ntls_key = %s\ntls_ca = %s\n", l->tls_cert ? l->tls_cert : "",
		                       l->tls_key ? l->tls_key : "", l->tls_ca ? l->tls_ca : "");
	}
}
