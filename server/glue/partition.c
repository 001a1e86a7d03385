/*
 * partition.c — Glue partition operations: Create, BatchCreate, Get, GetPartitions, BatchGet,
 * Update, BatchUpdate, Delete, BatchDelete, all on the catalog's partition operations, so a
 * partition written through either door is the same row.
 *
 * GetPartitions' Expression goes to the catalog's partition filter (catalog/partfilter.h),
 * which accepts the part of Glue's SQL-like grammar that Hive's filter shares: comparisons
 * (= <> != < <= > >=), LIKE, BETWEEN, [NOT] IN, AND, OR and parentheses, with integer and
 * date keys compared by value, plus IS [NOT] NULL (rewritten, see glue_part_filter_of). Glue
 * also documents NOT before any condition; that is refused here with InvalidInputException. Pages are positions in value order
 * carried in a signed token; Segment splits the partitions by a stable hash of their values,
 * so the segments of one TotalSegments are disjoint and together hold every partition.
 * Batch operations report per-item Errors as Glue does; a missing table fails the request.
 */
#include <string.h>

#include "catalog/partname.h"
#include "glue/internal.h"

#define GLUE_PART_PAGE_MAX 1000
#define GLUE_PART_CREATE_MAX 100
#define GLUE_PART_GET_MAX 1000
#define GLUE_PART_DELETE_MAX 25
#define GLUE_PART_UPDATE_MAX 100
#define GLUE_VALUE_MAX 1024

/* A batch list longer than max: InvalidInputException as AWS words it. */
static gboolean glue_part_too_many(const char *member, guint max, GError **error)
{
	g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_INPUT,
	            "1 validation error detected: Value at '%s' failed to satisfy constraint: "
	            "Member must have length less than or equal to %u", member, max);
	return FALSE;
}

/* A ValueStringList (strings of at most 1024 characters) as char* borrowed from the array; NULL on error. */
static GPtrArray *glue_part_values(JsonArray *a, const char *member, GError **error)
{
	g_autoptr(GPtrArray) vals = g_ptr_array_new();
	for (guint i = 0; a && i < json_array_get_length(a); i++) {
		JsonNode *n = json_array_get_element(a, i);
		if (!JSON_NODE_HOLDS_VALUE(n) || json_node_get_value_type(n) != G_TYPE_STRING) {
			g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s must be a list of strings", member);
			return NULL;
		}
		const char *s = json_node_get_string(n);
		if (g_utf8_strlen(s, -1) > GLUE_VALUE_MAX) {
			g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_INPUT,
			            "1 validation error detected: Value at '%s' failed to satisfy constraint: "
			            "Member must have length less than or equal to %d", member, GLUE_VALUE_MAX);
			return NULL;
		}
		g_ptr_array_add(vals, (gpointer)s);
	}
	return g_steal_pointer(&vals);
}

/* The values list member `member` of o (required). */
GPtrArray *glue_part_values_member(JsonObject *o, const char *member, GError **error)
{
	JsonArray *a = glue_in_array(o, member, TRUE, error);
	return a ? glue_part_values(a, member, error) : NULL;
}

/* Checks a PartitionInput's members' types and lengths. */
static gboolean glue_part_input_check(JsonObject *input, GError **error)
{
	JsonArray *vals = NULL;
	if (((vals = glue_in_array(input, "Values", FALSE, error)), error && *error) ||
	    (glue_in_object(input, "StorageDescriptor", FALSE, error), error && *error) ||
	    (glue_in_object(input, "Parameters", FALSE, error), error && *error))
		return FALSE;
	g_autoptr(GPtrArray) v = vals ? glue_part_values(vals, "PartitionInput.Values", error) : NULL;
	return vals == NULL || v != NULL;
}

/* PartitionInput → a partition document of db.table (new); values replace the input's Values when given. */
static JsonObject *glue_part_doc(JsonObject *input, const char *db, const char *table, GPtrArray *values)
{
	JsonObject *p = glue_copy_object(input);
	json_object_remove_member(p, "Hive");
	json_object_remove_member(p, "CatalogId");
	json_object_remove_member(p, "CreationTime");
	glue_table_from_input(p);
	if (values != NULL) {
		JsonArray *a = json_array_new();
		for (guint i = 0; i < values->len; i++)
			json_array_add_string_element(a, g_ptr_array_index(values, i));
		json_object_set_array_member(p, "Values", a);
	} else if (!json_object_has_member(p, "Values")) {
		json_object_set_array_member(p, "Values", json_array_new());
	}
	json_object_set_string_member(p, "DatabaseName", db);
	json_object_set_string_member(p, "TableName", table);
	return p;
}

