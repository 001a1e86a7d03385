/*
 * config.c — defaults, the limits table, the config file and the command line.
 *
 * Order of precedence: built-in defaults < config file (GKeyFile, --config) < environment
 * (PROPOLIS_<SECTION>_<KEY>, e.g. PROPOLIS_LIMITS_MAX_CONNECTIONS) < flags.
 * Every limit is one row of config_limit_table: a file may set it only inside [min, max];
 * outside is a start-up error naming the key. The result is read-only after config_load().
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

#include "authz/methods.h"

#define LIMIT(field, def, min, max, unit, why) \
	{#field, def, min, max, unit, why, offsetof(PropolisConfig, field)}

/* The limits: name, default, min, max, unit, why. Ceilings protect memory and PostgreSQL. */
static const ConfigLimit config_limit_table[] = {
	LIMIT(max_connections, 10000, 1, 200000, "connections",
	      "10k idle clients of transient clusters; ceiling bounded by file descriptors"),
	LIMIT(max_message_size, 104857600, 1024, 1073741824, "bytes",
	      "Hive's metastore.server.max.message.size (100 MiB); ceiling 1 GiB of memory per request"),
	LIMIT(max_string_length, 16777216, 64, 1073741824, "bytes",
	      "view texts and serialized expressions can be MBs; ceiling = max message"),
	LIMIT(max_list_length, 1000000, 16, 100000000, "elements",
	      "add_partitions of 100k+ partitions fits; ceiling bounds decode memory"),
	LIMIT(max_nesting_depth, 64, 8, 512, "levels",
	      "Hive structs nest < 10 deep; ceiling keeps recursion bounded"),
	LIMIT(idle_timeout_s, 3600, 1, 604800, "seconds",
	      "idle transient-cluster connections are cheap but not forever"),
	LIMIT(request_deadline_ms, 600000, 100, 86400000, "milliseconds",
	      "listing 100k partitions takes seconds, not minutes"),
	LIMIT(worker_threads, 8, 1, 1024, "threads", "a few per core; each waits on PostgreSQL"),
	LIMIT(pool_size, 16, 1, 1000, "connections", "PostgreSQL backends held by this server, shared by all clients"),
	LIMIT(pool_wait_ms, 10000, 1, 600000, "milliseconds", "a request waits this long for a free backend"),
	LIMIT(shutdown_grace_ms, 10000, 0, 600000, "milliseconds", "requests in flight finish on SIGTERM"),
	LIMIT(max_output_buffer, 268435456, 65536, 2147483647, "bytes",
	      "unsent reply bytes per connection (a client that stops reading)"),
	LIMIT(output_stall_ms, 30000, 100, 3600000, "milliseconds",
	      "a streamed reply (100k partitions) holds a worker and a backend while its client does not read"),
	LIMIT(http_max_body, 16777216, 1024, 268435456, "bytes",
	      "a Glue BatchCreatePartition of 100 big partitions fits; ceiling bounds memory per request"),
	LIMIT(http_max_header, 32768, 4096, 1048576, "bytes",
	      "SigV4 headers are < 2 KiB; per-connection header memory (MHD), ceiling 1 MiB"),
	LIMIT(http_threads, 4, 1, 256, "threads", "each HTTP thread runs its requests against PostgreSQL in turn"),
	LIMIT(http_max_connections, 1000, 1, 100000, "connections", "SDK clients keep a few pooled connections each"),
	LIMIT(http_timeout_s, 120, 1, 86400, "seconds", "SDKs reuse idle connections for ~60 s"),
	LIMIT(json_max_depth, 64, 8, 512, "levels", "Glue shapes nest < 10 deep; ceiling keeps parsing bounded"),
	LIMIT(lock_timeout_s, 300, 1, 86400, "seconds",
	      "a lock or transaction without a heartbeat this long expires (Hive's metastore.txn.timeout, 300 s); a day at most so a lost client cannot block a table forever"),
	LIMIT(event_ttl_s, 86400, 1, 31536000, "seconds",
	      "notification events older than this are trimmed (Hive's event.db.listener.timetolive is 86400 s); a year at most bounds the log"),
	LIMIT(audit_ttl_s, 2592000, 3600, 315360000, "seconds",
	      "authorization decisions older than this are trimmed from the audit table (30 days; at most 10 years)"),
	LIMIT(handshake_timeout_ms, 10000, 100, 600000, "milliseconds",
	      "a TLS handshake and SASL negotiation take a few round trips; a client silent before it has "
	      "authenticated holds a slot, so at most 10 min"),
	LIMIT(max_sasl_message, 8192, 1024, 65536, "bytes",
	      "one SASL negotiation message before authentication (PLAIN needs < 800 bytes); unauthenticated "
	      "clients get small buffers, 64 KiB at most"),
};

