/*
 * config.h — the effective configuration of one propolis-server process.
 *
 * Built once at start from defaults, the config file (GKeyFile), the environment
 * (PROPOLIS_<SECTION>_<KEY>) and flags, in that order of precedence, then read-only:
 * workers and the loop get a const pointer and never write it. Every limit is one row of
 * the limits table in config.c (name, default, min, max, unit, why); `--print-limits` prints it.
 */
#ifndef PROPOLIS_CONFIG_H
#define PROPOLIS_CONFIG_H

#include <glib.h>

G_BEGIN_DECLS

/* The warehouse when none is given and there is no data directory. */
#define CONFIG_DEFAULT_WAREHOUSE "file:///var/lib/propolis/warehouse"

typedef struct {
	/* [server] */
	char *listen_host;   /* "127.0.0.1" */
	guint listen_port;   /* 9083 */
	char *data_dir;      /* embedded mode, or NULL */
	char *database_url;  /* external PostgreSQL, or NULL */
	char *warehouse;     /* "file:///var/lib/propolis/warehouse"; embedded mode: file://<data_dir>/warehouse */
	gboolean warehouse_given; /* set by the file, the environment or a flag (else the default above applies) */
	char *catalog_name;  /* "hive" */
	char *log_level;     /* "info" */
	char *migrations_dir;/* where NNNN_name.sql live */
	char *http_listen_host;   /* Glue HTTP door: "127.0.0.1" */
	guint http_listen_port;   /* 9084 */
	gboolean http_listen_set; /* given by flag or file: failing to listen is then fatal */
	char *master_key_file;    /* NULL: <data-dir>/master.key (required with --database) */
	char *admin_credentials;  /* NULL: <data-dir>/admin.credentials (required with --database) */
	char *account_id;         /* Glue CatalogId / IAM account: "000000000000" */
	gboolean audit_log;       /* one JSON audit line per Thrift call at info level (default TRUE) */
	gboolean audit_reads;     /* allowed DESCRIBE/SELECT decisions in the audit table too (default FALSE) */
	/* Who is calling on the primary Thrift listener (listen_host:listen_port): config_listener.c */
	guint thrift_auth;        /* CONFIG_AUTH_* bits (--thrift-auth, [server] thrift_auth); 0 = anonymous */
	char *tls_cert;           /* PEM server certificate (chain) for tls/mtls; also the listeners' default */
	char *tls_key;            /* PEM private key of tls_cert */
	char *tls_ca;             /* PEM CA certificates client certificates must chain to (mtls) */
	GPtrArray *thrift_listeners; /* ConfigThriftListener*: the [thrift-listener NAME] sections */
	/* Kerberos (--thrift-auth kerberos, issue 16): shared by every kerberos listener */
	char *kerberos_keytab;          /* service keytab (NULL: KRB5_KTNAME / the default keytab) */
	char *kerberos_principal;       /* "hive/_HOST@EXAMPLE.COM"; _HOST becomes the listener's host name */
	char *kerberos_principal_rules; /* Hadoop auth_to_local rules (NULL: DEFAULT) */
	char *proxy_users;              /* "svc=alice,bob;trino=*": who may get delegation tokens owned by others */
	char *proxy_groups;             /* "svc=analysts;trino=*": or owners in these principal groups (.groups) */
	char *proxy_hosts;              /* "svc=10.0.0.5,127.0.0.1;trino=*": from where (hadoop.proxyuser.<svc>.hosts) */
	guint64 token_renew_interval_s; /* hive.cluster.delegation.token.renew-interval (86400) */
	guint64 token_max_lifetime_s;   /* hive.cluster.delegation.token.max-lifetime (604800) */
	guint64 token_key_update_interval_s; /* hive.cluster.delegation.key.update-interval (86400) */

	/* [limits] — see the table in config.c */
	guint max_connections;      /* open client connections; more are refused at accept */
	guint max_message_size;     /* bytes of one Thrift request (frame or unframed message) */
	guint max_string_length;    /* bytes of one Thrift string/binary field */
	guint max_list_length;      /* elements of one list/set/map */
	guint max_nesting_depth;    /* struct/container nesting */
	guint idle_timeout_s;       /* an idle client connection is closed after this */
	guint request_deadline_ms;  /* a request that runs longer fails with MetaException */
	guint worker_threads;       /* threads running requests */
	guint pool_size;            /* PostgreSQL connections held at most */
	guint pool_wait_ms;         /* a request waits this long for a pool connection */
	guint shutdown_grace_ms;    /* SIGTERM: wait this long for requests in flight */
	guint max_output_buffer;    /* unsent reply bytes per connection before it is closed */
	guint output_stall_ms;      /* a streamed reply whose client reads nothing this long is abandoned */
	guint http_max_body;        /* bytes of one HTTP request body (Glue JSON) */
	guint http_max_header;      /* bytes of one HTTP request's headers (per-connection memory) */
	guint http_threads;         /* HTTP door threads, each serving its connections' requests */
	guint http_max_connections; /* open HTTP connections */
	guint http_timeout_s;       /* an idle HTTP connection is closed after this */
	guint json_max_depth;       /* nesting of a Glue JSON request body */
	guint lock_timeout_s;       /* a lock/txn without heartbeat this long expires (locks, txns) */
	guint event_ttl_s;          /* notification events older than this are trimmed */
	guint audit_ttl_s;          /* authorization decisions older than this are trimmed */
	guint handshake_timeout_ms; /* TLS handshake + SASL negotiation must end this long after accept */
	guint max_sasl_message;     /* bytes of one SASL negotiation message (before authentication) */
} PropolisConfig;

