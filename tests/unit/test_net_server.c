/*
 * test_net_server.c — the network layer (server/net/) over real TCP sockets on 127.0.0.1.
 *
 * A NetServer with an echo door (the reply is the request's bytes; method "sleep" sleeps
 * 500 ms first, "bye" asks for the connection to close) runs in a thread; plain blocking
 * client sockets drive it. Proves: framing follows the request (DESIGN Concurrency), slow
 * requests do not hold up other connections (STYLE 6), bad input closes only its connection
 * (STYLE 12), each limit at its edge answers a TApplicationException naming its key
 * (STYLE 9), max_connections refuses politely, running out of descriptors refuses cleanly
 * and recovers (STYLE 13), idle_timeout_s closes (STYLE 13), and stop
 * lets a request in flight finish; a reader that stalls with more than max_output_buffer
 * unsent is closed (STYLE 14).
 */
#define _GNU_SOURCE /* memmem */
#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common/error.h"
#include "net/net.h"
#include "net/scan.h"
#include "net_msg.h"

typedef struct {
	PropolisConfig config;
	NetServer *server;
	GThread *thread;
	gint sessions; /* open door sessions (atomic) */
} TestServer;

static gpointer door_session_new(gpointer door, guint64 conn_id, const char *peer)
{
	TestServer *ts = door;
	g_atomic_int_inc(&ts->sessions);
	return g_strdup(peer);
}

static void door_session_free(gpointer door, gpointer session)
{
	TestServer *ts = door;
	g_atomic_int_add(&ts->sessions, -1);
	g_free(session);
}

/* Echo door: replies with the request; "sleep" sleeps 500 ms first; "bye" closes after replying. */
static gboolean door_handle(gpointer door, gpointer session, const NetRequestInfo *info, const guint8 *msg, gsize len,
                            GByteArray *reply)
{
	NetMsgHeader h;
	g_assert(net_scan_header(msg, len, &h));
	g_assert(info->deadline_us > g_get_monotonic_time());
	if (h.name_len == 5 && memcmp(h.name, "sleep", 5) == 0)
		g_usleep(500 * 1000);
	if (h.name_len == 3 && memcmp(h.name, "big", 3) == 0) {
		g_byte_array_set_size(reply, 32 << 20); /* more than the socket buffers take */
		memset(reply->data, 'b', reply->len);
		return TRUE;
	}
	g_byte_array_append(reply, msg, (guint)len);
	return !(h.name_len == 3 && memcmp(h.name, "bye", 3) == 0);
}

static const NetDoor echo_door = { .session_new = door_session_new, .session_free = door_session_free, .handle = door_handle };

static PropolisConfig test_config(void)
{
	return (PropolisConfig){
		.max_connections = 1000,
		.max_message_size = 1 << 20,
		.max_string_length = 65536,
		.max_list_length = 10000,
		.max_nesting_depth = 32,
		.idle_timeout_s = 60,
		.request_deadline_ms = 10000,
		.worker_threads = 4,
		.shutdown_grace_ms = 5000,
		.max_output_buffer = 1 << 20,
	};
}

static gpointer server_thread(gpointer data)
{
	TestServer *ts = data;
	g_autoptr(GError) error = NULL;
	gboolean ok = net_server_run(ts->server, &error);
	g_assert_no_error(error);
	g_assert(ok);
	return NULL;
}

static void server_start(TestServer *ts)
{
	g_autoptr(GError) error = NULL;
	ts->server = net_server_new(&ts->config, &echo_door, ts);
	ck_assert(net_server_listen(ts->server, "127.0.0.1", 0, &error));
	ck_assert_uint_gt(net_server_port(ts->server), 0);
	ts->thread = g_thread_new("test-net-server", server_thread, ts);
}

static void server_stop(TestServer *ts)
{
	net_server_stop(ts->server);
	g_thread_join(ts->thread);
	ck_assert_uint_eq(net_server_stats(ts->server).open_connections, 0);
	ck_assert_int_eq(g_atomic_int_get(&ts->sessions), 0);
	net_server_free(ts->server);
}

static int client_connect(TestServer *ts)
{
	struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons(net_server_port(ts->server)) };
	struct timeval tv = { .tv_sec = 5 };
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	ck_assert_int_ge(fd, 0);
	inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
	ck_assert_int_eq(connect(fd, (struct sockaddr *)&addr, sizeof(addr)), 0);
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	return fd;
}

