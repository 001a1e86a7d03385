/*
 * dtoken.c — Hadoop/Hive delegation token formats (see dtoken.h).
 *
 * vint/vlong as WritableUtils.writeVLong: [-112, 127] in one byte; otherwise a length byte
 * (-113..-120 positive, -121..-128 negative, one's complement) and big-endian magnitude bytes.
 * Every read is bounds-checked; a Text longer than what is left is an error.
 */
#include "auth/dtoken.h"

#include <gio/gio.h>
#include <string.h>

void dtoken_ident_clear(DTokenIdent *id)
{
	g_clear_pointer(&id->owner, g_free);
	g_clear_pointer(&id->renewer, g_free);
	g_clear_pointer(&id->real_user, g_free);
}

/* WritableUtils.writeVLong. */
void dtoken_write_vlong(GByteArray *out, gint64 v)
{
	guint8 b;
	if (v >= -112 && v <= 127) {
		b = (guint8)(gint8)v;
		g_byte_array_append(out, &b, 1);
		return;
	}
	gint len = -112;
	if (v < 0) {
		v ^= -1; /* one's complement */
		len = -120;
	}
	for (gint64 tmp = v; tmp != 0; tmp >>= 8)
		len--;
	b = (guint8)(gint8)len;
	g_byte_array_append(out, &b, 1);
	len = len < -120 ? -(len + 120) : -(len + 112);
	for (gint idx = len; idx != 0; idx--) {
		b = (guint8)((v >> ((idx - 1) * 8)) & 0xff);
		g_byte_array_append(out, &b, 1);
	}
}

void dtoken_write_text(GByteArray *out, const char *s)
{
	gsize n = s ? strlen(s) : 0;
	dtoken_write_vlong(out, (gint64)n);
	if (n)
		g_byte_array_append(out, (const guint8 *)s, (guint)n);
}

/* A bounded reader. */
typedef struct {
	const guint8 *p;
	gsize left;
	gboolean bad;
} Rd;

static gint64 rd_vlong(Rd *r)
{
	if (r->left < 1) {
		r->bad = TRUE;
		return 0;
	}
	gint8 first = (gint8)*r->p++;
	r->left--;
	if (first >= -112)
		return first;
	gboolean neg = first < -120;
	gint n = neg ? -(first + 120) : -(first + 112);
	if ((gsize)n > r->left || n > 8) {
		r->bad = TRUE;
		return 0;
	}
	guint64 v = 0;
	for (gint i = 0; i < n; i++)
		v = (v << 8) | *r->p++;
	r->left -= (gsize)n;
	return neg ? (gint64)(v ^ G_MAXUINT64) : (gint64)v;
}

static char *rd_text(Rd *r)
{
	gint64 n = rd_vlong(r);
	if (r->bad || n < 0 || (guint64)n > r->left || n > 1024 * 1024) {
		r->bad = TRUE;
		return NULL;
	}
	char *s = g_strndup((const char *)r->p, (gsize)n);
	r->p += n;
	r->left -= (gsize)n;
	return s;
}

static GBytes *rd_bytes(Rd *r)
{
	gint64 n = rd_vlong(r);
	if (r->bad || n < 0 || (guint64)n > r->left) {
		r->bad = TRUE;
		return NULL;
	}
	GBytes *b = g_bytes_new(r->p, (gsize)n);
	r->p += n;
	r->left -= (gsize)n;
	return b;
}

GBytes *dtoken_ident_encode(const DTokenIdent *id)
{
	GByteArray *out = g_byte_array_new();
	guint8 version = 0;
	g_byte_array_append(out, &version, 1);
	dtoken_write_text(out, id->owner);
	dtoken_write_text(out, id->renewer);
	dtoken_write_text(out, id->real_user);
	dtoken_write_vlong(out, id->issue_date);
	dtoken_write_vlong(out, id->max_date);
	dtoken_write_vlong(out, id->sequence_number);
	dtoken_write_vlong(out, id->master_key_id);
	return g_byte_array_free_to_bytes(out);
}

gboolean dtoken_ident_decode(const guint8 *p, gsize len, DTokenIdent *id, GError **error)
{
	memset(id, 0, sizeof *id);
	if (len < 1 || p[0] != 0) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "Unknown version of delegation token %d",
		            len ? (gint8)p[0] : -1);
		return FALSE;
	}
	Rd r = {p + 1, len - 1, FALSE};
	id->owner = rd_text(&r);
	id->renewer = rd_text(&r);
	id->real_user = rd_text(&r);
	id->issue_date = rd_vlong(&r);
	id->max_date = rd_vlong(&r);
	id->sequence_number = (gint32)rd_vlong(&r);
	id->master_key_id = (gint32)rd_vlong(&r);
	if (r.bad || r.left != 0) {
		dtoken_ident_clear(id);
		g_set_error_literal(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "malformed delegation token identifier");
		return FALSE;
	}
	return TRUE;
}

void dtoken_password(const guint8 *key, gsize key_len, GBytes *ident, guint8 out[DTOKEN_PASSWORD_LEN])
{
	g_autoptr(GHmac) h = g_hmac_new(G_CHECKSUM_SHA1, key, key_len);
	gsize n = 0;
	const guint8 *d = g_bytes_get_data(ident, &n);
	g_hmac_update(h, d, (gssize)n);
	gsize outlen = DTOKEN_PASSWORD_LEN;
	g_hmac_get_digest(h, out, &outlen);
}