/* One row of the limits table, for --help, --print-limits and the edge tests. */
typedef struct {
	const char *key;     /* config key, "[limits] max_message_size" is "max_message_size" */
	guint def, min, max; /* default, and the range a config may set */
	const char *unit;
	const char *why;     /* why this default, and why the ceiling */
	gsize offset;        /* offsetof(PropolisConfig, field) */
} ConfigLimit;

/* The limits table; *n_out receives its length. Static storage, never freed. */
const ConfigLimit *config_limits(guint *n_out);

/*
 * Parses argv (and the --config file it names) into a new config. Returns NULL with
 * error set on an unknown flag, a bad value or a limit outside its range; prints
 * --help/--version/--print-limits itself and sets *exit_now. Free with config_free().
 */
PropolisConfig *config_load(int argc, char **argv, gboolean *exit_now, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* A config with every default set, for tests and embedded users. */
PropolisConfig *config_new_default(void);

void config_free(PropolisConfig *config);

/* ---- Thrift listeners and how each learns who is calling (config_listener.c) ---- */

/* Bits of an auth setting ("tls,sasl-plain"); none of them is "anonymous". */
enum {
	CONFIG_AUTH_TRUST_UGI = 1 << 0,  /* set_ugi's user name is the principal */
	CONFIG_AUTH_SASL_PLAIN = 1 << 1, /* SASL PLAIN: principal name + secret access key, before any call */
	CONFIG_AUTH_TLS = 1 << 2,        /* TLS with tls_cert/tls_key */
	CONFIG_AUTH_MTLS = 1 << 3,       /* TLS + client certificate verified against tls_ca; its CN is the principal */
	CONFIG_AUTH_KERBEROS = 1 << 4,   /* SASL GSSAPI: a Kerberos ticket, mapped by kerberos_principal_rules */
};

/* One extra Thrift listener, [thrift-listener NAME]. Strings owned; NULL tls_* inherit [server]'s. */
typedef struct {
	char *name; /* letters, digits and '_' (so PROPOLIS_THRIFT_LISTENER_<NAME>_<KEY> can set it) */
	char *host;
	guint port;
	gboolean listen_set;
	guint auth; /* CONFIG_AUTH_* */
	char *tls_cert, *tls_key, *tls_ca;
} ConfigThriftListener;

/* Parses "anonymous" or a ','-separated set of trust-ugi|sasl-plain|tls|mtls. FALSE with a message. */
gboolean config_auth_parse(const char *text, guint *auth, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* The text of auth bits ("anonymous", "tls,sasl-plain"). New string. */
char *config_auth_text(guint auth);
/* Splits "HOST:PORT" ("[::1]:9083" for IPv6): host is a new string. FALSE with a message. */
gboolean config_parse_host_port(const char *value, char **host, guint *port, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* Reads one [thrift-listener NAME] group of a key file (section is the group name). */
gboolean config_listener_read_group(PropolisConfig *c, GKeyFile *kf, const char *section, const char *path,
                                    GError **error) G_GNUC_WARN_UNUSED_RESULT;
/*
 * Applies one PROPOLIS_THRIFT_LISTENER_<NAME>_<KEY> variable (name=value as in environ);
 * FALSE with error when the variable is malformed or its value bad.
 */
gboolean config_listener_read_env(PropolisConfig *c, const char *name, const char *value,
                                  GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* Checks every listener (primary and sections) once all sources are read; errors name the key. */
gboolean config_listeners_check(PropolisConfig *c, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* Appends the [thrift-listener NAME] sections to a --print-config text. */
void config_listeners_print(const PropolisConfig *c, GString *out);
void config_listener_free(ConfigThriftListener *l);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(PropolisConfig, config_free)

G_END_DECLS

#endif