static void client_send(int fd, const GByteArray *b)
{
	ck_assert_int_eq(send(fd, b->data, b->len, MSG_NOSIGNAL), (ssize_t)b->len);
}

static gboolean client_read_exact(int fd, guint8 *buf, gsize n)
{
	for (gsize got = 0; got < n;) {
		ssize_t r = recv(fd, buf + got, n - got, 0);
		if (r <= 0)
			return FALSE;
		got += (gsize)r;
	}
	return TRUE;
}

/* One reply message (without frame header), or NULL if the connection closed first. */
static GByteArray *client_read_reply(int fd, gboolean framed)
{
	GByteArray *b = g_byte_array_new();
	if (framed) {
		guint8 head[4];
		if (!client_read_exact(fd, head, 4))
			return (g_byte_array_unref(b), NULL);
		guint32 n = ((guint32)head[0] << 24) | (head[1] << 16) | (head[2] << 8) | head[3];
		g_byte_array_set_size(b, n);
		if (!client_read_exact(fd, b->data, n))
			return (g_byte_array_unref(b), NULL);
		return b;
	}
	NetScanLimits limits = { 1 << 24, 1 << 24, 1 << 20, 64 };
	g_autoptr(NetScanner) s = net_scanner_new(&limits);
	for (;;) {
		guint8 c;
		gsize len;
		if (!client_read_exact(fd, &c, 1))
			return (g_byte_array_unref(b), NULL);
		g_byte_array_append(b, &c, 1);
		if (net_scanner_feed(s, b->data, b->len, &len, NULL) == NET_SCAN_DONE)
			return b;
	}
}

/* TRUE when the server closed the connection (EOF or reset) before anything else arrived. */
static gboolean client_sees_close(int fd)
{
	guint8 c;
	ssize_t r = recv(fd, &c, 1, 0);
	return r == 0 || (r < 0 && errno == ECONNRESET);
}

/* Sends a call and checks the echo comes back with the same framing. */
static void client_roundtrip(int fd, const char *name, gint32 seqid, gboolean framed)
{
	g_autoptr(GByteArray) m = msg_call_with_string(name, seqid, 10);
	g_autoptr(GByteArray) f = msg_framed(m);
	client_send(fd, framed ? f : m);
	g_autoptr(GByteArray) r = client_read_reply(fd, framed);
	ck_assert_msg(r != NULL, "no reply to %s seqid %d", name, seqid);
	ck_assert_uint_eq(r->len, m->len);
	ck_assert(memcmp(r->data, m->data, m->len) == 0);
}

/* The reply must be a TApplicationException whose text contains key; then the server closes. */
static void client_expect_exception(int fd, gboolean framed, const char *key)
{
	g_autoptr(GByteArray) r = client_read_reply(fd, framed);
	ck_assert_msg(r != NULL, "no exception reply");
	ck_assert_uint_eq(r->data[3], NET_MSG_EXCEPTION);
	ck_assert_msg(memmem(r->data, r->len, key, strlen(key)), "exception does not name %s", key);
	ck_assert(client_sees_close(fd));
}

START_TEST(net_unframed_and_framed_replies_keep_framing)
{
	TestServer ts = { .config = test_config() };
	server_start(&ts);
	int a = client_connect(&ts), b = client_connect(&ts);
	for (int i = 0; i < 3; i++) {
		client_roundtrip(a, "echo", i, FALSE);
		client_roundtrip(b, "echo", i, TRUE);
	}
	/* two requests in one write: both answered, in order */
	g_autoptr(GByteArray) m1 = msg_call_with_string("one", 1, 3);
	g_autoptr(GByteArray) m2 = msg_call_with_string("two", 2, 300);
	g_autoptr(GByteArray) both = g_byte_array_new();
	g_byte_array_append(both, m1->data, m1->len);
	g_byte_array_append(both, m2->data, m2->len);
	client_send(a, both);
	g_autoptr(GByteArray) r1 = client_read_reply(a, FALSE);
	g_autoptr(GByteArray) r2 = client_read_reply(a, FALSE);
	ck_assert(r1 && r2 && r1->len == m1->len && r2->len == m2->len);
	/* a door asking to close: reply first, then the close */
	client_roundtrip(b, "bye", 9, TRUE);
	ck_assert(client_sees_close(b));
	close(a);
	close(b);
	server_stop(&ts);
}
END_TEST