/* The table's partition key names (new strv), or NULL with EntityNotFound. */
char **glue_part_keys(GlueCall *call, const char *db, const char *table, GError **error)
{
	g_autoptr(JsonObject) t = catalog_get_table(call->door->cat, &call->ctx, call->catalog, db, table, error);
	if (t == NULL)
		return NULL;
	JsonNode *kn = json_object_get_member(t, "PartitionKeys");
	JsonArray *keys = kn && JSON_NODE_HOLDS_ARRAY(kn) ? json_node_get_array(kn) : NULL;
	guint n = keys ? json_array_get_length(keys) : 0;
	char **out = g_new0(char *, n + 1);
	for (guint i = 0; i < n; i++) {
		JsonObject *k = json_array_get_object_element(keys, i);
		out[i] = g_strdup(json_object_get_string_member_with_default(k, "Name", ""));
	}
	return out;
}

/* The Hive name of values under keys, or NULL with InvalidInput when the counts differ. */
char *glue_part_name(char **keys, GPtrArray *values, GError **error)
{
	guint nkeys = g_strv_length(keys);
	if (values->len != nkeys) {
		g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_INPUT,
		            "The number of partition keys do not match the number of partition values");
		return NULL;
	}
	return partname_make((const char *const *)keys, (const char *const *)values->pdata, nkeys);
}

/* The Values of a document as a new JsonArray of strings. */
static JsonArray *glue_part_doc_values(JsonObject *doc)
{
	JsonArray *a = json_array_new();
	JsonNode *n = json_object_get_member(doc, "Values");
	JsonArray *src = n && JSON_NODE_HOLDS_ARRAY(n) ? json_node_get_array(n) : NULL;
	for (guint i = 0; src && i < json_array_get_length(src); i++) {
		JsonNode *e = json_array_get_element(src, i);
		json_array_add_string_element(a, JSON_NODE_HOLDS_VALUE(e) ? json_node_get_string(e) : "");
	}
	return a;
}

/* {"PartitionValues": [...], "ErrorDetail": {...}} (member names vary: values_member, detail_member). */
static JsonObject *glue_part_error(JsonArray *values, const char *values_member, const char *detail_member,
                                   const GError *e)
{
	guint status = 0;
	JsonObject *detail = json_object_new();
	json_object_set_string_member(detail, "ErrorCode", glue_error_type(e, &status));
	/* ErrorMessage is at most 2048 characters; cutting bytes could split one and break the JSON's UTF-8 */
	g_autofree char *valid = g_utf8_make_valid(e->message, -1);
	g_autofree char *msg = g_utf8_substring(valid, 0, MIN(g_utf8_strlen(valid, -1), 2048));
	json_object_set_string_member(detail, "ErrorMessage", msg);
	JsonObject *o = json_object_new();
	json_object_set_array_member(o, values_member, values);
	json_object_set_object_member(o, detail_member, detail);
	return o;
}

/* Reads DatabaseName, TableName and CatalogId. */
static gboolean glue_part_target(GlueCall *call, const char **db, const char **table, GError **error)
{
	*db = glue_in_name(call->in, "DatabaseName", TRUE, error);
	*table = *db ? glue_in_name(call->in, "TableName", TRUE, error) : NULL;
	return *table != NULL && glue_check_catalog_id(call, error);
}

/* The catalog reports a missing table on writes as Hive does; Glue says EntityNotFound. */
static void glue_part_write_error(GError **error)
{
	if (error && *error && (*error)->domain == CATALOG_ERROR &&
	    ((*error)->code == CATALOG_ERROR_INVALID_OBJECT || (*error)->code == CATALOG_ERROR_INVALID_OPERATION)) {
		if (g_str_has_prefix((*error)->message, "Partition already exists"))
			(*error)->code = CATALOG_ERROR_ALREADY_EXISTS;
		else if (strstr((*error)->message, "does not exist") != NULL)
			(*error)->code = CATALOG_ERROR_NOT_FOUND;
	}
}