/* The limits table; static storage. */
const ConfigLimit *config_limits(guint *n_out)
{
	*n_out = G_N_ELEMENTS(config_limit_table);
	return config_limit_table;
}

static guint *config_limit_field(PropolisConfig *c, const ConfigLimit *l)
{
	return (guint *)((char *)c + l->offset);
}

/* A config holding every default. */
PropolisConfig *config_new_default(void)
{
	PropolisConfig *c = g_new0(PropolisConfig, 1);
	c->listen_host = g_strdup("127.0.0.1");
	c->listen_port = 9083;
	c->warehouse = g_strdup(CONFIG_DEFAULT_WAREHOUSE);
	c->catalog_name = g_strdup("hive");
	c->log_level = g_strdup("info");
	c->migrations_dir = g_strdup(PROPOLIS_SOURCE_MIGRATIONS);
	c->http_listen_host = g_strdup("127.0.0.1");
	c->http_listen_port = 9084;
	c->account_id = g_strdup("000000000000");
	c->audit_log = TRUE;
	c->token_renew_interval_s = 86400;
	c->token_max_lifetime_s = 7 * 86400;
	c->token_key_update_interval_s = 86400;
	for (guint i = 0; i < G_N_ELEMENTS(config_limit_table); i++)
		*config_limit_field(c, &config_limit_table[i]) = config_limit_table[i].def;
	return c;
}

void config_free(PropolisConfig *c)
{
	if (c == NULL)
		return;
	g_free(c->listen_host);
	g_free(c->data_dir);
	g_free(c->database_url);
	g_free(c->warehouse);
	g_free(c->catalog_name);
	g_free(c->log_level);
	g_free(c->migrations_dir);
	g_free(c->http_listen_host);
	g_free(c->master_key_file);
	g_free(c->admin_credentials);
	g_free(c->account_id);
	g_free(c->tls_cert);
	g_free(c->tls_key);
	g_free(c->tls_ca);
	g_free(c->kerberos_keytab);
	g_free(c->kerberos_principal);
	g_free(c->kerberos_principal_rules);
	g_free(c->proxy_users);
	g_free(c->proxy_groups);
	g_free(c->proxy_hosts);
	if (c->thrift_listeners)
		g_ptr_array_unref(c->thrift_listeners);
	g_free(c);
}

/* Splits "HOST:PORT" ("[::1]:9083" for IPv6) into the config. FALSE with a message on bad input. */
static gboolean config_set_listen(PropolisConfig *c, const char *value, GError **error)
{
	const char *colon = strrchr(value, ':');
	if (colon == NULL || colon == value || colon[1] == '\0') {
		g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "listen: expected HOST:PORT, got '%s'", value);
		return FALSE;
	}
	char *end = NULL;
	guint64 port = g_ascii_strtoull(colon + 1, &end, 10);
	if (*end != '\0' || port > 65535) {
		g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "listen: bad port in '%s'", value);
		return FALSE;
	}
	const char *host = value;
	gsize hlen = (gsize)(colon - value);
	if (host[0] == '[' && hlen >= 2 && host[hlen - 1] == ']') {
		host++;
		hlen -= 2;
	}
	g_free(c->listen_host);
	c->listen_host = g_strndup(host, hlen);
	c->listen_port = (guint)port;
	return TRUE;
}

/* Sets the HTTP (Glue) listen address from "HOST:PORT", reusing the Thrift parser. */
static gboolean config_set_http_listen(PropolisConfig *c, const char *value, GError **error)
{
	char *host = c->listen_host;
	guint port = c->listen_port;
	c->listen_host = g_strdup(host);
	if (!config_set_listen(c, value, error)) {
		g_free(c->listen_host);
		c->listen_host = host;
		return FALSE;
	}
	g_free(c->http_listen_host);
	c->http_listen_host = c->listen_host;
	c->http_listen_port = c->listen_port;
	c->http_listen_set = TRUE;
	c->listen_host = host;
	c->listen_port = port;
	return TRUE;
}

/* Replaces *dst with a copy of value when value is set. */
static void config_take(char **dst, const char *value)
{
	if (value == NULL)
		return;
	g_free(*dst);
	*dst = g_strdup(value);
}

