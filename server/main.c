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

#include "catalog/catalog.h"
#include "common/log.h"
#include "config.h"
#include "net/net.h"
#include "store/embedded.h"
#include "store/store.h"
#include "thrift/door.h"

static NetServer *main_server; /* for the signal handler only */

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
	gpointer door = thrift_door_new(catalog, config);
	NetServer *server = net_server_new(config, thrift_door_vtable(), door);
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