static JsonObject *glue_create_partition(GlueCall *call, GError **error)
{
	const char *db, *table;
	if (!glue_part_target(call, &db, &table, error))
		return NULL;
	JsonObject *input = glue_in_object(call->in, "PartitionInput", TRUE, error);
	if (input == NULL || !glue_part_input_check(input, error))
		return NULL;
	g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func((GDestroyNotify)json_object_unref);
	g_ptr_array_add(parts, glue_part_doc(input, db, table, NULL));
	g_autoptr(GPtrArray) added = catalog_add_partitions(call->door->cat, &call->ctx, call->catalog, db, table, parts, FALSE, error);
	if (added == NULL) {
		glue_part_write_error(error);
		return NULL;
	}
	return json_object_new();
}

/* Adds one partition alone (the fallback of a batch that failed as a whole). */
static void glue_part_add_one(GlueCall *call, const char *db, const char *table, JsonObject *doc, JsonArray *errors)
{
	g_autoptr(GPtrArray) one = g_ptr_array_new_with_free_func((GDestroyNotify)json_object_unref);
	g_ptr_array_add(one, json_object_ref(doc));
	GError *e = NULL;
	g_autoptr(GPtrArray) added = catalog_add_partitions(call->door->cat, &call->ctx, call->catalog, db, table, one, FALSE, &e);
	if (added == NULL) {
		glue_part_write_error(&e);
		json_array_add_object_element(errors, glue_part_error(glue_part_doc_values(doc), "PartitionValues",
		                                                      "ErrorDetail", e));
		g_error_free(e);
	}
}

static JsonObject *glue_batch_create_partition(GlueCall *call, GError **error)
{
	const char *db, *table;
	if (!glue_part_target(call, &db, &table, error))
		return NULL;
	JsonArray *list = glue_in_array(call->in, "PartitionInputList", TRUE, error);
	if (list == NULL)
		return NULL;
	guint n = json_array_get_length(list);
	if (n > GLUE_PART_CREATE_MAX) {
		glue_part_too_many("partitionInputList", GLUE_PART_CREATE_MAX, error);
		return NULL;
	}
	for (guint i = 0; i < n; i++) {
		JsonNode *e = json_array_get_element(list, i);
		if (!JSON_NODE_HOLDS_OBJECT(e)) {
			g_set_error_literal(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "PartitionInputList must be a list of objects");
			return NULL;
		}
		if (!glue_part_input_check(json_node_get_object(e), error))
			return NULL;
	}
	g_auto(GStrv) keys = glue_part_keys(call, db, table, error);
	if (keys == NULL)
		return NULL;
	JsonArray *errors = json_array_new();
	g_autoptr(GPtrArray) docs = g_ptr_array_new_with_free_func((GDestroyNotify)json_object_unref);
	g_autoptr(GHashTable) seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	for (guint i = 0; i < n; i++) {
		g_autoptr(JsonObject) doc = glue_part_doc(json_array_get_object_element(list, i), db, table, NULL);
		g_autoptr(GPtrArray) vals = glue_part_values(json_object_get_array_member(doc, "Values"), "Values", NULL);
		GError *e = NULL;
		char *name = glue_part_name(keys, vals, &e);
		if (name != NULL && !g_hash_table_add(seen, name))
			g_set_error(&e, CATALOG_ERROR, CATALOG_ERROR_ALREADY_EXISTS, "Partition already exists: %s", name);
		if (e != NULL) {
			json_array_add_object_element(errors, glue_part_error(glue_part_doc_values(doc), "PartitionValues",
			                                                      "ErrorDetail", e));
			g_error_free(e);
			continue;
		}
		g_ptr_array_add(docs, g_steal_pointer(&doc));
	}
	GError *berr = NULL;
	g_autoptr(GPtrArray) added =
		docs->len ? catalog_add_partitions(call->door->cat, &call->ctx, call->catalog, db, table, docs, TRUE, &berr) : NULL;
	if (docs->len > 0 && added == NULL) {
		g_clear_error(&berr);
		for (guint i = 0; i < docs->len; i++)
			glue_part_add_one(call, db, table, g_ptr_array_index(docs, i), errors);
	} else if (added != NULL) {
		/* the documents added are the very objects passed in: the others already existed */
		g_autoptr(GHashTable) is_new = g_hash_table_new(g_direct_hash, g_direct_equal);
		for (guint i = 0; i < added->len; i++)
			g_hash_table_add(is_new, g_ptr_array_index(added, i));
		for (guint i = 0; i < docs->len; i++) {
			JsonObject *doc = g_ptr_array_index(docs, i);
			if (g_hash_table_contains(is_new, doc))
				continue;
			GError *e = g_error_new(CATALOG_ERROR, CATALOG_ERROR_ALREADY_EXISTS, "Partition already exists.");
			json_array_add_object_element(errors, glue_part_error(glue_part_doc_values(doc), "PartitionValues",
			                                                      "ErrorDetail", e));
			g_error_free(e);
		}
	}
	JsonObject *out = json_object_new();
	json_object_set_array_member(out, "Errors", errors);
	return out;
}