/* The [server] keys, as in the file; PROPOLIS_SERVER_<KEY> in the environment. */
static const char *const server_keys[] = {"listen",     "data_dir",        "database",          "warehouse",
                                          "catalog",    "log_level",       "migrations",        "http_listen",
                                          "account_id", "master_key_file", "admin_credentials", "audit_log",
                                          "audit_reads", "thrift_auth", "tls_cert",        "tls_key",           "tls_ca",
                                          "kerberos_keytab", "kerberos_principal", "kerberos_principal_rules",
                                          "proxy_users", "proxy_groups", "proxy_hosts", "delegation_token_renew_interval_s",
                                          "delegation_token_max_lifetime_s", "delegation_key_update_interval_s"};

/* Parses a boolean as GKeyFile and env users write it. FALSE when it is none of them. */
static gboolean config_parse_bool(const char *v, gboolean *out)
{
	static const char *const yes[] = {"true", "1", "yes", "on"}, *const no[] = {"false", "0", "no", "off"};
	for (guint i = 0; i < G_N_ELEMENTS(yes); i++) {
		if (g_ascii_strcasecmp(v, yes[i]) == 0 || g_ascii_strcasecmp(v, no[i]) == 0) {
			*out = g_ascii_strcasecmp(v, yes[i]) == 0;
			return TRUE;
		}
	}
	return FALSE;
}

/* Appends "svc=value;" to *list (proxy_users, proxy_groups, proxy_hosts). */
static void config_append_proxy(char **list, const char *svc, const char *value)
{
	char *next = g_strdup_printf("%s%s%s=%s", *list ? *list : "", *list && **list ? ";" : "", svc, value);
	g_free(*list);
	*list = next;
}

/*
 * Hadoop's impersonation keys in [server]: hadoop.proxyuser.<svc>.users / .groups / .hosts (as
 * in core-site.xml) become proxy_users / proxy_groups / proxy_hosts entries (groups are the
 * Propolis principal groups of the impersonated principal).
 */
static gboolean config_set_hadoop_proxyuser(PropolisConfig *c, const char *key, const char *v, const char *where,
                                            GError **error)
{
	const char *svc = key + strlen("hadoop.proxyuser.");
	const char *dot = strrchr(svc, '.');
	g_autofree char *name = dot && dot > svc ? g_strndup(svc, (gsize)(dot - svc)) : NULL;
	if (name != NULL && strcmp(dot, ".users") == 0) {
		config_append_proxy(&c->proxy_users, name, v);
	} else if (name != NULL && strcmp(dot, ".hosts") == 0) {
		config_append_proxy(&c->proxy_hosts, name, v);
	} else if (name != NULL && strcmp(dot, ".groups") == 0) {
		config_append_proxy(&c->proxy_groups, name, v);
	} else {
		g_set_error(error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_KEY_NOT_FOUND,
		            "%s: unknown key [server] %s (hadoop.proxyuser.<svc>.users, .hosts or .groups)", where, key);
		return FALSE;
	}
	return TRUE;
}