START_TEST(net_200_concurrent_connections)
{
	enum { N = 200, ROUNDS = 3 };
	TestServer ts = { .config = test_config() };
	int fds[N];
	server_start(&ts);
	for (int i = 0; i < N; i++)
		fds[i] = client_connect(&ts);
	for (int round = 0; round < ROUNDS; round++) {
		for (int i = 0; i < N; i++) {
			g_autoptr(GByteArray) m = msg_call_with_string("echo", round * N + i, (gsize)i);
			g_autoptr(GByteArray) f = msg_framed(m);
			client_send(fds[i], i % 2 ? f : m);
		}
		for (int i = 0; i < N; i++) {
			g_autoptr(GByteArray) r = client_read_reply(fds[i], i % 2);
			ck_assert(r != NULL);
			NetMsgHeader h;
			ck_assert(net_scan_header(r->data, r->len, &h));
			ck_assert_int_eq(h.seqid, round * N + i);
		}
	}
	NetStats st = net_server_stats(ts.server);
	ck_assert_uint_eq(st.accepted_total, N);
	ck_assert_uint_eq(st.requests_total, N * ROUNDS);
	ck_assert_uint_eq(st.open_connections, N);
	for (int i = 0; i < N; i++)
		close(fds[i]);
	server_stop(&ts);
}
END_TEST

START_TEST(net_slow_request_does_not_block_others)
{
	TestServer ts = { .config = test_config() };
	server_start(&ts);
	int slow = client_connect(&ts), fast = client_connect(&ts);
	g_autoptr(GByteArray) m = msg_call_with_string("sleep", 1, 1);
	client_send(slow, m);
	g_usleep(50 * 1000);
	gint64 t0 = g_get_monotonic_time();
	client_roundtrip(fast, "echo", 2, FALSE);
	ck_assert_int_lt(g_get_monotonic_time() - t0, 300 * 1000);
	/* The worker sends the reply itself, then hands the request back: the fast request stops
	 * counting as active a moment after its reply arrives. The slow one is still running. */
	for (int i = 0; i < 100 && net_server_stats(ts.server).active_requests > 1; i++)
		g_usleep(10 * 1000);
	ck_assert_uint_eq(net_server_stats(ts.server).active_requests, 1);
	g_autoptr(GByteArray) r = client_read_reply(slow, FALSE);
	ck_assert(r != NULL && r->len == m->len);
	close(slow);
	close(fast);
	server_stop(&ts);
}
END_TEST

START_TEST(net_garbage_closes_only_its_connection)
{
	TestServer ts = { .config = test_config() };
	server_start(&ts);
	int good = client_connect(&ts), bad = client_connect(&ts), zero = client_connect(&ts);
	client_roundtrip(good, "echo", 1, TRUE);
	g_autoptr(GByteArray) http = g_byte_array_new();
	g_byte_array_append(http, (const guint8 *)"GET / HTTP/1.1\r\nHost: x\r\n\r\n", 27);
	client_send(bad, http);
	ck_assert(client_sees_close(bad));
	g_autoptr(GByteArray) empty_frame = g_byte_array_new();
	msg_i32(empty_frame, 0);
	client_send(zero, empty_frame);
	ck_assert(client_sees_close(zero));
	client_roundtrip(good, "echo", 2, TRUE);
	ck_assert_uint_eq(net_server_stats(ts.server).protocol_errors, 2);
	close(good);
	close(bad);
	close(zero);
	server_stop(&ts);
}
END_TEST

START_TEST(net_limit_max_string_length_answers_exception)
{
	TestServer ts = { .config = test_config() };
	ts.config.max_string_length = 100;
	server_start(&ts);
	int other = client_connect(&ts);
	for (int framed = 0; framed < 2; framed++) {
		int fd = client_connect(&ts);
		client_roundtrip(fd, "echo", 1, framed); /* 10 bytes */
		g_autoptr(GByteArray) ok = msg_call_with_string("echo", 2, 100);
		g_autoptr(GByteArray) okf = msg_framed(ok);
		client_send(fd, framed ? okf : ok);
		g_autoptr(GByteArray) r = client_read_reply(fd, framed);
		ck_assert(r != NULL && r->len == ok->len);
		g_autoptr(GByteArray) bad = msg_call_with_string("echo", 3, 101);
		g_autoptr(GByteArray) badf = msg_framed(bad);
		client_send(fd, framed ? badf : bad);
		client_expect_exception(fd, framed, "max_string_length");
		close(fd);
	}
	client_roundtrip(other, "echo", 4, FALSE);
	ck_assert_uint_eq(net_server_stats(ts.server).protocol_errors, 2);
	close(other);
	server_stop(&ts);
}
END_TEST