static JsonObject *glue_get_partition(GlueCall *call, GError **error)
{
	const char *db, *table;
	if (!glue_part_target(call, &db, &table, error))
		return NULL;
	g_autoptr(GPtrArray) vals = glue_part_values_member(call->in, "PartitionValues", error);
	if (vals == NULL)
		return NULL;
	g_autoptr(JsonObject) doc = catalog_get_partition(call->door->cat, &call->ctx, call->catalog, db, table, vals, NULL, error);
	if (doc == NULL)
		return NULL;
	JsonObject *out = json_object_new();
	json_object_set_object_member(out, "Partition", glue_shape_out(call, doc));
	return out;
}

/* A shaped partition; ExcludeColumnSchema drops its descriptor's Columns. */
static JsonObject *glue_part_out(GlueCall *call, JsonObject *doc, gboolean exclude_columns)
{
	JsonObject *o = glue_shape_out(call, doc);
	JsonNode *sd = json_object_get_member(o, "StorageDescriptor");
	if (exclude_columns && sd && JSON_NODE_HOLDS_OBJECT(sd))
		json_object_remove_member(json_node_get_object(sd), "Columns");
	return o;
}

/* The segment (of total) a partition belongs to: a stable hash of its values. */
static guint glue_part_segment(JsonObject *doc, guint total)
{
	guint32 h = 5381;
	JsonNode *n = json_object_get_member(doc, "Values");
	JsonArray *a = n && JSON_NODE_HOLDS_ARRAY(n) ? json_node_get_array(n) : NULL;
	for (guint i = 0; a && i < json_array_get_length(a); i++) {
		JsonNode *e = json_array_get_element(a, i);
		const char *s = JSON_NODE_HOLDS_VALUE(e) ? json_node_get_string(e) : "";
		for (const char *p = s ? s : ""; *p; p++)
			h = h * 33 + (guchar)*p;
		h = h * 33 + 1;
	}
	return h % total;
}

/* Reads Segment: *number of *total (0 of 1 when absent). */
static gboolean glue_part_read_segment(GlueCall *call, gint64 *number, gint64 *total, GError **error)
{
	*number = 0;
	*total = 1;
	JsonObject *seg = glue_in_object(call->in, "Segment", FALSE, error);
	if (seg == NULL)
		return error == NULL || *error == NULL;
	if (!json_object_has_member(seg, "SegmentNumber") || !json_object_has_member(seg, "TotalSegments")) {
		g_set_error_literal(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_INPUT,
		                    "Segment requires SegmentNumber and TotalSegments");
		return FALSE;
	}
	if (!glue_in_int(seg, "SegmentNumber", 0, G_MAXINT32, 0, number, error) ||
	    !glue_in_int(seg, "TotalSegments", 1, 10, 1, total, error))
		return FALSE;
	if (*number >= *total) {
		g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_INPUT,
		            "SegmentNumber %" G_GINT64_FORMAT " must be less than TotalSegments %" G_GINT64_FORMAT, *number,
		            *total);
		return FALSE;
	}
	return TRUE;
}

/* Reads an optional boolean member. */
static gboolean glue_part_in_bool(JsonObject *in, const char *member, gboolean *out, GError **error)
{
	JsonNode *n = json_object_get_member(in, member);
	*out = FALSE;
	if (n == NULL || JSON_NODE_HOLDS_NULL(n))
		return TRUE;
	if (!JSON_NODE_HOLDS_VALUE(n) || json_node_get_value_type(n) != G_TYPE_BOOLEAN) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s must be a boolean", member);
		return FALSE;
	}
	*out = json_node_get_boolean(n);
	return TRUE;
}

/* TRUE when word (length n) is the keyword kw, ignoring case. */
static gboolean glue_part_is_word(const char *word, gsize n, const char *kw)
{
	return n == strlen(kw) && g_ascii_strncasecmp(word, kw, n) == 0;
}

