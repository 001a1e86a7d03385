/*
 * request.c — the CLI's signed HTTP calls: credentials from the AWS credentials file, SigV4
 * signing with auth/sigv4.c (the server's own signer), libcurl for the transfer, and AWS
 * errors turned into one line "<type>: <message>".
 *
 * Signed headers are host, x-amz-date, content-type and (JSON 1.1) x-amz-target, the set the
 * AWS SDKs sign; the Host header is sent exactly as signed. The secret stays in CliGlobal and
 * is wiped at exit. Calls time out after 60 seconds. Every failure is one line naming what to
 * fix: the endpoint, the credentials file or profile, the clock (an expired signature: how far
 * off, from the times in the server's message), or what an AWS error type asks for. $PROPOLIS_CLI_CLOCK_SKEW_S
 * moves the signing clock, for tests of that message.
 */
#include <string.h>

#include <curl/curl.h>

#include "auth/sigv4.h"
#include "cli/cli.h"

#define CLI_DEFAULT_ENDPOINT "http://127.0.0.1:9084"
#define CLI_TIMEOUT_S 60L
#define CLI_MAX_ANSWER (64u << 20)

/* The credentials file to read: --credentials, $AWS_SHARED_CREDENTIALS_FILE, ~/.aws/credentials. */
static char *cli_credentials_path(CliGlobal *g)
{
	if (g->credentials != NULL)
		return g_strdup(g->credentials);
	const char *env = g_getenv("AWS_SHARED_CREDENTIALS_FILE");
	if (env != NULL && *env != '\0')
		return g_strdup(env);
	return g_build_filename(g_get_home_dir(), ".aws", "credentials", NULL);
}

/*
 * Reads aws_access_key_id / aws_secret_access_key of the profile from the credentials file
 * (INI: [profile], "key = value", comments with # or ;). Once per run.
 */
static gboolean cli_credentials_load(CliGlobal *g, GError **error)
{
	if (g->key_id != NULL)
		return TRUE;
	g_autofree char *path = cli_credentials_path(g);
	const char *profile = g->profile ? g->profile : "default";
	g_autofree char *text = NULL;
	GError *ferr = NULL;
	if (!g_file_get_contents(path, &text, NULL, &ferr)) {
		g_set_error(error, CLI_ERROR, CLI_ERROR_CONFIG,
		            "cannot read credentials file %s: %s (give another with --credentials or "
		            "$AWS_SHARED_CREDENTIALS_FILE, or fix its permissions)",
		            path, g_error_matches(ferr, G_FILE_ERROR, G_FILE_ERROR_NOENT) ? "it does not exist"
		                  : g_error_matches(ferr, G_FILE_ERROR, G_FILE_ERROR_ACCES) ? "permission denied"
		                                                                             : ferr->message);
		g_error_free(ferr);
		return FALSE;
	}
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
	memset(text, 0, strlen(text));
	gboolean in_profile = FALSE, found = FALSE;
	g_autoptr(GString) profiles = g_string_new(NULL);
	for (guint i = 0; lines[i] != NULL; i++) {
		char *line = g_strstrip(lines[i]);
		if (*line == '[') {
			char *end = strchr(line, ']');
			g_autofree char *name = end ? g_strstrip(g_strndup(line + 1, (gsize)(end - line - 1))) : NULL;
			in_profile = name != NULL && strcmp(name, profile) == 0;
			found = found || in_profile;
			if (name != NULL)
				g_string_append_printf(profiles, "%s%s", profiles->len ? ", " : "", name);
		} else if (in_profile && *line != '#' && *line != ';' && strchr(line, '=') != NULL) {
			char *eq = strchr(line, '=');
			*eq = '\0';
			const char *key = g_strstrip(line), *value = g_strstrip(eq + 1);
			if (strcmp(key, "aws_access_key_id") == 0)
				g_free(g->key_id), g->key_id = g_strdup(value);
			else if (strcmp(key, "aws_secret_access_key") == 0)
				g_free(g->secret), g->secret = g_strdup(value);
		}
		memset(lines[i], 0, strlen(lines[i]));
	}
	if (!found) {
		g_set_error(error, CLI_ERROR, CLI_ERROR_CONFIG,
		            "profile [%s] not found in %s (profiles there: %s; choose one with --profile)", profile, path,
		            profiles->len ? profiles->str : "none");
		g_clear_pointer(&g->key_id, g_free);
		g_clear_pointer(&g->secret, g_free);
		return FALSE;
	}
	if (g->key_id == NULL || g->secret == NULL) {
		g_clear_pointer(&g->secret, g_free);
		g_set_error(error, CLI_ERROR, CLI_ERROR_CONFIG,
		            "%s: profile [%s] needs aws_access_key_id and aws_secret_access_key", path, profile);
		g_clear_pointer(&g->key_id, g_free);
		return FALSE;
	}
	return TRUE;
}

