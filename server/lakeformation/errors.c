/*
 * errors.c — the Lake Formation door's one error table: core error → Lake Formation error
 * type and HTTP status, and the error response.
 *
 * Statuses are the LF model's where it has them (AccessDenied 403, InvalidInput 400,
 * InternalService 500) and 400 for the client errors it leaves unmodeled (EntityNotFound,
 * AlreadyExists, ConcurrentModification). SigV4 and body-syntax errors are the same for both
 * services: those rows are the Glue door's table. botocore's REST-JSON parser reads the type
 * from the x-amzn-ErrorType header first, then the body, so both carry it.
 */
#include <string.h>

#include "lakeformation/internal.h"

typedef struct {
	int code;
	const char *type;
	guint status;
} LfErrorRow;

static const LfErrorRow lf_catalog_rows[] = {
	{CATALOG_ERROR_NOT_FOUND, "EntityNotFoundException", 400},
	{CATALOG_ERROR_ALREADY_EXISTS, "AlreadyExistsException", 400},
	{CATALOG_ERROR_INVALID_OBJECT, "InvalidInputException", 400},
	{CATALOG_ERROR_INVALID_OPERATION, "InvalidInputException", 400},
	{CATALOG_ERROR_INVALID_INPUT, "InvalidInputException", 400},
	{CATALOG_ERROR_ACCESS_DENIED, "AccessDeniedException", 403},
	{CATALOG_ERROR_CONFLICT, "ConcurrentModificationException", 400},
	{CATALOG_ERROR_UNAVAILABLE, "InternalServiceException", 500},
	{CATALOG_ERROR_INTERNAL, "InternalServiceException", 500},
};

/* The type and status of an error; see internal.h. */
const char *lf_error_type(const GError *error, guint *status)
{
	if (error->domain == CATALOG_ERROR) {
		for (gsize i = 0; i < G_N_ELEMENTS(lf_catalog_rows); i++)
			if (lf_catalog_rows[i].code == error->code) {
				*status = lf_catalog_rows[i].status;
				return lf_catalog_rows[i].type;
			}
		*status = 400; /* codes added later are client errors */
		return "InvalidInputException";
	}
	if (error->domain == G_IO_ERROR && error->code == G_IO_ERROR_NOT_SUPPORTED) {
		*status = 404; /* a path that names no operation */
		return "UnknownOperationException";
	}
	return glue_error_type(error, status);
}

/* Fills resp: status, x-amzn-ErrorType, {"__type", "message", "Message"} (the model's member is Message). */
void lf_error_respond(const GError *error, HttpResponse *resp)
{
	guint status = 500;
	const char *type = lf_error_type(error, &status);
	/* JSON text is UTF-8: the message may echo the raw (percent-decoded) request path */
	g_autofree char *main_line = g_utf8_make_valid(error->message, (gssize)strcspn(error->message, "\n"));
	g_autoptr(JsonBuilder) b = json_builder_new();
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "__type");
	json_builder_add_string_value(b, type);
	json_builder_set_member_name(b, "message");
	json_builder_add_string_value(b, main_line);
	json_builder_set_member_name(b, "Message");
	json_builder_add_string_value(b, main_line);
	json_builder_end_object(b);
	g_autoptr(JsonNode) root = json_builder_get_root(b);
	resp->status = status;
	resp->content_type = "application/json";
	resp->body = json_to_string(root, FALSE);
	resp->body_len = strlen(resp->body);
	resp->extra_header = "x-amzn-ErrorType";
	resp->extra_value = g_strdup(type);
}