START_TEST(net_limit_max_message_size_answers_exception)
{
	TestServer ts = { .config = test_config() };
	ts.config.max_message_size = 1000;
	server_start(&ts);
	for (int framed = 0; framed < 2; framed++) {
		int fd = client_connect(&ts);
		g_autoptr(GByteArray) ok = msg_call_with_string("m", 1, 1000 - 21);
		g_autoptr(GByteArray) okf = msg_framed(ok);
		client_send(fd, framed ? okf : ok);
		g_autoptr(GByteArray) r = client_read_reply(fd, framed);
		ck_assert(r != NULL && r->len == 1000);
		g_autoptr(GByteArray) bad = msg_call_with_string("m", 2, 1000 - 20);
		g_autoptr(GByteArray) badf = msg_framed(bad);
		client_send(fd, framed ? badf : bad);
		client_expect_exception(fd, framed, "max_message_size");
		close(fd);
	}
	server_stop(&ts);
}
END_TEST

START_TEST(net_max_connections_refuses_the_next)
{
	TestServer ts = { .config = test_config() };
	ts.config.max_connections = 3;
	server_start(&ts);
	int fds[3];
	for (int i = 0; i < 3; i++) {
		fds[i] = client_connect(&ts);
		client_roundtrip(fds[i], "echo", i, FALSE);
	}
	int extra = client_connect(&ts); /* the kernel accepts; the server closes it */
	ck_assert(client_sees_close(extra));
	close(extra);
	for (int i = 0; i < 3; i++)
		client_roundtrip(fds[i], "echo", 10 + i, FALSE);
	ck_assert_uint_eq(net_server_stats(ts.server).rejected_total, 1);
	close(fds[0]);
	/* once one is gone (the loop sees the close), a new one gets in */
	for (int tries = 0; net_server_stats(ts.server).open_connections > 2 && tries < 100; tries++)
		g_usleep(10 * 1000);
	int again = client_connect(&ts);
	client_roundtrip(again, "echo", 20, FALSE);
	close(again);
	close(fds[1]);
	close(fds[2]);
	server_stop(&ts);
}
END_TEST

/* The RLIMIT_NOFILE that leaves exactly room new descriptors (the lowest free numbers). */
static rlim_t limit_leaving_room(int room)
{
	int fd = 0;
	for (int free_seen = 0; free_seen < room; fd++)
		if (fcntl(fd, F_GETFD) < 0)
			free_seen++;
	return (rlim_t)fd;
}

START_TEST(net_out_of_descriptors_refuses_cleanly_then_recovers)
{
	TestServer ts = { .config = test_config() };
	server_start(&ts);
	enum { N = 12, ROOM = 3 };
	int fds[N];
	int first = client_connect(&ts); /* the loop runs: its own descriptors are made */
	client_roundtrip(first, "echo", 1, FALSE);
	close(first);
	for (int tries = 0; net_server_stats(ts.server).open_connections > 0 && tries < 500; tries++)
		g_usleep(10 * 1000);
	for (int i = 0; i < N; i++) /* made before the limit drops; connected after */
		ck_assert_int_ge(fds[i] = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), 0);
	struct rlimit old, low;
	ck_assert_int_eq(getrlimit(RLIMIT_NOFILE, &old), 0);
	low = old;
	low.rlim_cur = limit_leaving_room(ROOM); /* room for ROOM accepted sockets */
	ck_assert_int_eq(setrlimit(RLIMIT_NOFILE, &low), 0);
	struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons(net_server_port(ts.server)) };
	inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
	struct timeval tv = { .tv_sec = 5 };
	for (int i = 0; i < N; i++) {
		ck_assert_int_eq(connect(fds[i], (struct sockaddr *)&addr, sizeof(addr)), 0);
		setsockopt(fds[i], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	}
	g_usleep(500 * 1000);
	guint refused = 0, accepted = 0;
	for (int i = 0; i < N; i++) {
		guint8 c;
		ssize_t r = recv(fds[i], &c, 1, MSG_PEEK | MSG_DONTWAIT);
		if (r == 0 || (r < 0 && errno == ECONNRESET)) {
			refused++;
			close(fds[i]);
			fds[i] = -1;
		} else {
			ck_assert(r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK));
			client_roundtrip(fds[i], "echo", i, FALSE); /* accepted and served */
			accepted++;
		}
	}
	ck_assert_uint_eq(accepted, ROOM);
	ck_assert_uint_eq(refused, N - accepted);
	NetStats st = net_server_stats(ts.server);
	ck_assert_uint_eq(st.rejected_fd_exhausted, refused);
	ck_assert_uint_eq(st.rejected_total, refused);
	ck_assert_uint_eq(st.open_connections, accepted);
	/* descriptors free again: new connections are accepted */
	for (int i = 0; i < N; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	ck_assert_int_eq(setrlimit(RLIMIT_NOFILE, &old), 0);
	int again = client_connect(&ts);
	client_roundtrip(again, "echo", 99, FALSE);
	close(again);
	server_stop(&ts);
}
END_TEST