/*
 * Glue's Expression as a Hive filter: Glue writes `key IN (...)` where Hive's grammar wants
 * `(key) IN (...)`, so a bare key followed by [NOT] IN is parenthesised; `key IS [NOT] NULL`
 * becomes a comparison with the default partition (where Hive keeps null values) or ''. Strings and
 * back-quoted names are copied untouched. New string. Not static: tests/fuzz/fuzz_glue_expr.c
 * drives it (internal.h).
 */
char *glue_part_filter_of(const char *expr)
{
	GString *out = g_string_new(NULL);
	const char *p = expr;
	while (*p) {
		if (*p == '\'' || *p == '"' || *p == '`') {
			char q = *p;
			const char *s = p++;
			while (*p && *p != q)
				p += (*p == '\\' && p[1] && q != '`') ? 2 : 1;
			if (*p)
				p++;
			g_string_append_len(out, s, p - s);
			continue;
		}
		if (!g_ascii_isalnum(*p) && *p != '_') {
			g_string_append_c(out, *p++);
			continue;
		}
		const char *w = p;
		while (g_ascii_isalnum(*p) || *p == '_')
			p++;
		gsize n = (gsize)(p - w);
		const char *q = p;
		while (g_ascii_isspace(*q))
			q++;
		const char *r = q;
		while (g_ascii_isalnum(*r) || *r == '_')
			r++;
		if (glue_part_is_word(q, (gsize)(r - q), "is")) {
			/* key IS [NOT] NULL: a partition's null value is Hive's default partition */
			const char *s1 = r;
			while (g_ascii_isspace(*s1))
				s1++;
			const char *e1 = s1;
			while (g_ascii_isalnum(*e1) || *e1 == '_')
				e1++;
			gboolean negated = glue_part_is_word(s1, (gsize)(e1 - s1), "not");
			const char *s2 = e1;
			while (negated && g_ascii_isspace(*s2))
				s2++;
			const char *e2 = negated ? s2 : s1;
			while (g_ascii_isalnum(*e2) || *e2 == '_')
				e2++;
			if (glue_part_is_word(negated ? s2 : s1, (gsize)(e2 - (negated ? s2 : s1)), "null")) {
				if (negated)
					g_string_append_printf(out, "(%.*s <> '" PARTNAME_DEFAULT_PARTITION "' AND %.*s <> '')",
					                       (int)n, w, (int)n, w);
				else
					g_string_append_printf(out, "(%.*s = '" PARTNAME_DEFAULT_PARTITION "' OR %.*s = '')", (int)n,
					                       w, (int)n, w);
				p = e2;
				continue;
			}
		}
		gboolean in = glue_part_is_word(q, (gsize)(r - q), "in");
		if (glue_part_is_word(q, (gsize)(r - q), "not")) {
			const char *s = r;
			while (g_ascii_isspace(*s))
				s++;
			const char *e = s;
			while (g_ascii_isalnum(*e) || *e == '_')
				e++;
			in = glue_part_is_word(s, (gsize)(e - s), "in");
		}
		if (in && !glue_part_is_word(w, n, "not") && !glue_part_is_word(w, n, "and") &&
		    !glue_part_is_word(w, n, "or"))
			g_string_append_printf(out, "(%.*s)", (int)n, w);
		else
			g_string_append_len(out, w, (gssize)n);
	}
	return g_string_free(out, FALSE);
}

/* What one GetPartitions page collects from the streamed listing. */
typedef struct {
	GlueCall *call;
	JsonArray *list;
	guint segment, total;
	gint64 skip;     /* partitions of this segment before the page */
	gint64 want;     /* the page size */
	gint64 seen;     /* partitions of this segment so far */
	gboolean more;   /* one more exists after the page */
	gboolean exclude_columns;
} GluePartPage;

static gboolean glue_part_page_begin(gpointer user, gint64 count, GError **error)
{
	return TRUE;
}

static gboolean glue_part_page_batch(gpointer user, GPtrArray *batch, GError **error)
{
	GluePartPage *pg = user;
	for (guint i = 0; i < batch->len && !pg->more; i++) {
		JsonObject *doc = g_ptr_array_index(batch, i);
		if (pg->total > 1 && glue_part_segment(doc, pg->total) != pg->segment)
			continue;
		gint64 at = pg->seen++;
		if (at < pg->skip)
			continue;
		if (at >= pg->skip + pg->want)
			pg->more = TRUE;
		else
			json_array_add_object_element(pg->list, glue_part_out(pg->call, doc, pg->exclude_columns));
	}
	return TRUE;
}

