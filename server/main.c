/*
 * main.c — propolis-server: configuration, PostgreSQL, migrations, the Thrift door, the loop.
 *
 * Start-up order: config → (embedded PostgreSQL) → migrations under an advisory lock →
 * pool → catalog (ensures the catalog and `default`) → key ring and Glue door → Thrift door →
 * Thrift listeners (the primary, then each [thrift-listener NAME]) → loop. SIGTERM
 * and SIGINT stop the loop, which lets requests in flight finish (bounded), then everything
 * is torn down in reverse order and the embedded PostgreSQL is stopped.
 */
#include <malloc.h>
#include <signal.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <krb5.h>

#include "auth/kerberos_name.h"
#include "auth/keys.h"
#include "catalog/catalog.h"
#include "common/log.h"
#include "common/metrics.h"
#include "config.h"
#include "glue/glue.h"
#include "http/http.h"
#include "net/net.h"
#include "store/embedded.h"
#include "store/store.h"
#include "thrift/door.h"

static NetServer *main_server; /* for the signal handler only */

/* The Glue door: key ring, door and HTTP listener, started beside the Thrift listener. */
typedef struct {
	AuthKeyring *keyring;
	GlueDoor *door;
	HttpServer *http;
} MainGlue;

/*
 * Starts the Glue HTTP door when a master key is known (embedded mode, or --master-key-file):
 * key ring, first-start administrator, listener. FALSE only when the operator asked for the
 * door explicitly (--http-listen) and it cannot start; otherwise a failure is a warning.
 */
static gboolean main_start_glue(PropolisConfig *config, Catalog *catalog, MainGlue *g)
{
	GError *error = NULL;
	if (config->master_key_file == NULL) {
		if (config->http_listen_set)
			g_critical("--http-listen needs --master-key-file (or --data-dir) to keep access keys");
		else
			g_message("Glue HTTP door off: no --master-key-file (with --database)");
		return !config->http_listen_set;
	}
	g->keyring = auth_keyring_open(catalog, config->master_key_file, &error);
	gboolean created = FALSE;
	if (g->keyring && config->admin_credentials &&
	    !auth_keyring_bootstrap(g->keyring, config->account_id, config->admin_credentials, &created, &error))
		g_clear_pointer(&g->keyring, auth_keyring_free);
	if (created)
		g_message("created the data lake administrator arn:aws:iam::%s:user/admin; keys in %s", config->account_id,
		          config->admin_credentials);
	if (g->keyring) {
		g->door = glue_door_new(catalog, g->keyring, config);
		g->http = http_server_start(config, config->http_listen_host, config->http_listen_port, glue_door_handle,
		                            glue_door_healthy, g->door, &error);
	}
	if (g->http == NULL) {
		if (config->http_listen_set)
			g_critical("Glue HTTP door: %s", error->message);
		else
			g_warning("Glue HTTP door not started: %s", error->message);
		g_clear_error(&error);
		return !config->http_listen_set;
	}
	g_message("Glue HTTP door listening on %s:%u (account %s)", config->http_listen_host, http_server_port(g->http),
	          config->account_id);
	return TRUE;
}

/* Stops the Glue door (listener first, so no request runs while the rest goes). */
static void main_stop_glue(MainGlue *g)
{
	g_clear_pointer(&g->http, http_server_stop);
	g_clear_pointer(&g->door, glue_door_free);
	g_clear_pointer(&g->keyring, auth_keyring_free);
}

static void main_on_signal(int sig)
{
	(void)sig;
	if (main_server)
		net_server_stop(main_server);
}

