/*
 * test_metrics.c — the metrics registry (common/metrics.c): counters by door, operation and
 * outcome, cumulative latency buckets, gauge callbacks grouped under one header, label
 * escaping, unregistering, and counting from many threads at once.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "common/metrics.h"

/* TRUE when text holds line as a whole line. */
static gboolean has_line(const char *text, const char *line)
{
	g_autofree char *needle = g_strdup_printf("\n%s\n", line);
	g_autofree char *framed = g_strdup_printf("\n%s", text);
	return strstr(framed, needle) != NULL;
}

static guint count_of(const char *text, const char *s)
{
	guint n = 0;
	for (const char *p = strstr(text, s); p; p = strstr(p + 1, s))
		n++;
	return n;
}

START_TEST(test_counters_and_histogram)
{
	metrics_reset();
	metrics_request_observe("glue", "GetTable", "ok", 300);          /* 0.3 ms */
	metrics_request_observe("glue", "GetTable", "ok", 2000);         /* 2 ms */
	metrics_request_observe("glue", "GetTable", "EntityNotFoundException", 20 * G_USEC_PER_SEC);
	metrics_request_observe(NULL, NULL, NULL, 0);
	g_autofree char *t = metrics_render();
	ck_assert(has_line(t, "# TYPE propolis_requests_total counter"));
	ck_assert(has_line(t, "propolis_requests_total{door=\"glue\",operation=\"GetTable\",outcome=\"ok\"} 2"));
	ck_assert(has_line(t, "propolis_requests_total{door=\"glue\",operation=\"GetTable\","
	                      "outcome=\"EntityNotFoundException\"} 1"));
	ck_assert(has_line(t, "propolis_requests_total{door=\"unknown\",operation=\"unknown\",outcome=\"unknown\"} 1"));
	ck_assert(has_line(t, "# TYPE propolis_request_duration_seconds histogram"));
	ck_assert(has_line(t, "propolis_request_duration_seconds_bucket{door=\"glue\",operation=\"GetTable\",le=\"0.0005\"} 1"));
	ck_assert(has_line(t, "propolis_request_duration_seconds_bucket{door=\"glue\",operation=\"GetTable\",le=\"0.0025\"} 2"));
	ck_assert(has_line(t, "propolis_request_duration_seconds_bucket{door=\"glue\",operation=\"GetTable\",le=\"10\"} 2"));
	ck_assert(has_line(t, "propolis_request_duration_seconds_bucket{door=\"glue\",operation=\"GetTable\",le=\"+Inf\"} 3"));
	ck_assert(has_line(t, "propolis_request_duration_seconds_count{door=\"glue\",operation=\"GetTable\"} 3"));
	ck_assert(has_line(t, "propolis_request_duration_seconds_sum{door=\"glue\",operation=\"GetTable\"} 20.002300"));
}
END_TEST

static double gauge_value(gpointer user)
{
	return *(double *)user;
}

START_TEST(test_gauges_grouped_and_unregistered)
{
	metrics_reset();
	double a = 3, b = 7, c = 0.5;
	metrics_gauge_register("propolis_open_connections", "Open.", "door=\"thrift\"", gauge_value, &a);
	metrics_gauge_register("propolis_pg_pool_waiting", "Waiting.", NULL, gauge_value, &c);
	metrics_gauge_register("propolis_open_connections", "Open.", "door=\"glue\"", gauge_value, &b);
	g_autofree char *t = metrics_render();
	ck_assert_uint_eq(count_of(t, "# TYPE propolis_open_connections gauge"), 1);
	ck_assert(has_line(t, "propolis_open_connections{door=\"thrift\"} 3"));
	ck_assert(has_line(t, "propolis_open_connections{door=\"glue\"} 7"));
	ck_assert(has_line(t, "propolis_pg_pool_waiting 0.5"));
	b = 9;
	metrics_gauge_unregister(gauge_value, &a);
	g_autofree char *t2 = metrics_render();
	ck_assert(!has_line(t2, "propolis_open_connections{door=\"thrift\"} 3"));
	ck_assert(has_line(t2, "propolis_open_connections{door=\"glue\"} 9"));
	metrics_reset();
}
END_TEST

START_TEST(test_label_values_escaped)
{
	metrics_reset();
	metrics_request_observe("thrift", "we\"ird\\op\nx", "ok", 1);
	g_autofree char *t = metrics_render();
	ck_assert(has_line(t, "propolis_requests_total{door=\"thrift\",operation=\"we\\\"ird\\\\op\\nx\",outcome=\"ok\"} 1"));
}
END_TEST

static gpointer hammer(gpointer data)
{
	for (int i = 0; i < 10000; i++)
		metrics_request_observe("thrift", "get_table", "ok", i);
	return NULL;
}

START_TEST(test_threads_count_exactly)
{
	metrics_reset();
	GThread *th[4];
	for (guint i = 0; i < G_N_ELEMENTS(th); i++)
		th[i] = g_thread_new("hammer", hammer, NULL);
	for (guint i = 0; i < G_N_ELEMENTS(th); i++) {
		g_autofree char *t = metrics_render(); /* scrapes while counting */
		ck_assert(t != NULL);
		g_thread_join(th[i]);
	}
	g_autofree char *t = metrics_render();
	ck_assert(has_line(t, "propolis_requests_total{door=\"thrift\",operation=\"get_table\",outcome=\"ok\"} 40000"));
	ck_assert(has_line(t, "propolis_request_duration_seconds_count{door=\"thrift\",operation=\"get_table\"} 40000"));
	metrics_reset();
}
END_TEST

int main(void)
{
	Suite *s = suite_create("metrics");
	TCase *tc = tcase_create("metrics");
	tcase_add_test(tc, test_counters_and_histogram);
	tcase_add_test(tc, test_gauges_grouped_and_unregistered);
	tcase_add_test(tc, test_label_values_escaped);
	tcase_add_test(tc, test_threads_count_exactly);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