/* libcurl write callback: appends to a GByteArray, refusing answers over CLI_MAX_ANSWER. */
static size_t cli_collect(char *data, size_t size, size_t n, void *user)
{
	GByteArray *buf = user;
	if (buf->len + size * n > CLI_MAX_ANSWER)
		return 0;
	g_byte_array_append(buf, (const guint8 *)data, (guint)(size * n));
	return size * n;
}

/* What the answer's headers say: x-amzn-ErrorType (REST-JSON errors name their type there) and Date. */
typedef struct {
	char *type;
	char *date;
} CliAnswerHeaders;

/* libcurl header callback: fills a CliAnswerHeaders. */
static size_t cli_header(char *data, size_t size, size_t n, void *user)
{
	CliAnswerHeaders *h = user;
	gsize len = size * n;
	if (len > 17 && g_ascii_strncasecmp(data, "x-amzn-ErrorType:", 17) == 0) {
		g_free(h->type);
		h->type = g_strstrip(g_strndup(data + 17, len - 17));
	} else if (len > 5 && g_ascii_strncasecmp(data, "Date:", 5) == 0) {
		g_free(h->date);
		h->date = g_strstrip(g_strndup(data + 5, len - 5));
	}
	return len;
}

/* Seconds the test hook $PROPOLIS_CLI_CLOCK_SKEW_S moves the signing clock (0 without it). */
static gint64 cli_clock_skew(void)
{
	const char *v = g_getenv("PROPOLIS_CLI_CLOCK_SKEW_S");
	return v ? g_ascii_strtoll(v, NULL, 10) : 0;
}

/* The server's time from an HTTP Date header (RFC 7231), or -1. */
static gint64 cli_http_date(const char *date)
{
	static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
	                                     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	char mon[4] = "";
	int d = 0, y = 0, hh = 0, mm = 0, ss = 0;
	if (date == NULL || sscanf(date, "%*3s, %d %3s %d %d:%d:%d", &d, mon, &y, &hh, &mm, &ss) != 6)
		return -1;
	for (int m = 0; m < 12; m++)
		if (strcmp(mon, months[m]) == 0) {
			g_autoptr(GDateTime) t = g_date_time_new_utc(y, m + 1, d, hh, mm, ss);
			return t ? g_date_time_to_unix(t) : -1;
		}
	return -1;
}

/* A yyyymmddThhmmssZ time as epoch seconds, or -1. */
static gint64 cli_amz_time(const char *s)
{
	int y, mo, d, hh, mm, ss;
	if (s == NULL || sscanf(s, "%4d%2d%2dT%2d%2d%2dZ", &y, &mo, &d, &hh, &mm, &ss) != 6)
		return -1;
	g_autoptr(GDateTime) t = g_date_time_new_utc(y, mo, d, hh, mm, ss);
	return t ? g_date_time_to_unix(t) : -1;
}