char *dtoken_base64url(const guint8 *p, gsize len)
{
	char *s = g_base64_encode(p, len);
	gsize n = strlen(s);
	while (n > 0 && s[n - 1] == '=')
		s[--n] = '\0';
	for (char *c = s; *c; c++)
		*c = *c == '+' ? '-' : *c == '/' ? '_' : *c;
	return s;
}

GBytes *dtoken_base64_decode(const char *text)
{
	gsize n = strlen(text);
	GString *s = g_string_sized_new(n + 4);
	for (gsize i = 0; i < n; i++) {
		char c = text[i];
		if (c == '-')
			c = '+';
		else if (c == '_')
			c = '/';
		else if (c == '=')
			break;
		else if (!g_ascii_isalnum(c) && c != '+' && c != '/') {
			g_string_free(s, TRUE);
			return NULL;
		}
		g_string_append_c(s, c);
	}
	if (s->len % 4 == 1) {
		g_string_free(s, TRUE);
		return NULL;
	}
	while (s->len % 4)
		g_string_append_c(s, '=');
	gsize out_len = 0;
	guchar *out = g_base64_decode(s->str, &out_len);
	g_string_free(s, TRUE);
	return g_bytes_new_take(out, out_len);
}

char *dtoken_token_encode(GBytes *ident, const guint8 *password, gsize password_len)
{
	g_autoptr(GByteArray) out = g_byte_array_new();
	gsize n = 0;
	const guint8 *d = g_bytes_get_data(ident, &n);
	dtoken_write_vlong(out, (gint64)n);
	g_byte_array_append(out, d, (guint)n);
	dtoken_write_vlong(out, (gint64)password_len);
	g_byte_array_append(out, password, (guint)password_len);
	dtoken_write_text(out, DTOKEN_KIND);
	dtoken_write_text(out, "");
	return dtoken_base64url(out->data, out->len);
}

gboolean dtoken_token_decode(const char *text, GBytes **ident, GBytes **password, GError **error)
{
	g_autoptr(GBytes) raw = text ? dtoken_base64_decode(text) : NULL;
	gsize n = 0;
	const guint8 *p = raw ? g_bytes_get_data(raw, &n) : NULL;
	Rd r = {p, n, raw == NULL};
	g_autoptr(GBytes) id = r.bad ? NULL : rd_bytes(&r);
	g_autoptr(GBytes) pw = r.bad ? NULL : rd_bytes(&r);
	g_autofree char *kind = r.bad ? NULL : rd_text(&r);
	g_autofree char *service = r.bad ? NULL : rd_text(&r);
	if (r.bad || kind == NULL) {
		g_set_error_literal(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "not a delegation token string");
		return FALSE;
	}
	*ident = g_steal_pointer(&id);
	*password = g_steal_pointer(&pw);
	return TRUE;
}

char *dtoken_info_encode(const guint8 *password, gsize len, gint64 renew_date)
{
	g_autoptr(GByteArray) out = g_byte_array_new();
	dtoken_write_vlong(out, (gint64)len);
	g_byte_array_append(out, password, (guint)len);
	guint8 be[8];
	for (int i = 0; i < 8; i++)
		be[i] = (guint8)(((guint64)renew_date >> (56 - 8 * i)) & 0xff);
	g_byte_array_append(out, be, 8);
	return dtoken_base64url(out->data, out->len);
}

gboolean dtoken_info_decode(const char *text, GBytes **password, gint64 *renew_date, GError **error)
{
	g_autoptr(GBytes) raw = dtoken_base64_decode(text);
	gsize n = 0;
	const guint8 *p = raw ? g_bytes_get_data(raw, &n) : NULL;
	Rd r = {p, n, raw == NULL};
	g_autoptr(GBytes) pw = r.bad ? NULL : rd_bytes(&r);
	if (r.bad || r.left < 8) {
		g_set_error_literal(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "malformed delegation token information");
		return FALSE;
	}
	guint64 v = 0;
	for (int i = 0; i < 8; i++)
		v = (v << 8) | r.p[i];
	*renew_date = (gint64)v;
	*password = g_steal_pointer(&pw);
	return TRUE;
}

char *dtoken_key_encode(gint32 key_id, gint64 expiry, const guint8 *key, gsize len)
{
	g_autoptr(GByteArray) out = g_byte_array_new();
	dtoken_write_vlong(out, key_id);
	dtoken_write_vlong(out, expiry);
	dtoken_write_vlong(out, key ? (gint64)len : -1);
	if (key)
		g_byte_array_append(out, key, (guint)len);
	return dtoken_base64url(out->data, out->len);
}

gboolean dtoken_key_decode(const char *text, gint32 *key_id, gint64 *expiry, GBytes **key, GError **error)
{
	g_autoptr(GBytes) raw = dtoken_base64_decode(text);
	gsize n = 0;
	const guint8 *p = raw ? g_bytes_get_data(raw, &n) : NULL;
	Rd r = {p, n, raw == NULL};
	*key_id = (gint32)rd_vlong(&r);
	*expiry = rd_vlong(&r);
	g_autoptr(GBytes) k = r.bad ? NULL : rd_bytes(&r);
	if (r.bad || k == NULL) {
		g_set_error_literal(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "malformed master key");
		return FALSE;
	}
	*key = g_steal_pointer(&k);
	return TRUE;
}