/* Sets one [server] key from its text; where names the source in errors. FALSE on an unknown key or bad value. */
static gboolean config_set_server(PropolisConfig *c, const char *key, const char *v, const char *where, GError **error)
{
	gboolean known = FALSE;
	for (guint i = 0; i < G_N_ELEMENTS(server_keys); i++)
		known |= strcmp(key, server_keys[i]) == 0;
	if (g_str_has_prefix(key, "hadoop.proxyuser."))
		return config_set_hadoop_proxyuser(c, key, v, where, error);
	if (!known) {
		g_set_error(error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_KEY_NOT_FOUND, "%s: unknown key [server] %s", where, key);
		return FALSE;
	}
	GError *local = NULL;
	if (strcmp(key, "listen") == 0 && !config_set_listen(c, v, &local))
		goto bad;
	if (strcmp(key, "data_dir") == 0)
		config_take(&c->data_dir, v);
	if (strcmp(key, "database") == 0)
		config_take(&c->database_url, v);
	if (strcmp(key, "warehouse") == 0) {
		config_take(&c->warehouse, v);
		c->warehouse_given = TRUE;
	}
	if (strcmp(key, "catalog") == 0)
		config_take(&c->catalog_name, v);
	if (strcmp(key, "log_level") == 0)
		config_take(&c->log_level, v);
	if (strcmp(key, "migrations") == 0)
		config_take(&c->migrations_dir, v);
	if (strcmp(key, "http_listen") == 0 && !config_set_http_listen(c, v, &local))
		goto bad;
	if (strcmp(key, "account_id") == 0)
		config_take(&c->account_id, v);
	if (strcmp(key, "master_key_file") == 0)
		config_take(&c->master_key_file, v);
	if (strcmp(key, "admin_credentials") == 0)
		config_take(&c->admin_credentials, v);
	if (strcmp(key, "thrift_auth") == 0 && !config_auth_parse(v, &c->thrift_auth, &local))
		goto bad;
	if (strcmp(key, "tls_cert") == 0)
		config_take(&c->tls_cert, v);
	if (strcmp(key, "tls_key") == 0)
		config_take(&c->tls_key, v);
	if (strcmp(key, "tls_ca") == 0)
		config_take(&c->tls_ca, v);
	if (strcmp(key, "kerberos_keytab") == 0)
		config_take(&c->kerberos_keytab, v);
	if (strcmp(key, "kerberos_principal") == 0)
		config_take(&c->kerberos_principal, v);
	if (strcmp(key, "kerberos_principal_rules") == 0)
		config_take(&c->kerberos_principal_rules, v);
	if (strcmp(key, "proxy_users") == 0)
		config_take(&c->proxy_users, v);
	if (strcmp(key, "proxy_groups") == 0)
		config_take(&c->proxy_groups, v);
	if (strcmp(key, "proxy_hosts") == 0)
		config_take(&c->proxy_hosts, v);
	if (g_str_has_prefix(key, "delegation_")) {
		guint64 *dst = strcmp(key, "delegation_token_renew_interval_s") == 0  ? &c->token_renew_interval_s
		             : strcmp(key, "delegation_token_max_lifetime_s") == 0    ? &c->token_max_lifetime_s
		                                                                       : &c->token_key_update_interval_s;
		if (!g_ascii_string_to_unsigned(v, 10, 1, G_MAXINT32, dst, NULL)) {
			g_set_error(error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
			            "%s: [server] %s = '%s' must be a number of seconds (1 or more)", where, key, v);
			return FALSE;
		}
	}
	if (strcmp(key, "audit_log") == 0 && !config_parse_bool(v, &c->audit_log)) {
		g_set_error(error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
		            "%s: [server] audit_log = '%s' must be true or false", where, v);
		return FALSE;
	}
	if (strcmp(key, "audit_reads") == 0 && !config_parse_bool(v, &c->audit_reads)) {
		g_set_error(error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
		            "%s: [server] audit_reads = '%s' must be true or false", where, v);
		return FALSE;
	}
	return TRUE;
bad:
	g_set_error(error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE, "%s: %s", where, local->message);
	g_error_free(local);
	return FALSE;
}

/* Sets one limit from its text, inside [min, max]; where names the source in errors. */
static gboolean config_set_limit(PropolisConfig *c, const ConfigLimit *l, const char *v, const char *where,
                                 GError **error)
{
	char *end = NULL;
	guint64 n = g_ascii_strtoull(v, &end, 10);
	if (end == v || *end != '\0' || n < l->min || n > l->max) {
		g_set_error(error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
		            "%s: [limits] %s = '%s' must be an integer in [%u, %u] (%s)", where, l->key, v, l->min, l->max,
		            l->unit);
		return FALSE;
	}
	*config_limit_field(c, l) = (guint)n;
	return TRUE;
}

/* Reads [server] and [limits] from a key file. Unknown keys are errors: typos must not pass silently. */
static gboolean config_read_file(PropolisConfig *c, const char *path, GError **error)
{
	g_autoptr(GKeyFile) kf = g_key_file_new();
	if (!g_key_file_load_from_file(kf, path, G_KEY_FILE_NONE, error))
		return FALSE;
	g_auto(GStrv) groups = g_key_file_get_groups(kf, NULL);
	for (guint g = 0; groups[g]; g++) {
		if (g_str_has_prefix(groups[g], "thrift-listener")) {
			if (!config_listener_read_group(c, kf, groups[g], path, error))
				return FALSE;
			continue;
		}
		g_auto(GStrv) keys = g_key_file_get_keys(kf, groups[g], NULL, NULL);
		for (guint k = 0; keys && keys[k]; k++) {
			g_autofree char *v = g_key_file_get_string(kf, groups[g], keys[k], NULL);
			if (strcmp(groups[g], "server") == 0) {
				if (!config_set_server(c, keys[k], v, path, error))
					return FALSE;
			} else if (strcmp(groups[g], "limits") == 0) {
				const ConfigLimit *l = NULL;
				for (guint i = 0; i < G_N_ELEMENTS(config_limit_table); i++)
					if (strcmp(keys[k], config_limit_table[i].key) == 0)
						l = &config_limit_table[i];
				if (l == NULL) {
					g_set_error(error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_KEY_NOT_FOUND, "%s: unknown key [limits] %s",
					            path, keys[k]);
					return FALSE;
				}
				if (!config_set_limit(c, l, v, path, error))
					return FALSE;
			} else {
				g_set_error(error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_GROUP_NOT_FOUND, "%s: unknown section [%s]", path,
				            groups[g]);
				return FALSE;
			}
		}
	}
	return TRUE;
}