/*
 * From SigV4's skew refusal ("Signature expired: <sent> is now earlier than <edge> (<now> - 15
 * min.)", or "not yet current ... (<now> + 15 min.)"): the server's time, *sent the request's; -1 if not one.
 */
static gint64 cli_skew_times(const char *msg, gint64 *sent)
{
	const char *colon = msg ? strstr(msg, ": ") : NULL, *paren = msg ? strrchr(msg, '(') : NULL;
	if (colon == NULL || paren == NULL ||
	    (!g_str_has_prefix(msg, "Signature expired") && !g_str_has_prefix(msg, "Signature not yet current")))
		return -1;
	*sent = cli_amz_time(colon + 2);
	gint64 now = cli_amz_time(paren + 1);
	return *sent < 0 ? -1 : now;
}

/* What a person does about an AWS error type: the end of the one stderr line. */
static const char *cli_error_hint(const char *type)
{
	static const struct {
		const char *type, *hint;
	} hints[] = {
		{"AccessDeniedException", "ask a data lake administrator, or a holder of the permission with grant option"},
		{"EntityNotFoundException", "check the name (propolis permissions list / resources list show what exists)"},
		{"AlreadyExistsException", "it exists already: use it, or delete it first"},
		{"InvalidInputException", "fix the argument named in the message (propolis help COMMAND)"},
		{"ResourceNumberLimitExceededException", "a limit is reached: delete something first"},
		{"ConcurrentModificationException", "someone changed it meanwhile: run the command again"},
		{"OperationTimeoutException", "the server timed out: run the command again"},
		{"ThrottledException", "the server is busy: wait and run the command again"},
		{"InternalServiceException", "a server fault: see the server log, then run the command again"},
		{"UnrecognizedClientException", "the access key is unknown or inactive: check --profile and the credentials file"},
		{"InvalidSignatureException", "the secret key does not match the access key: check the credentials file"},
		{"IncompleteSignatureException", "the request was not signed completely: check --endpoint"},
		{"MissingAuthenticationTokenException", "the request was not signed: check the credentials file"},
		{"ExpiredTokenException", "the session token expired: get new credentials"},
		{"UnknownOperationException", "the server does not serve this operation: upgrade the server"},
		{"InvalidStateException", "the object is not in a state that allows this"},
		{"PermissionTypeMismatchException", "the permission does not fit the resource (propolis help grant)"},
	};
	for (guint i = 0; type && i < G_N_ELEMENTS(hints); i++)
		if (strcmp(type, hints[i].type) == 0)
			return hints[i].hint;
	return NULL;
}

/* "host[:port]" of the endpoint as the Host header must carry it; NULL with CONFIG error. */
static char *cli_host_header(const char *endpoint, char **path_prefix, GError **error)
{
	CURLU *u = curl_url();
	char *host = NULL, *port = NULL, *path = NULL;
	gboolean ok = curl_url_set(u, CURLUPART_URL, endpoint, 0) == CURLUE_OK &&
	              curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK;
	char *out = NULL;
	if (ok) {
		if (curl_url_get(u, CURLUPART_PORT, &port, 0) != CURLUE_OK)
			port = NULL;
		out = port ? g_strdup_printf("%s:%s", host, port) : g_strdup(host);
		if (curl_url_get(u, CURLUPART_PATH, &path, 0) != CURLUE_OK)
			path = NULL;
		*path_prefix = g_strdup(path && strcmp(path, "/") != 0 ? path : "");
		if (g_str_has_suffix(*path_prefix, "/"))
			(*path_prefix)[strlen(*path_prefix) - 1] = '\0';
	} else {
		g_set_error(error, CLI_ERROR, CLI_ERROR_CONFIG, "--endpoint '%s' is not a URL", endpoint);
	}
	curl_free(host);
	curl_free(port);
	curl_free(path);
	curl_url_cleanup(u);
	return out;
}