static JsonObject *glue_get_partitions(GlueCall *call, GError **error)
{
	const char *db, *table, *expr = NULL, *token = NULL;
	gint64 max = 0, segnum = 0, segtotal = 1;
	gboolean exclude = FALSE;
	g_autofree char *after = NULL;
	if (!glue_part_target(call, &db, &table, error) ||
	    ((expr = glue_in_string(call->in, "Expression", FALSE, 2048, error)), error && *error) ||
	    !glue_in_int(call->in, "MaxResults", 1, GLUE_PART_PAGE_MAX, GLUE_PART_PAGE_MAX, &max, error) ||
	    ((token = glue_in_string(call->in, "NextToken", FALSE, 0, error)), error && *error) ||
	    !glue_part_read_segment(call, &segnum, &segtotal, error) ||
	    !glue_part_in_bool(call->in, "ExcludeColumnSchema", &exclude, error) ||
	    (glue_in_string(call->in, "TransactionId", FALSE, 255, error), error && *error))
		return NULL;
	g_autofree char *scope = g_strdup_printf("%s\n%s\n%s\n%" G_GINT64_FORMAT "/%" G_GINT64_FORMAT, db, table,
	                                         expr ? expr : "", segnum, segtotal);
	if (!glue_token_read(call, scope, token, &after, error))
		return NULL;
	gint64 skip = after ? g_ascii_strtoll(after, NULL, 10) : 0;
	JsonArray *list = json_array_new();
	GluePartPage pg = {call, list, (guint)segnum, (guint)segtotal, MAX(skip, 0), max, 0, FALSE, exclude};
	/* Without segments the listing can stop right after the page's look-ahead row. */
	g_autofree char *filter = expr ? glue_part_filter_of(expr) : NULL;
	CatalogPartitionQuery q = {.filter = filter, .max_parts = segtotal > 1 ? -1 : (gint)MIN(pg.skip + max + 1, G_MAXINT)};
	CatalogPartitionSink sink = {glue_part_page_begin, glue_part_page_batch, &pg, NULL};
	if (!catalog_list_partitions(call->door->cat, &call->ctx, call->catalog, db, table, &q, &sink, error)) {
		json_array_unref(list);
		return NULL;
	}
	JsonObject *out = json_object_new();
	json_object_set_array_member(out, "Partitions", list);
	if (pg.more) {
		g_autofree char *pos = g_strdup_printf("%" G_GINT64_FORMAT, pg.skip + max);
		g_autofree char *next = glue_token_make(call, scope, pos);
		json_object_set_string_member(out, "NextToken", next);
	}
	return out;
}

/*
 * The request member `member` (a list of at most max {"Values": [...]} objects, as
 * BatchGetPartition and BatchDeletePartition take) as value lists (GPtrArray of char*).
 * NULL with an InvalidInput/Serialization error naming the member otherwise.
 */
static GPtrArray *glue_part_value_lists(GlueCall *call, const char *member, const char *wire_name, guint max,
                                        GError **error)
{
	JsonArray *list = glue_in_array(call->in, member, TRUE, error);
	if (list == NULL)
		return NULL;
	if (json_array_get_length(list) > max) {
		glue_part_too_many(wire_name, max, error);
		return NULL;
	}
	g_autoptr(GPtrArray) wanted = g_ptr_array_new_with_free_func((GDestroyNotify)g_ptr_array_unref);
	for (guint i = 0; i < json_array_get_length(list); i++) {
		JsonNode *e = json_array_get_element(list, i);
		if (!JSON_NODE_HOLDS_OBJECT(e)) {
			g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s must be a list of objects", member);
			return NULL;
		}
		GPtrArray *v = glue_part_values_member(json_node_get_object(e), "Values", error);
		if (v == NULL)
			return NULL;
		g_ptr_array_add(wanted, v);
	}
	return g_steal_pointer(&wanted);
}