/* "PROPOLIS_<SECTION>_<KEY>" for a key. New string. */
static char *config_env_name(const char *section, const char *key)
{
	g_autofree char *name = g_strdup_printf("PROPOLIS_%s_%s", section, key);
	return g_ascii_strup(name, -1);
}

/*
 * Applies PROPOLIS_SERVER_<KEY> and PROPOLIS_LIMITS_<KEY> from the environment, each as its key
 * in the file would. An unknown variable with either prefix is an error (a typo must not pass
 * silently); errors name the variable.
 */
static gboolean config_read_env(PropolisConfig *c, GError **error)
{
	g_auto(GStrv) env = g_get_environ();
	for (guint e = 0; env[e]; e++) {
		const char *eq = strchr(env[e], '=');
		if (eq != NULL && g_str_has_prefix(env[e], "PROPOLIS_THRIFT_LISTENER_")) {
			g_autofree char *lname = g_strndup(env[e], (gsize)(eq - env[e]));
			if (!config_listener_read_env(c, lname, eq + 1, error))
				return FALSE;
			continue;
		}
		if (eq == NULL || !(g_str_has_prefix(env[e], "PROPOLIS_SERVER_") || g_str_has_prefix(env[e], "PROPOLIS_LIMITS_")))
			continue;
		g_autofree char *name = g_strndup(env[e], (gsize)(eq - env[e]));
		const char *value = eq + 1;
		gboolean matched = FALSE;
		for (guint i = 0; i < G_N_ELEMENTS(server_keys) && !matched; i++) {
			g_autofree char *want = config_env_name("server", server_keys[i]);
			if (strcmp(name, want) != 0)
				continue;
			matched = TRUE;
			g_autofree char *where = g_strdup_printf("environment variable %s", name);
			if (!config_set_server(c, server_keys[i], value, where, error))
				return FALSE;
		}
		for (guint i = 0; i < G_N_ELEMENTS(config_limit_table) && !matched; i++) {
			g_autofree char *want = config_env_name("limits", config_limit_table[i].key);
			if (strcmp(name, want) != 0)
				continue;
			matched = TRUE;
			g_autofree char *where = g_strdup_printf("environment variable %s", name);
			if (!config_set_limit(c, &config_limit_table[i], value, where, error))
				return FALSE;
		}
		if (!matched) {
			g_set_error(error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_KEY_NOT_FOUND,
			            "environment variable %s: no such config key", name);
			return FALSE;
		}
	}
	return TRUE;
}

/* A database URL or conninfo with its password replaced by "****". New string. */
static char *config_mask_database(const char *url)
{
	if (url == NULL)
		return NULL;
	g_autoptr(GString) s = g_string_new(url);
	const char *scheme = strstr(url, "://");
	if (scheme != NULL) {
		/* postgresql://user:secret@host/db: the password is between the first ':' and the '@'. */
		const char *auth = scheme + 3;
		const char *at = strchr(auth, '@');
		const char *slash = strchr(auth, '/');
		if (at != NULL && (slash == NULL || at < slash)) {
			const char *colon = memchr(auth, ':', (gsize)(at - auth));
			if (colon != NULL) {
				gsize from = (gsize)(colon + 1 - url);
				g_string_erase(s, (gssize)from, at - colon - 1);
				g_string_insert(s, (gssize)from, "****");
			}
		}
	}
	/* password=... in conninfo form, or in a URL's query string. */
	for (char *p = strstr(s->str, "password="); p != NULL; p = strstr(p + 1, "password=")) {
		gsize from = (gsize)(p - s->str) + strlen("password=");
		gsize to = from;
		gboolean quoted = s->str[from] == '\'';
		if (quoted)
			to++;
		while (to < s->len && (quoted ? s->str[to] != '\'' : !g_ascii_isspace(s->str[to]) && s->str[to] != '&'))
			to += s->str[to] == '\\' && to + 1 < s->len ? 2 : 1;
		if (quoted && to < s->len)
			to++;
		g_string_erase(s, (gssize)from, (gssize)(to - from));
		g_string_insert(s, (gssize)from, "****");
		p = s->str + from;
	}
	return g_string_free(g_steal_pointer(&s), FALSE);
}