/*
 * Sets error from an AWS error answer: "<type>: <message> (<what to do>)", type from the body
 * or the header ("#..." prefix cut). An expired signature says how far this clock is off.
 */
static void cli_service_error(long status, const GByteArray *body, const CliAnswerHeaders *h, GError **error)
{
	g_autoptr(JsonParser) p = json_parser_new();
	JsonObject *o = NULL;
	if (body->len > 0 && json_parser_load_from_data(p, (const char *)body->data, (gssize)body->len, NULL) &&
	    JSON_NODE_HOLDS_OBJECT(json_parser_get_root(p)))
		o = json_node_get_object(json_parser_get_root(p));
	const char *type = o ? json_object_get_string_member_with_default(o, "__type", NULL) : NULL;
	if (type == NULL && o)
		type = json_object_get_string_member_with_default(o, "code", NULL);
	if (type == NULL)
		type = h->type;
	const char *msg = o ? json_object_get_string_member_with_default(o, "message", NULL) : NULL;
	if (msg == NULL && o)
		msg = json_object_get_string_member_with_default(o, "Message", NULL);
	g_autofree char *t = g_strdup(type ? type : "HTTPError");
	char *cut = strchr(t, ':');
	if (cut)
		*cut = '\0';
	const char *hash = strrchr(t, '#');
	const char *name = hash ? hash + 1 : t;
	g_autofree char *fallback = g_strdup_printf("HTTP status %ld", status);
	gint64 sent = 0, server = cli_skew_times(msg, &sent);
	if (server < 0 && (server = cli_http_date(h->date)) > 0)
		sent = g_get_real_time() / G_USEC_PER_SEC + cli_clock_skew();
	if (strcmp(name, "InvalidSignatureException") == 0 && server > 0) {
		gint64 skew = sent - server;
		g_set_error(error, CLI_ERROR, CLI_ERROR_SERVICE,
		            "%s: %s (this machine's clock is %" G_GINT64_FORMAT " seconds %s the server's, more than "
		            "the 15 minutes SigV4 allows: set the clock right, e.g. with NTP)",
		            name, msg, skew < 0 ? -skew : skew, skew < 0 ? "behind" : "ahead of");
		return;
	}
	const char *hint = cli_error_hint(name);
	g_set_error(error, CLI_ERROR, CLI_ERROR_SERVICE, "%s: %s%s%s%s", name, msg ? msg : fallback, hint ? " (" : "",
	            hint ? hint : "", hint ? ")" : "");
}

/* "YYYYMMDDTHHMMSSZ" of now in UTC. New string. */
static char *cli_amz_date(void)
{
	g_autoptr(GDateTime) now = g_date_time_new_from_unix_utc(g_get_real_time() / G_USEC_PER_SEC + cli_clock_skew());
	return g_date_time_format(now, "%Y%m%dT%H%M%SZ");
}

/* Appends "Name: value" to a curl header list. */
static struct curl_slist *cli_add_header(struct curl_slist *list, const char *name, const char *value)
{
	g_autofree char *line = g_strdup_printf("%s: %s", name, value);
	struct curl_slist *out = curl_slist_append(list, line);
	memset(line, 0, strlen(line));
	return out;
}

/*
 * The request headers for POSTing text to path on host, SigV4-signed for service: Host,
 * X-Amz-Date, Content-Type, X-Amz-Target (when target is given), Authorization. NULL with error.
 */