START_TEST(net_idle_timeout_closes)
{
	TestServer ts = { .config = test_config() };
	ts.config.idle_timeout_s = 1;
	server_start(&ts);
	int fd = client_connect(&ts);
	client_roundtrip(fd, "echo", 1, FALSE);
	gint64 t0 = g_get_monotonic_time();
	ck_assert(client_sees_close(fd));
	gint64 waited = g_get_monotonic_time() - t0;
	ck_assert_int_ge(waited, 900 * 1000);
	ck_assert_int_lt(waited, 2500 * 1000);
	close(fd);
	server_stop(&ts);
}
END_TEST

START_TEST(net_stop_finishes_request_in_flight)
{
	TestServer ts = { .config = test_config() };
	server_start(&ts);
	int fd = client_connect(&ts), idle = client_connect(&ts);
	client_roundtrip(idle, "echo", 1, FALSE);
	g_autoptr(GByteArray) m = msg_call_with_string("sleep", 7, 3);
	g_autoptr(GByteArray) f = msg_framed(m);
	client_send(fd, f);
	g_usleep(100 * 1000);
	gint64 t0 = g_get_monotonic_time();
	net_server_stop(ts.server);
	ck_assert(client_sees_close(idle)); /* idle ones go at once */
	g_autoptr(GByteArray) r = client_read_reply(fd, TRUE);
	ck_assert(r != NULL && r->len == m->len);
	ck_assert(client_sees_close(fd));
	g_thread_join(ts.thread);
	ck_assert_int_lt(g_get_monotonic_time() - t0, 2 * G_USEC_PER_SEC);
	ck_assert_int_eq(g_atomic_int_get(&ts.sessions), 0);
	ck_assert_uint_eq(net_server_stats(ts.server).active_requests, 0);
	net_server_free(ts.server);
	close(fd);
	close(idle);
}
END_TEST

START_TEST(net_limit_max_output_buffer_closes_stalled_reader)
{
	TestServer ts = { .config = test_config() };
	ts.config.max_output_buffer = 1 << 20;
	server_start(&ts);
	int stalled = client_connect(&ts), other = client_connect(&ts);
	g_autoptr(GByteArray) m = msg_call_with_string("big", 1, 1);
	client_roundtrip(other, "echo", 1, FALSE); /* both are accepted by now */
	ck_assert_uint_eq(net_server_stats(ts.server).open_connections, 2);
	client_send(stalled, m); /* and never read the reply */
	int tries = 0;
	while (net_server_stats(ts.server).open_connections > 1 && tries++ < 400)
		g_usleep(10 * 1000);
	ck_assert_uint_eq(net_server_stats(ts.server).open_connections, 1);
	client_roundtrip(other, "echo", 2, FALSE);
	close(stalled);
	close(other);
	server_stop(&ts);
}
END_TEST

static Suite *server_suite(void)
{
	Suite *s = suite_create("net_server");
	TCase *tc = tcase_create("server");
	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, net_unframed_and_framed_replies_keep_framing);
	tcase_add_test(tc, net_200_concurrent_connections);
	tcase_add_test(tc, net_slow_request_does_not_block_others);
	tcase_add_test(tc, net_garbage_closes_only_its_connection);
	tcase_add_test(tc, net_limit_max_string_length_answers_exception);
	tcase_add_test(tc, net_limit_max_message_size_answers_exception);
	tcase_add_test(tc, net_max_connections_refuses_the_next);
	tcase_add_test(tc, net_out_of_descriptors_refuses_cleanly_then_recovers);
	tcase_add_test(tc, net_limit_max_output_buffer_closes_stalled_reader);
	tcase_add_test(tc, net_idle_timeout_closes);
	tcase_add_test(tc, net_stop_finishes_request_in_flight);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(server_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
