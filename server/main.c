/*
 * main.c — propolis-server: configuration, PostgreSQL, migrations, the Thrift door, the loop.
 *
 * Start-up order: config → (embedded PostgreSQL) → migrations under an advisory lock →
 * pool → catalog (ensures the catalog and `default`) → door → listener → loop. SIGTERM
 * and SIGINT stop the loop, which lets requests in flight finish (bounded), then everything
 * is torn down in reverse order and the embedded PostgreSQL is stopped.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>

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

/* Registers (or, with on FALSE, removes) the gauges of server and pool. */
static void main_gauges(NetServer *server, StorePool *pool, gboolean on)
{
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
	if (!main_start_glue(config, catalog, &glue)) {
		main_stop_glue(&glue);
		catalog_free(catalog);
		store_pool_free(pool);
		embedded_pg_stop(embedded);
		return 1;
	}
	gpointer door = thrift_door_new(catalog, config);
	NetServer *server = net_server_new(config, thrift_door_vtable(), door);
	main_gauges(server, pool, TRUE);
	if (!net_server_listen(server, config->listen_host, config->listen_port, &error)) {
		g_critical("listen on %s:%u: %s", config->listen_host, config->listen_port, error->message);
		g_clear_error(&error);
	} else {
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
	main_gauges(server, pool, FALSE);
	net_server_free(server);
	thrift_door_free(door);
	catalog_free(catalog);
	store_pool_free(pool);
	embedded_pg_stop(embedded);
	return status;
}

int main(int argc, char **argv)
{
	GError *error = NULL;
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