static struct curl_slist *cli_signed_headers(CliGlobal *g, const char *service, const char *host, const char *path,
                                             const char *target, const char *content_type, const char *text,
                                             GError **error)
{
	g_autofree char *amz_date = cli_amz_date();
	const char *names[] = {"host", "x-amz-date", "content-type", "x-amz-target"};
	const char *values[] = {host, amz_date, content_type, target};
	const char *signed_4[] = {"content-type", "host", "x-amz-date", "x-amz-target", NULL};
	const char *signed_3[] = {"content-type", "host", "x-amz-date", NULL};
	const char *const *signed_headers = target ? signed_4 : signed_3;
	SigV4Request sreq = {"POST", path, NULL, names, values, target ? 4 : 3, (const guint8 *)text, strlen(text)};
	const char *region = g->region ? g->region : "us-east-1";
	g_autofree char *sig = sigv4_sign(&sreq, g->secret, amz_date, region, service, signed_headers, error);
	if (sig == NULL)
		return NULL;
	g_autofree char *signed_list = g_strjoinv(";", (char **)signed_headers);
	g_autofree char *authz = g_strdup_printf(SIGV4_ALGORITHM " Credential=%s/%.8s/%s/%s/aws4_request, "
	                                         "SignedHeaders=%s, Signature=%s",
	                                         g->key_id, amz_date, region, service, signed_list, sig);
	struct curl_slist *hdrs = cli_add_header(NULL, "Host", host);
	hdrs = cli_add_header(hdrs, "X-Amz-Date", amz_date);
	hdrs = cli_add_header(hdrs, "Content-Type", content_type);
	if (target)
		hdrs = cli_add_header(hdrs, "X-Amz-Target", target);
	hdrs = cli_add_header(hdrs, "Authorization", authz);
	return curl_slist_append(hdrs, "Expect:");
}

/* POSTs text to url with hdrs; fills *status, answer and the headers. FALSE with HTTP error when unreachable. */
static gboolean cli_transfer(const char *url, const char *text, struct curl_slist *hdrs, long *status,
                             GByteArray *answer, CliAnswerHeaders *error_type, GError **error)
{
	char curl_err[CURL_ERROR_SIZE] = "";
	CURL *c = curl_easy_init();
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_POST, 1L);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, text);
	curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)strlen(text));
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, cli_collect);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, answer);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, cli_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, error_type);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, curl_err);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, CLI_TIMEOUT_S);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	CURLcode rc = curl_easy_perform(c);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, status);
	curl_easy_cleanup(c);
	if (rc != CURLE_OK)
		g_set_error(error, CLI_ERROR, CLI_ERROR_HTTP,
		            "cannot reach %s: %s (is propolis-server running there? check --endpoint)", url,
		            *curl_err ? curl_err : curl_easy_strerror(rc));
	return rc == CURLE_OK;
}

/*
 * POSTs body to path, signed for service; target (may be NULL) goes in X-Amz-Target. The answer
 * object, or NULL with CLI_ERROR (HTTP for transport failures, SERVICE for AWS errors).
 */
static JsonObject *cli_post(CliGlobal *g, const char *service, const char *path, const char *target,
                            const char *content_type, JsonObject *body, GError **error)
{
	if (!cli_credentials_load(g, error))
		return NULL;
	const char *endpoint = g->endpoint ? g->endpoint : CLI_DEFAULT_ENDPOINT;
	g_autofree char *prefix = NULL;
	g_autofree char *host = cli_host_header(endpoint, &prefix, error);
	if (host == NULL)
		return NULL;
	g_autoptr(JsonNode) node = json_node_new(JSON_NODE_OBJECT);
	g_autoptr(JsonObject) empty = json_object_new();
	json_node_set_object(node, body ? body : empty);
	g_autofree char *text = json_to_string(node, FALSE);
	g_autofree char *full_path = g_strconcat(prefix, path, NULL);
	struct curl_slist *hdrs = cli_signed_headers(g, service, host, full_path, target, content_type, text, error);
	if (hdrs == NULL)
		return NULL;
	g_autofree char *url = g_strconcat(endpoint, g_str_has_suffix(endpoint, "/") ? path + 1 : path, NULL);
	g_autoptr(GByteArray) answer = g_byte_array_new();
	CliAnswerHeaders h = {0};
	long status = 0;
	gboolean sent = cli_transfer(url, text, hdrs, &status, answer, &h, error);
	curl_slist_free_all(hdrs);
	if (sent && (status < 200 || status > 299))
		cli_service_error(status, answer, &h, error);
	g_free(h.type);
	g_free(h.date);
	if (!sent || status < 200 || status > 299)
		return NULL;
	if (answer->len == 0)
		return json_object_new();
	g_autoptr(JsonParser) parser = json_parser_new();
	if (!json_parser_load_from_data(parser, (const char *)answer->data, (gssize)answer->len, NULL) ||
	    !JSON_NODE_HOLDS_OBJECT(json_parser_get_root(parser))) {
		g_set_error(error, CLI_ERROR, CLI_ERROR_HTTP, "%s answered %ld with a body that is not a JSON object", url,
		            status);
		return NULL;
	}
	return json_object_ref(json_node_get_object(json_parser_get_root(parser)));
}

