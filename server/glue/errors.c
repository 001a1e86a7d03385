/*
 * errors.c — the Glue door's one error table: core error → Glue error type and HTTP status.
 *
 * Every error the door answers goes through glue_error_type(): catalog codes, SigV4 codes
 * (auth/) and the door's own SerializationException. Types are AWS's names, so each SDK
 * raises its typed exception (boto3: client.exceptions.EntityNotFoundException).
 */
#include <string.h>

#include "glue/internal.h"

typedef struct {
	int code;
	const char *type;
	guint status;
} GlueErrorRow;

static const GlueErrorRow glue_catalog_rows[] = {
	{CATALOG_ERROR_NOT_FOUND, "EntityNotFoundException", 400},
	{CATALOG_ERROR_ALREADY_EXISTS, "AlreadyExistsException", 400},
	{CATALOG_ERROR_INVALID_OBJECT, "InvalidInputException", 400},
	{CATALOG_ERROR_INVALID_OPERATION, "InvalidInputException", 400},
	{CATALOG_ERROR_INVALID_INPUT, "InvalidInputException", 400},
	{CATALOG_ERROR_ACCESS_DENIED, "AccessDeniedException", 400},
	{CATALOG_ERROR_CONFLICT, "ConcurrentModificationException", 400},
	{CATALOG_ERROR_UNAVAILABLE, "InternalServiceException", 500},
	{CATALOG_ERROR_INTERNAL, "InternalServiceException", 500},
	{CATALOG_ERROR_LIMIT_EXCEEDED, "ResourceNumberLimitExceededException", 400},
};

static const GlueErrorRow glue_auth_rows[] = {
	{AUTH_ERROR_MISSING, "MissingAuthenticationTokenException", 403},
	{AUTH_ERROR_INCOMPLETE, "IncompleteSignatureException", 400},
	{AUTH_ERROR_SIGNATURE, "InvalidSignatureException", 403},
	{AUTH_ERROR_UNKNOWN_KEY, "UnrecognizedClientException", 400},
	{AUTH_ERROR_CRYPTO, "InternalServiceException", 500},
};

static const char *glue_row_lookup(const GlueErrorRow *rows, gsize n, int code, guint *status)
{
	for (gsize i = 0; i < n; i++)
		if (rows[i].code == code) {
			*status = rows[i].status;
			return rows[i].type;
		}
	return NULL;
}

/* The Glue type and status of an error; unknown errors are InternalServiceException (500). */
const char *glue_error_type(const GError *error, guint *status)
{
	const char *type = NULL;
	if (error->domain == CATALOG_ERROR)
		type = glue_row_lookup(glue_catalog_rows, G_N_ELEMENTS(glue_catalog_rows), error->code, status);
	else if (error->domain == AUTH_ERROR)
		type = glue_row_lookup(glue_auth_rows, G_N_ELEMENTS(glue_auth_rows), error->code, status);
	else if (error->domain == G_IO_ERROR && error->code == G_IO_ERROR_INVALID_DATA)
		type = "SerializationException", *status = 400;
	else if (error->domain == G_IO_ERROR && error->code == G_IO_ERROR_INVALID_ARGUMENT)
		type = "InvalidInputException", *status = 400; /* well-formed text with a value no door takes (NUL) */
	else if (error->domain == G_IO_ERROR && error->code == G_IO_ERROR_NOT_SUPPORTED)
		type = "UnknownOperationException", *status = 400;
	if (type == NULL && error->domain == CATALOG_ERROR) {
		type = "InvalidInputException"; /* codes added later (locks, txns) are client errors */
		*status = 400;
	}
	if (type == NULL) {
		type = "InternalServiceException";
		*status = 500;
	}
	return type;
}

/* Fills resp with {"__type": ..., "message": ...} and the status. */
void glue_error_respond(const GError *error, HttpResponse *resp)
{
	guint status = 500;
	const char *type = glue_error_type(error, &status);
	g_autoptr(JsonBuilder) b = json_builder_new();
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "__type");
	json_builder_add_string_value(b, type);
	json_builder_set_member_name(b, "message");
	/* JSON text is UTF-8: a message echoing raw request bytes (a header) must not break the body */
	g_autofree char *main_line = g_utf8_make_valid(error->message, (gssize)strcspn(error->message, "\n"));
	json_builder_add_string_value(b, main_line);
	json_builder_end_object(b);
	g_autoptr(JsonNode) root = json_builder_get_root(b);
	resp->status = status;
	resp->content_type = "application/x-amz-json-1.1";
	resp->body = json_to_string(root, FALSE);
	resp->body_len = strlen(resp->body);
	resp->extra_header = "x-amzn-ErrorType";
	resp->extra_value = g_strdup(type);
}