static JsonObject *glue_batch_get_partition(GlueCall *call, GError **error)
{
	const char *db, *table;
	if (!glue_part_target(call, &db, &table, error))
		return NULL;
	g_autoptr(GPtrArray) wanted =
		glue_part_value_lists(call, "PartitionsToGet", "partitionsToGet", GLUE_PART_GET_MAX, error);
	if (wanted == NULL)
		return NULL;
	g_auto(GStrv) keys = glue_part_keys(call, db, table, error);
	if (keys == NULL)
		return NULL;
	g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
	for (guint i = 0; i < wanted->len; i++) {
		char *name = glue_part_name(keys, g_ptr_array_index(wanted, i), error);
		if (name == NULL)
			return NULL;
		g_ptr_array_add(names, name);
	}
	g_autoptr(GPtrArray) docs =
		names->len ? catalog_get_partitions_by_names(call->door->cat, &call->ctx, call->catalog, db, table, names, error)
		           : g_ptr_array_new();
	if (docs == NULL)
		return NULL;
	JsonArray *parts = json_array_new();
	for (guint i = 0; i < docs->len; i++)
		json_array_add_object_element(parts, glue_part_out(call, g_ptr_array_index(docs, i), FALSE));
	JsonObject *out = json_object_new();
	json_object_set_array_member(out, "Partitions", parts);
	json_object_set_array_member(out, "UnprocessedKeys", json_array_new());
	return out;
}

/* Writes input over the partition at old values (renaming it when input's Values differ). */
static gboolean glue_part_update_one(GlueCall *call, const char *db, const char *table, GPtrArray *old_vals,
                                     JsonObject *input, GError **error)
{
	g_autoptr(JsonObject) old = catalog_get_partition(call->door->cat, &call->ctx, call->catalog, db, table, old_vals, NULL, error);
	if (old == NULL)
		return FALSE;
	gboolean has_vals = json_object_has_member(input, "Values");
	g_autoptr(JsonObject) doc = glue_part_doc(input, db, table, has_vals ? NULL : old_vals);
	/* what Glue cannot see stays as it was */
	if (json_object_has_member(old, "Hive"))
		json_object_set_object_member(doc, "Hive", json_object_ref(json_object_get_object_member(old, "Hive")));
	if (json_object_has_member(old, "CreationTime"))
		json_object_set_int_member(doc, "CreationTime", json_object_get_int_member(old, "CreationTime"));
	g_autoptr(GPtrArray) new_vals = glue_part_values(json_object_get_array_member(doc, "Values"), "Values", error);
	if (new_vals == NULL)
		return FALSE;
	gboolean same = new_vals->len == old_vals->len;
	for (guint i = 0; same && i < new_vals->len; i++)
		same = strcmp(g_ptr_array_index(new_vals, i), g_ptr_array_index(old_vals, i)) == 0;
	gboolean ok;
	if (same) {
		g_autoptr(GPtrArray) docs = g_ptr_array_new();
		g_ptr_array_add(docs, doc);
		ok = catalog_alter_partitions(call->door->cat, &call->ctx, call->catalog, db, table, docs, error);
	} else {
		ok = catalog_rename_partition(call->door->cat, &call->ctx, call->catalog, db, table, old_vals, doc, error);
	}
	if (!ok)
		glue_part_write_error(error);
	return ok;
}

/* The PartitionValueList member (at most 100 values). */
static GPtrArray *glue_part_bounded_values(JsonObject *o, GError **error)
{
	JsonArray *a = glue_in_array(o, "PartitionValueList", TRUE, error);
	if (a && json_array_get_length(a) > 100) {
		glue_part_too_many("partitionValueList", 100, error);
		return NULL;
	}
	return a ? glue_part_values(a, "PartitionValueList", error) : NULL;
}

static JsonObject *glue_update_partition(GlueCall *call, GError **error)
{
	const char *db, *table;
	if (!glue_part_target(call, &db, &table, error))
		return NULL;
	g_autoptr(GPtrArray) old_vals = glue_part_bounded_values(call->in, error);
	JsonObject *input = old_vals ? glue_in_object(call->in, "PartitionInput", TRUE, error) : NULL;
	if (input == NULL || !glue_part_input_check(input, error))
		return NULL;
	if (!glue_part_update_one(call, db, table, old_vals, input, error))
		return NULL;
	return json_object_new();
}