/* Propolis.<op>; see cli.h. */
JsonObject *cli_call_propolis(CliGlobal *g, const char *op, JsonObject *body, GError **error)
{
	g_autofree char *target = g_strconcat("Propolis.", op, NULL);
	return cli_post(g, "propolis", "/", target, "application/x-amz-json-1.1", body, error);
}

/* Lake Formation POST /<op>; see cli.h. */
JsonObject *cli_call_lakeformation(CliGlobal *g, const char *op, JsonObject *body, GError **error)
{
	g_autofree char *path = g_strconcat("/", op, NULL);
	return cli_post(g, "lakeformation", path, NULL, "application/json", body, error);
}

/* The caller's WhoAmI; see cli.h. */
JsonObject *cli_whoami_answer(CliGlobal *g, GError **error)
{
	return cli_call_propolis(g, "WhoAmI", NULL, error);
}

/* See cli.h. */
const char *cli_principal_kind(gboolean role, gboolean group, GError **error)
{
	if (role && group) {
		g_set_error_literal(error, CLI_ERROR, CLI_ERROR_USAGE, "give --role or --group, not both");
		return NULL;
	}
	return role ? "role" : group ? "group" : "user";
}

/* TRUE for a 12-digit AWS account id (a principal Lake Formation accepts as is). */
static gboolean cli_is_account_id(const char *s)
{
	gsize n = strlen(s);
	for (gsize i = 0; i < n; i++)
		if (!g_ascii_isdigit(s[i]))
			return FALSE;
	return n == 12;
}

/* The ARN of a principal argument; see cli.h. No administrators-only call: WhoAmI names the account. */
char *cli_resolve_principal(CliGlobal *g, const char *ident, const char *kind, GError **error)
{
	if (g_str_has_prefix(ident, "arn:") || strcmp(ident, "IAM_ALLOWED_PRINCIPALS") == 0 || cli_is_account_id(ident))
		return g_strdup(ident);
	for (const char *p = ident; *p; p++)
		if (!g_ascii_isalnum(*p) && strchr("_+=,.@-", *p) == NULL) {
			g_set_error(error, CLI_ERROR, CLI_ERROR_USAGE,
			            "'%s' is not a principal name (A-Z a-z 0-9 _+=,.@-) nor an ARN", ident);
			return NULL;
		}
	if (*ident == '\0') {
		g_set_error_literal(error, CLI_ERROR, CLI_ERROR_USAGE, "empty principal name");
		return NULL;
	}
	if (g->account == NULL) {
		g_autoptr(JsonObject) me = cli_whoami_answer(g, error);
		if (me == NULL)
			return NULL;
		g->account = g_strdup(json_object_get_string_member_with_default(me, "Account", NULL));
		if (g->account == NULL) {
			g_set_error_literal(error, CLI_ERROR, CLI_ERROR_HTTP, "WhoAmI answered without Account");
			return NULL;
		}
	}
	return g_strdup_printf("arn:aws:iam::%s:%s/%s", g->account, kind ? kind : "user", ident);
}