/* The effective configuration as a config file (every key), secrets masked. New string. */
static char *config_print_text(const PropolisConfig *c)
{
	GString *s = g_string_new("# propolis-server effective configuration (defaults < file < environment < flags)\n"
	                          "[server]\n");
	g_autofree char *db = config_mask_database(c->database_url);
	g_string_append_printf(s, "listen = %s%s%s:%u\n", strchr(c->listen_host, ':') ? "[" : "", c->listen_host,
	                       strchr(c->listen_host, ':') ? "]" : "", c->listen_port);
	g_string_append_printf(s, "data_dir = %s\n", c->data_dir ? c->data_dir : "");
	g_string_append_printf(s, "database = %s\n", db ? db : "");
	g_string_append_printf(s, "warehouse = %s\n", c->warehouse);
	g_string_append_printf(s, "catalog = %s\n", c->catalog_name);
	g_string_append_printf(s, "log_level = %s\n", c->log_level);
	g_string_append_printf(s, "migrations = %s\n", c->migrations_dir);
	g_string_append_printf(s, "http_listen = %s%s%s:%u\n", strchr(c->http_listen_host, ':') ? "[" : "",
	                       c->http_listen_host, strchr(c->http_listen_host, ':') ? "]" : "", c->http_listen_port);
	g_string_append_printf(s, "account_id = %s\n", c->account_id);
	/* Paths only: the key and the credentials themselves are never read here, let alone printed. */
	g_string_append_printf(s, "master_key_file = %s\n", c->master_key_file ? c->master_key_file : "");
	g_string_append_printf(s, "admin_credentials = %s\n", c->admin_credentials ? c->admin_credentials : "");
	g_string_append_printf(s, "audit_log = %s\n", c->audit_log ? "true" : "false");
	g_string_append_printf(s, "audit_reads = %s\n", c->audit_reads ? "true" : "false");
	g_autofree char *auth = config_auth_text(c->thrift_auth);
	g_string_append_printf(s, "thrift_auth = %s\ntls_cert = %s\ntls_key = %s\ntls_ca = %s\n", auth,
	                       c->tls_cert ? c->tls_cert : "", c->tls_key ? c->tls_key : "", c->tls_ca ? c->tls_ca : "");
	g_string_append_printf(s, "kerberos_keytab = %s\nkerberos_principal = %s\nkerberos_principal_rules = %s\n",
	                       c->kerberos_keytab ? c->kerberos_keytab : "",
	                       c->kerberos_principal ? c->kerberos_principal : "",
	                       c->kerberos_principal_rules ? c->kerberos_principal_rules : "");
	g_string_append_printf(s,
	                       "proxy_users = %s\nproxy_groups = %s\nproxy_hosts = %s\ndelegation_token_renew_interval_s = %" G_GUINT64_FORMAT
	                       "\ndelegation_token_max_lifetime_s = %" G_GUINT64_FORMAT
	                       "\ndelegation_key_update_interval_s = %" G_GUINT64_FORMAT "\n",
	                       c->proxy_users ? c->proxy_users : "", c->proxy_groups ? c->proxy_groups : "",
	                       c->proxy_hosts ? c->proxy_hosts : "",
	                       c->token_renew_interval_s, c->token_max_lifetime_s,
	                       c->token_key_update_interval_s);
	config_listeners_print(c, s);
	g_string_append(s, "\n[limits]\n");
	for (guint i = 0; i < G_N_ELEMENTS(config_limit_table); i++) {
		const ConfigLimit *l = &config_limit_table[i];
		g_string_append_printf(s, "%s = %u\n", l->key, *config_limit_field((PropolisConfig *)c, l));
	}
	return g_string_free(s, FALSE);
}

/* The text of --print-limits, also the tail of --help. New string. */
static char *config_limits_text(void)
{
	GString *s = g_string_new("Every key can also be set from the environment as PROPOLIS_<SECTION>_<KEY>\n"
	                          "(PROPOLIS_SERVER_DATABASE, PROPOLIS_LIMITS_MAX_CONNECTIONS, ...); flags beat the\n"
	                          "environment, which beats the file. --print-config shows the result.\n"
	                          "Config file keys (GKeyFile):\n"
	                          "  [server] listen, data_dir, database, warehouse, catalog, log_level, migrations,\n"
	                          "           http_listen, account_id, master_key_file, admin_credentials, audit_log, audit_reads,\n"
	                          "           thrift_auth, tls_cert, tls_key, tls_ca, kerberos_keytab, kerberos_principal,\n"
	                          "           kerberos_principal_rules, proxy_users, proxy_groups, proxy_hosts,\n"
	                          "           hadoop.proxyuser.<svc>.users/.groups/.hosts, delegation_token_renew_interval_s,\n"
	                          "           delegation_token_max_lifetime_s, delegation_key_update_interval_s\n"
	                          "  [thrift-listener NAME] listen, auth, tls_cert, tls_key, tls_ca (one more Thrift\n"
	                          "           listener; PROPOLIS_THRIFT_LISTENER_<NAME>_<KEY> in the environment)\n"
	                          "  [limits] key = value (default, range, unit: why):\n");
	for (guint i = 0; i < G_N_ELEMENTS(config_limit_table); i++) {
		const ConfigLimit *l = &config_limit_table[i];
		g_string_append_printf(s, "    %-20s %10u  [%u..%u] %s: %s\n", l->key, l->def, l->min, l->max, l->unit, l->why);
	}
	return g_string_free(s, FALSE);
}

