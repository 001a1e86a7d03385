/*
 * internal.h — what the Glue door's files share: the door, one call, the operation table
 * type, request readers (validation per botocore's Glue model), response shaping and page
 * tokens.
 *
 * Request readers fail with CATALOG_ERROR_INVALID_INPUT (→ InvalidInputException) for a
 * value outside the model's constraints and G_IO_ERROR_INVALID_DATA (→ SerializationException)
 * for a member of the wrong JSON type, as AWS distinguishes them.
 */
#ifndef PROPOLIS_GLUE_INTERNAL_H
#define PROPOLIS_GLUE_INTERNAL_H

#include <gio/gio.h>

#include "common/error.h"
#include "glue/glue.h"

struct GlueDoor {
	Catalog *cat;
	AuthKeyring *keyring;
	const PropolisConfig *config;
};

/* One request being served. */
typedef struct {
	GlueDoor *door;
	CatalogCtx ctx;
	const char *operation;
	JsonObject *in; /* the request body */
	char *catalog;  /* the Hive catalog CatalogId "<account>:<name>" selects (glue_check_catalog_id); NULL = default */
} GlueCall;

/* An operation: reads call->in, returns the response object (new), or NULL with error. */
typedef JsonObject *(*GlueOpFn)(GlueCall *call, GError **error);

typedef struct {
	const char *name; /* "GetTable" */
	GlueOpFn fn;
} GlueOp;

/* Operation tables of each file, NULL-terminated. */
extern const GlueOp glue_database_ops[];
extern const GlueOp glue_table_ops[];
extern const GlueOp glue_function_ops[];
extern const GlueOp glue_partition_ops[];
extern const GlueOp glue_stats_ops[];
extern const GlueOp glue_connection_ops[];
extern const GlueOp glue_search_ops[];
extern const GlueOp glue_partition_index_ops[];

/* ---- partition_index.c: shared with table.c (CreateTable's PartitionIndexes) ---- */
/* Checks a PartitionIndex object's shape: IndexName, Keys (1.., NameStrings). FALSE with error. */
gboolean glue_in_partition_index(JsonObject *index, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* ---- partition.c: shared with stats.c ---- */
/* The string list member of o (values of at most 1024 characters, borrowed); NULL with error. */
GPtrArray *glue_part_values_member(JsonObject *o, const char *member, GError **error);
/* The partition key names of db.table (new strv); NULL with EntityNotFound. */
char **glue_part_keys(GlueCall *call, const char *db, const char *table, GError **error);
/* The Hive name of values under keys (new); NULL with InvalidInput when the counts differ. */
char *glue_part_name(char **keys, GPtrArray *values, GError **error);
/* GetPartitions' Expression rewritten into Hive's filter grammar (new string); never fails, the
 * catalog's parser judges the result. Exposed for tests/fuzz/fuzz_glue_expr.c. */
char *glue_part_filter_of(const char *expr);

/* ---- door.c: shared with the Lake Formation door (lakeformation/) ---- */
/* Verifies req's SigV4 signature against the access key's secret; fills *principal (clear it). */
gboolean glue_authenticate(GlueDoor *door, const HttpRequest *req, AuthPrincipal *principal,
                           GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* The body as a mutable JSON object ({} when empty), nesting bounded by json_max_depth; NULL with G_IO_ERROR. */
JsonObject *glue_parse_body(GlueDoor *door, const HttpRequest *req, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* ---- door.c: the request path after SigV4, the seam of tests/fuzz/fuzz_glue_request.c ---- */
/* The operation X-Amz-Target names (borrowed from req; *fn its function), content type checked;
 * NULL with G_IO_ERROR NOT_SUPPORTED (unknown target) or INVALID_DATA (content type). */
const char *glue_target(const HttpRequest *req, GlueOpFn *fn, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* Parses req's body and runs fn (operation op) as principal: the response object (new), or NULL with error. */
JsonObject *glue_door_run(GlueDoor *door, GlueOpFn fn, const char *op, const char *principal, guint64 rid,
                          const HttpRequest *req, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* ---- errors.c ---- */
/* The Glue error type and HTTP status for an error (the one table of this door). */
const char *glue_error_type(const GError *error, guint *status);
/* Fills resp with the error's JSON body. */
void glue_error_respond(const GError *error, HttpResponse *resp);

/* ---- shape.c: request readers ---- */
/* String member: NULL when absent (error set if required), type and length checked. */
const char *glue_in_string(JsonObject *in, const char *member, gboolean required, guint max_len, GError **error);
/* A NameString member (1..255 characters, no control characters but tab). */
const char *glue_in_name(JsonObject *in, const char *member, gboolean required, GError **error);
/* Object member; NULL when absent (error set if required). */
JsonObject *glue_in_object(JsonObject *in, const char *member, gboolean required, GError **error);
/* Array member; NULL when absent. */
JsonArray *glue_in_array(JsonObject *in, const char *member, gboolean required, GError **error);
/* Integer member in [min, max], def when absent. FALSE with error otherwise. */
gboolean glue_in_int(JsonObject *in, const char *member, gint64 min, gint64 max, gint64 def, gint64 *out,
                     GError **error);
/* Checks CatalogId, when given, is the account id (other accounts: EntityNotFound). */
gboolean glue_check_catalog_id(GlueCall *call, GError **error);
/* A CatalogId value: the account id (default catalog) or "<account id>:<catalog>" into call->catalog; else NOT_FOUND. */
gboolean glue_catalog_id_select(GlueCall *call, const char *id, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* The CatalogId an answer carries for call->catalog (account id, or "<account id>:<catalog>"), new string. */
char *glue_catalog_id_out(GlueCall *call);

/* ---- shape.c: documents ---- */
/* A deep copy of an input object. */
JsonObject *glue_copy_object(JsonObject *o);
/* Turns a TableInput into a table document in place (times to integers, skewed values). */
void glue_table_from_input(JsonObject *t);
/* A document shaped for Glue output: Hive/CatalogName removed, CatalogId set, skewed values as strings. New. */
JsonObject *glue_shape_out(GlueCall *call, JsonObject *doc);
/* An array of shaped documents from a GPtrArray of JsonObject. */
JsonArray *glue_shape_list(GlueCall *call, GPtrArray *docs, guint from, guint to);

/* ---- shape.c: page tokens (opaque, HMAC-signed, bound to operation and scope) ---- */
char *glue_token_make(GlueCall *call, const char *scope, const char *after);
/* The position a token carries (new string); NULL token gives NULL and TRUE. */
gboolean glue_token_read(GlueCall *call, const char *scope, const char *token, char **after, GError **error);

/* Index of the first name (sorted GPtrArray of char*) after `after` (NULL: 0). */
guint glue_page_start(GPtrArray *names, const char *after);

#endif