/* Installs SIGTERM/SIGINT handlers and ignores SIGPIPE (writes to closed sockets fail with EPIPE). */
static void main_install_signals(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = main_on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

/* Gauges for GET /metrics: the Thrift door's open connections and the PostgreSQL pool. */
static double main_gauge_thrift_connections(gpointer server)
{
	return net_server_stats(server).open_connections;
}

static double main_gauge_pool(gpointer pool, guint which)
{
	guint v[3] = {0, 0, 0};
	store_pool_usage(pool, &v[0], &v[1], &v[2]);
	return v[which];
}

static double main_gauge_pool_open(gpointer pool)
{
	return main_gauge_pool(pool, 0);
}

static double main_gauge_pool_in_use(gpointer pool)
{
	return main_gauge_pool(pool, 1);
}

static double main_gauge_pool_waiting(gpointer pool)
{
	return main_gauge_pool(pool, 2);
}

/* Counters of connections net/ refused, by reason (see net.h NetStats). */
static double main_rejected_max_connections(gpointer server)
{
	return (double)net_server_stats(server).rejected_max_connections;
}

static double main_rejected_fd_exhausted(gpointer server)
{
	return (double)net_server_stats(server).rejected_fd_exhausted;
}

static double main_rejected_handshake(gpointer server)
{
	return (double)net_server_stats(server).handshake_failures;
}

static double main_rejected_auth(gpointer server)
{
	return (double)net_server_stats(server).auth_failures;
}

/* Registers (or, with on FALSE, removes) the Thrift door's refused-connection counters. */
static void main_rejected_counters(NetServer *server, gboolean on)
{
	static const struct {
		const char *labels;
		MetricsGaugeFn fn;
	} reasons[] = {
		{"door=\"thrift\",reason=\"max_connections\"", main_rejected_max_connections},
		{"door=\"thrift\",reason=\"fd_exhausted\"", main_rejected_fd_exhausted},
		{"door=\"thrift\",reason=\"handshake_failed\"", main_rejected_handshake},
		{"door=\"thrift\",reason=\"auth_failed\"", main_rejected_auth},
	};
	for (guint i = 0; i < G_N_ELEMENTS(reasons); i++) {
		if (on)
			metrics_counter_register(METRICS_REJECTED_NAME, METRICS_REJECTED_HELP, reasons[i].labels, reasons[i].fn,
			                         server);
		else
			metrics_gauge_unregister(reasons[i].fn, server);
	}
}

/* Registers (or, with on FALSE, removes) the gauges of server and pool. */
static void main_gauges(NetServer *server, StorePool *pool, gboolean on)
{
	main_rejected_counters(server, on);
	if (!on) {
		metrics_gauge_unregister(main_gauge_thrift_connections, server);
		metrics_gauge_unregister(main_gauge_pool_open, pool);
		metrics_gauge_unregister(main_gauge_pool_in_use, pool);
		metrics_gauge_unregister(main_gauge_pool_waiting, pool);
		return;
	}
	metrics_gauge_register("propolis_open_connections", "Client connections open now, by door.", "door=\"thrift\"",
	                       main_gauge_thrift_connections, server);
	metrics_gauge_register("propolis_pg_pool_connections", "PostgreSQL pool connections, open and in use.",
	                       "state=\"open\"", main_gauge_pool_open, pool);
	metrics_gauge_register("propolis_pg_pool_connections", "PostgreSQL pool connections, open and in use.",
	                       "state=\"in_use\"", main_gauge_pool_in_use, pool);
	metrics_gauge_register("propolis_pg_pool_waiting", "Requests waiting for a PostgreSQL connection.", NULL,
	                       main_gauge_pool_waiting, pool);
}

/*
 * The service principal of a kerberos listener on host: _HOST becomes the host name as Hive's
 * SecurityUtil.getServerPrincipal does (a wildcard or literal address: this machine's name).
 */
static char *main_kerberos_principal(const PropolisConfig *config, const char *host)
{
	if (config->kerberos_principal == NULL)
		return NULL;
	gboolean wildcard = host == NULL || *host == '\0' || strcmp(host, "*") == 0 || g_hostname_is_ip_address(host);
	return kerberos_principal_expand_host(config->kerberos_principal, wildcard ? g_get_host_name() : host);
}

/* net/'s options for a Thrift listener with config auth bits and TLS files. */
static NetListenerOptions main_listener_options(const char *name, guint auth, const char *cert, const char *key,
                                                const char *ca)
{
	return (NetListenerOptions){
		.sasl_gssapi = (auth & CONFIG_AUTH_KERBEROS) != 0,
		.name = name,
		.trust_client_user = (auth & CONFIG_AUTH_TRUST_UGI) != 0,
		.sasl_plain = (auth & CONFIG_AUTH_SASL_PLAIN) != 0,
		.tls = (auth & (CONFIG_AUTH_TLS | CONFIG_AUTH_MTLS)) != 0,
		.verify_client = (auth & CONFIG_AUTH_MTLS) != 0,
		.cert_file = cert,
		.key_file = key,
		.ca_file = ca,
	};
}

/* Binds one Thrift listener (the index-th) and says so; FALSE (logged) when it cannot. */
static gboolean main_add_listener(NetServer *server, guint index, const char *host, guint port,
                                  const NetListenerOptions *opts, guint auth)
{
	GError *error = NULL;
	g_autofree char *mode = config_auth_text(auth);
	if (!net_server_add_listener(server, host, port, opts, &error)) {
		g_critical("Thrift listener %s on %s:%u (auth %s): %s", opts->name, host, port, mode, error->message);
		g_error_free(error);
		return FALSE;
	}
	g_message("Thrift listener %s on %s:%u (auth %s)", opts->name, host, net_server_listener_port(server, index),
	          mode);
	return TRUE;
}

/* Binds the primary listener ([server] listen, thrift_auth, tls_*) and each [thrift-listener NAME]. */
static gboolean main_listen(NetServer *server, const PropolisConfig *config)
{
	NetListenerOptions main_opts =
		main_listener_options("main", config->thrift_auth, config->tls_cert, config->tls_key, config->tls_ca);
	g_autofree char *main_krb = main_kerberos_principal(config, config->listen_host);
	main_opts.kerberos_keytab = config->kerberos_keytab;
	main_opts.kerberos_principal = main_krb;
	if (!main_add_listener(server, 0, config->listen_host, config->listen_port, &main_opts, config->thrift_auth))
		return FALSE;
	for (guint i = 0; config->thrift_listeners && i < config->thrift_listeners->len; i++) {
		const ConfigThriftListener *l = g_ptr_array_index(config->thrift_listeners, i);
		NetListenerOptions opts = main_listener_options(l->name, l->auth, l->tls_cert, l->tls_key, l->tls_ca);
		g_autofree char *krb = main_kerberos_principal(config, l->host);
		opts.kerberos_keytab = config->kerberos_keytab;
		opts.kerberos_principal = krb;
		if (!main_add_listener(server, i + 1, l->host, l->port, &opts, l->auth))
			return FALSE;
	}
	return TRUE;
}

/* TRUE when some Thrift listener checks SASL PLAIN passwords (which needs the key ring). */
static gboolean main_wants_sasl(const PropolisConfig *config)
{
	gboolean sasl = (config->thrift_auth & CONFIG_AUTH_SASL_PLAIN) != 0;
	for (guint i = 0; config->thrift_listeners && i < config->thrift_listeners->len; i++)
		sasl |= (((ConfigThriftListener *)g_ptr_array_index(config->thrift_listeners, i))->auth &
		         CONFIG_AUTH_SASL_PLAIN) != 0;
	return sasl;
}

/* TRUE when some Thrift listener authenticates with Kerberos. */
static gboolean main_wants_kerberos(const PropolisConfig *config)
{
	gboolean krb = (config->thrift_auth & CONFIG_AUTH_KERBEROS) != 0;
	for (guint i = 0; config->thrift_listeners && i < config->thrift_listeners->len; i++)
		krb |= (((ConfigThriftListener *)g_ptr_array_index(config->thrift_listeners, i))->auth &
		        CONFIG_AUTH_KERBEROS) != 0;
	return krb;
}

/* The krb5 default realm (krb5.conf libdefaults), or NULL when none is configured. */
static char *main_kerberos_default_realm(void)
{
	krb5_context ctx = NULL;
	char *realm = NULL, *out = NULL;
	if (krb5_init_context(&ctx) != 0)
		return NULL;
	if (krb5_get_default_realm(ctx, &realm) == 0) {
		out = g_strdup(realm);
		krb5_free_default_realm(ctx, realm);
	}
	krb5_free_context(ctx);
	return out;
}

/* Parses kerberos_principal_rules and hands them to the door; FALSE (logged) on a bad rule. */
static gboolean main_setup_kerberos(gpointer door, const PropolisConfig *config)
{
	g_autoptr(GError) error = NULL;
	KerberosRules *rules = kerberos_rules_parse(config->kerberos_principal_rules, &error);
	if (rules == NULL) {
		g_critical("%s", error->message);
		return FALSE;
	}
	g_autofree char *realm = main_kerberos_default_realm();
	g_message("kerberos: default realm %s, principal rules: %s", realm ? realm : "(none)",
	          config->kerberos_principal_rules ? config->kerberos_principal_rules : "DEFAULT");
	thrift_door_set_kerberos(door, rules, realm);
	return TRUE;
}

/* Runs the server with a loaded config; returns the process exit status. */
static int main_run(PropolisConfig *config)
{
	GError *error = NULL;
	EmbeddedPg *embedded = NULL;
	const char *conninfo = config->database_url;
	int status = 1;

	if (config->data_dir) {
		embedded = embedded_pg_start(config->data_dir, &error);
		if (embedded == NULL) {
			g_critical("embedded PostgreSQL in %s: %s", config->data_dir, error->message);
			g_error_free(error);
			return 1;
		}
		conninfo = embedded_pg_conninfo(embedded);
	}
	if (!store_migrate(conninfo, config->migrations_dir, &error)) {
		g_critical("migrations: %s", error->message);
		g_error_free(error);
		embedded_pg_stop(embedded);
		return 1;
	}
	StorePool *pool = store_pool_new(conninfo, config->pool_size, config->pool_wait_ms);
	Catalog *catalog = catalog_new(config, pool, &error);
	if (catalog == NULL) {
		g_critical("catalog: %s", error->message);
		g_error_free(error);
		store_pool_free(pool);
		embedded_pg_stop(embedded);
		return 1;
	}
	MainGlue glue = {0};
	gboolean glue_ok = main_start_glue(config, catalog, &glue);
	if (glue_ok && glue.keyring == NULL && main_wants_sasl(config)) {
		g_critical("--thrift-auth sasl-plain checks passwords against access keys, but there is no key ring "
		           "(--master-key-file, or --data-dir; see the messages above)");
		glue_ok = FALSE;
	}
	if (!glue_ok) {
		main_stop_glue(&glue);
		catalog_free(catalog);
		store_pool_free(pool);
		embedded_pg_stop(embedded);
		return 1;
	}
	gpointer door = thrift_door_new(catalog, config);
	thrift_door_set_keyring(door, glue.keyring);
	AuthTokens *tokens = NULL;
	if (glue.keyring != NULL) {
		AuthTokensConfig tcfg = {.key_update_ms = (gint64)config->token_key_update_interval_s * 1000,
		                         .renew_ms = (gint64)config->token_renew_interval_s * 1000,
		                         .max_ms = (gint64)config->token_max_lifetime_s * 1000,
		                         .proxy_users = config->proxy_users,
		                         .proxy_groups = config->proxy_groups,
		                         .proxy_hosts = config->proxy_hosts};
		tokens = auth_tokens_new(catalog, glue.keyring, &tcfg);
		thrift_door_set_tokens(door, tokens);
	}
	if (main_wants_kerberos(config) && !main_setup_kerberos(door, config)) {
		thrift_door_free(door);
		auth_tokens_free(tokens);
		main_stop_glue(&glue);
		catalog_free(catalog);
		store_pool_free(pool);
		embedded_pg_stop(embedded);
		return 1;
	}
	NetServer *server = net_server_new(config, thrift_door_vtable(), door);
	main_gauges(server, pool, TRUE);
	CatalogGauges *catalog_gauges = catalog_gauges_start(catalog);
	if (main_listen(server, config)) {
		g_message("propolis-server %s listening on %s:%u (catalog %s, warehouse %s, pool %u, workers %u)",
		          PROPOLIS_VERSION, config->listen_host, net_server_port(server), catalog_default_name(catalog),
		          config->warehouse, config->pool_size, config->worker_threads);
		main_server = server;
		main_install_signals();
		if (net_server_run(server, &error)) {
			status = 0;
			g_message("propolis-server stopped");
		} else {
			g_critical("event loop: %s", error->message);
			g_clear_error(&error);
		}
		main_server = NULL;
	}
	main_stop_glue(&glue);
	catalog_gauges_stop(catalog_gauges);
	main_gauges(server, pool, FALSE);
	net_server_free(server);
	thrift_door_free(door);
	auth_tokens_free(tokens);
	catalog_free(catalog);
	store_pool_free(pool);
	embedded_pg_stop(embedded);
	return status;
}

/*
 * Memory a burst of work freed goes back to the kernel (with net/worker.c's malloc_trim after
 * heavy requests). Two allocators would keep it otherwise. GLib 2.74 (Debian 12) still serves
 * g_slice from per-thread magazines and slabs it seldom returns: after add_partitions of 10,000
 * the server kept ~11 MB of empty slabs for good. G_SLICE=always-malloc makes g_slice plain
 * malloc, but GLib reads it when it first allocates, which GObject's constructor does before
 * main(); so the server sets it and executes itself again, once (same pid, same arguments).
 * glibc gives each thread its own arena up to 8 per core, each keeping its own free memory;
 * one per core (at least 2) holds less and, with a few workers per core, contends little.
 * Measured (bench/RESULTS.md, run 5): RSS after a setup of 10,000 partitions and a few
 * seconds of get_table, 55 MB before, 24 MB after, against 17 MB idle.
 */
static void main_memory_setup(char **argv)
{
	if (getenv("G_SLICE") == NULL) {
		setenv("G_SLICE", "always-malloc", 1);
		execv("/proc/self/exe", argv);
		unsetenv("G_SLICE"); /* no /proc: carry on with the magazines */
	}
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	mallopt(M_ARENA_MAX, (int)CLAMP(cpus, 2, 64));
}

int main(int argc, char **argv)
{
	GError *error = NULL;
	main_memory_setup(argv);
	gboolean exit_now = FALSE;
	g_autoptr(PropolisConfig) config = config_load(argc, argv, &exit_now, &error);
	if (exit_now)
		return 0;
	if (config == NULL) {
		fprintf(stderr, "propolis-server: %s\nTry --help.\n", error->message);
		g_error_free(error);
		return 2;
	}
	log_init(config->log_level);
	return main_run(config);
}