static JsonObject *glue_batch_update_partition(GlueCall *call, GError **error)
{
	const char *db, *table;
	if (!glue_part_target(call, &db, &table, error))
		return NULL;
	JsonArray *entries = glue_in_array(call->in, "Entries", TRUE, error);
	if (entries == NULL)
		return NULL;
	guint n = json_array_get_length(entries);
	if (n < 1 || n > GLUE_PART_UPDATE_MAX) {
		g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_INPUT,
		            "1 validation error detected: Value at 'entries' failed to satisfy constraint: "
		            "Member must have length between 1 and %d", GLUE_PART_UPDATE_MAX);
		return NULL;
	}
	g_autoptr(GPtrArray) olds = g_ptr_array_new_with_free_func((GDestroyNotify)g_ptr_array_unref);
	for (guint i = 0; i < n; i++) {
		JsonNode *e = json_array_get_element(entries, i);
		if (!JSON_NODE_HOLDS_OBJECT(e)) {
			g_set_error_literal(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "Entries must be a list of objects");
			return NULL;
		}
		GPtrArray *v = glue_part_bounded_values(json_node_get_object(e), error);
		JsonObject *input = v ? glue_in_object(json_node_get_object(e), "PartitionInput", TRUE, error) : NULL;
		if (v)
			g_ptr_array_add(olds, v);
		if (input == NULL || !glue_part_input_check(input, error))
			return NULL;
	}
	g_auto(GStrv) keys = glue_part_keys(call, db, table, error);
	if (keys == NULL)
		return NULL;
	JsonArray *errors = json_array_new();
	for (guint i = 0; i < n; i++) {
		JsonObject *entry = json_array_get_object_element(entries, i);
		GError *e = NULL;
		if (!glue_part_update_one(call, db, table, g_ptr_array_index(olds, i),
		                          json_object_get_object_member(entry, "PartitionInput"), &e)) {
			JsonArray *vals = json_array_new();
			GPtrArray *v = g_ptr_array_index(olds, i);
			for (guint j = 0; j < v->len; j++)
				json_array_add_string_element(vals, g_ptr_array_index(v, j));
			json_array_add_object_element(errors, glue_part_error(vals, "PartitionValueList", "ErrorDetail", e));
			g_error_free(e);
		}
	}
	JsonObject *out = json_object_new();
	json_object_set_array_member(out, "Errors", errors);
	return out;
}

static JsonObject *glue_delete_partition(GlueCall *call, GError **error)
{
	const char *db, *table;
	if (!glue_part_target(call, &db, &table, error))
		return NULL;
	g_autoptr(GPtrArray) vals = glue_part_values_member(call->in, "PartitionValues", error);
	if (vals == NULL)
		return NULL;
	g_autoptr(GPtrArray) dropped =
		catalog_drop_partitions(call->door->cat, &call->ctx, call->catalog, db, table, NULL, vals, NULL, FALSE, error);
	return dropped ? json_object_new() : NULL;
}

static JsonObject *glue_batch_delete_partition(GlueCall *call, GError **error)
{
	const char *db, *table;
	if (!glue_part_target(call, &db, &table, error))
		return NULL;
	g_autoptr(GPtrArray) wanted =
		glue_part_value_lists(call, "PartitionsToDelete", "partitionsToDelete", GLUE_PART_DELETE_MAX, error);
	if (wanted == NULL)
		return NULL;
	g_auto(GStrv) keys = glue_part_keys(call, db, table, error);
	if (keys == NULL)
		return NULL;
	JsonArray *errors = json_array_new();
	for (guint i = 0; i < wanted->len; i++) {
		GPtrArray *v = g_ptr_array_index(wanted, i);
		GError *e = NULL;
		g_autoptr(GPtrArray) dropped =
			catalog_drop_partitions(call->door->cat, &call->ctx, call->catalog, db, table, NULL, v, NULL, FALSE, &e);
		if (dropped == NULL) {
			JsonArray *vals = json_array_new();
			for (guint j = 0; j < v->len; j++)
				json_array_add_string_element(vals, g_ptr_array_index(v, j));
			json_array_add_object_element(errors, glue_part_error(vals, "PartitionValues", "ErrorDetail", e));
			g_error_free(e);
		}
	}
	JsonObject *out = json_object_new();
	json_object_set_array_member(out, "Errors", errors);
	return out;
}

const GlueOp glue_partition_ops[] = {
	{"CreatePartition", glue_create_partition},
	{"BatchCreatePartition", glue_batch_create_partition},
	{"GetPartition", glue_get_partition},
	{"GetPartitions", glue_get_partitions},
	{"BatchGetPartition", glue_batch_get_partition},
	{"UpdatePartition", glue_update_partition},
	{"BatchUpdatePartition", glue_batch_update_partition},
	{"DeletePartition", glue_delete_partition},
	{"BatchDeletePartition", glue_batch_delete_partition},
	{NULL, NULL},
};