/* Parses flags and the config file; see config.h. */
PropolisConfig *config_load(int argc, char **argv, gboolean *exit_now, GError **error)
{
	g_autofree char *config_file = NULL, *data_dir = NULL, *database = NULL, *listen = NULL, *warehouse = NULL,
	                *log_level = NULL, *migrations = NULL, *http_listen = NULL, *master_key = NULL,
	                *admin_credentials = NULL, *account_id = NULL, *thrift_auth = NULL, *tls_cert = NULL,
	                *tls_key = NULL, *tls_ca = NULL, *krb_keytab = NULL, *krb_principal = NULL;
	gboolean version = FALSE, print_limits = FALSE, print_config = FALSE, print_authz = FALSE;
	GOptionEntry entries[] = {
		{"config", 'c', 0, G_OPTION_ARG_FILENAME, &config_file, "Config file (GKeyFile)", "FILE"},
		{"data-dir", 'D', 0, G_OPTION_ARG_FILENAME, &data_dir, "Embedded mode: run our own PostgreSQL in DIR", "DIR"},
		{"database", 'd', 0, G_OPTION_ARG_STRING, &database, "External PostgreSQL (libpq URL or conninfo)", "URL"},
		{"listen", 'l', 0, G_OPTION_ARG_STRING, &listen, "Thrift listen address (default 127.0.0.1:9083)",
		 "HOST:PORT"},
		{"warehouse", 'w', 0, G_OPTION_ARG_STRING, &warehouse, "Warehouse root URI", "URI"},
		{"log-level", 0, 0, G_OPTION_ARG_STRING, &log_level, "error, warning, info or debug", "LEVEL"},
		{"migrations", 0, 0, G_OPTION_ARG_FILENAME, &migrations, "Directory of NNNN_name.sql migrations", "DIR"},
		{"http-listen", 0, 0, G_OPTION_ARG_STRING, &http_listen,
		 "Glue HTTP (SigV4) listen address (default 127.0.0.1:9084)", "HOST:PORT"},
		{"master-key-file", 0, 0, G_OPTION_ARG_FILENAME, &master_key,
		 "Master key wrapping the data keys (default <data-dir>/master.key, created 0600)", "FILE"},
		{"admin-credentials", 0, 0, G_OPTION_ARG_FILENAME, &admin_credentials,
		 "Where first start writes the admin's keys (default <data-dir>/admin.credentials)", "FILE"},
		{"account-id", 0, 0, G_OPTION_ARG_STRING, &account_id, "Account id (Glue CatalogId), default 000000000000",
		 "ID"},
		{"thrift-auth", 0, 0, G_OPTION_ARG_STRING, &thrift_auth,
		 "Who is calling on the --listen listener: anonymous (default), trust-ugi, sasl-plain or kerberos, optionally with "
		 "tls or mtls (e.g. tls,sasl-plain)", "MODE"},
		{"tls-cert", 0, 0, G_OPTION_ARG_FILENAME, &tls_cert, "PEM server certificate (chain) for tls/mtls", "FILE"},
		{"tls-key", 0, 0, G_OPTION_ARG_FILENAME, &tls_key, "PEM private key of --tls-cert", "FILE"},
		{"tls-ca", 0, 0, G_OPTION_ARG_FILENAME, &tls_ca, "PEM CA certificates that sign client certificates (mtls)",
		 "FILE"},
		{"kerberos-keytab", 0, 0, G_OPTION_ARG_FILENAME, &krb_keytab, "Service keytab for --thrift-auth kerberos",
		 "FILE"},
		{"kerberos-principal", 0, 0, G_OPTION_ARG_STRING, &krb_principal,
		 "Service principal for kerberos (hive/_HOST@EXAMPLE.COM; _HOST = the listener's host name)", "PRINCIPAL"},
		{"print-limits", 0, 0, G_OPTION_ARG_NONE, &print_limits, "Print the limits table and exit", NULL},
		{"print-config", 0, 0, G_OPTION_ARG_NONE, &print_config,
		 "Print the effective configuration (defaults < file < environment < flags), secrets masked, and exit", NULL},
		{"print-authz-table", 0, 0, G_OPTION_ARG_NONE, &print_authz,
		 "Print what every served method needs (the authorization table) as JSON lines and exit", NULL},
		{"version", 'V', 0, G_OPTION_ARG_NONE, &version, "Print the version and exit", NULL},
		{NULL, 0, 0, 0, NULL, NULL, NULL},
	};
	*exit_now = FALSE;
	g_autoptr(GOptionContext) ctx = g_option_context_new("- Hive Metastore on PostgreSQL");
	g_autofree char *desc = config_limits_text();
	g_option_context_add_main_entries(ctx, entries, NULL);
	g_option_context_set_description(ctx, desc);
	if (!g_option_context_parse(ctx, &argc, &argv, error))
		return NULL;
	if (argc > 1) {
		g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_UNKNOWN_OPTION, "unexpected argument '%s'", argv[1]);
		return NULL;
	}
	if (version || print_limits || print_authz) {
		g_autofree char *table = print_authz ? authz_method_rules_to_json_lines() : NULL;
		if (version)
			printf("propolis-server %s\n", PROPOLIS_VERSION);
		else
			fputs(table ? table : desc, stdout);
		*exit_now = TRUE;
		return NULL;
	}
	g_autoptr(PropolisConfig) c = config_new_default();
	if (config_file && !config_read_file(c, config_file, error))
		return NULL;
	if (!config_read_env(c, error))
		return NULL;
	config_take(&c->data_dir, data_dir);
	config_take(&c->database_url, database);
	config_take(&c->warehouse, warehouse);
	c->warehouse_given |= warehouse != NULL;
	config_take(&c->log_level, log_level);
	config_take(&c->migrations_dir, migrations);
	if (listen && !config_set_listen(c, listen, error))
		return NULL;
	if (http_listen && !config_set_http_listen(c, http_listen, error))
		return NULL;
	config_take(&c->master_key_file, master_key);
	config_take(&c->admin_credentials, admin_credentials);
	config_take(&c->account_id, account_id);
	if (thrift_auth && !config_auth_parse(thrift_auth, &c->thrift_auth, error)) {
		g_prefix_error(error, "--thrift-auth: ");
		return NULL;
	}
	config_take(&c->tls_cert, tls_cert);
	config_take(&c->tls_key, tls_key);
	config_take(&c->tls_ca, tls_ca);
	config_take(&c->kerberos_keytab, krb_keytab);
	config_take(&c->kerberos_principal, krb_principal);
	if (c->data_dir != NULL) {
		/* Embedded mode: an unset warehouse sits beside the PostgreSQL cluster (<data_dir>/pgdata),
		 * so ./run.sh with DATA_DIR elsewhere keeps everything under DATA_DIR. */
		if (!c->warehouse_given) {
			g_autofree char *dir = g_canonicalize_filename(c->data_dir, NULL);
			g_autofree char *wh = g_build_filename(dir, "warehouse", NULL);
			g_free(c->warehouse);
			c->warehouse = g_strconcat("file://", wh, NULL);
		}
		if (c->master_key_file == NULL)
			c->master_key_file = g_build_filename(c->data_dir, "master.key", NULL);
		if (c->admin_credentials == NULL)
			c->admin_credentials = g_build_filename(c->data_dir, "admin.credentials", NULL);
	}
	if (!config_listeners_check(c, error))
		return NULL;
	if (print_config) {
		g_autofree char *text = config_print_text(c);
		fputs(text, stdout);
		*exit_now = TRUE;
		return NULL;
	}
	if ((c->data_dir == NULL) == (c->database_url == NULL)) {
		g_set_error_literal(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
		                    "exactly one of --data-dir DIR (embedded PostgreSQL) or --database URL is required");
		return NULL;
	}
	static const char *const levels[] = {"error", "warning", "info", "debug"};
	gboolean level_ok = FALSE;
	for (guint i = 0; i < G_N_ELEMENTS(levels); i++)
		level_ok |= g_ascii_strcasecmp(c->log_level, levels[i]) == 0;
	if (!level_ok) {
		g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "--log-level: unknown level '%s'", c->log_level);
		return NULL;
	}
	return g_steal_pointer(&c);
}
