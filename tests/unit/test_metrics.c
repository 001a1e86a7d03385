/*
 * test_metrics.c — the metrics registry (common/metrics.c): API call counters by door, method
 * and outcome, cumulative latency buckets, active calls, plain and callback counters, gauge
 * callbacks grouped under one header, collectors, label escaping, unregistering, and counting
 * from many threads at once.
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
	ck_assert(has_line(t, "# TYPE propolis_api_calls_total counter"));
	ck_assert(has_line(t, "propolis_api_calls_total{door=\"glue\",method=\"GetTable\",outcome=\"ok\"} 2"));
	ck_assert(has_line(t, "propolis_api_calls_total{door=\"glue\",method=\"GetTable\","
	                      "outcome=\"EntityNotFoundException\"} 1"));
	ck_assert(has_line(t, "propolis_api_calls_total{door=\"unknown\",method=\"unknown\",outcome=\"unknown\"} 1"));
	ck_assert(has_line(t, "# TYPE propolis_api_duration_seconds histogram"));
	ck_assert(has_line(t, "propolis_api_duration_seconds_bucket{door=\"glue\",method=\"GetTable\",le=\"0.0005\"} 1"));
	ck_assert(has_line(t, "propolis_api_duration_seconds_bucket{door=\"glue\",method=\"GetTable\",le=\"0.0025\"} 2"));
	ck_assert(has_line(t, "propolis_api_duration_seconds_bucket{door=\"glue\",method=\"GetTable\",le=\"10\"} 2"));
	ck_assert(has_line(t, "propolis_api_duration_seconds_bucket{door=\"glue\",method=\"GetTable\",le=\"+Inf\"} 3"));
	ck_assert(has_line(t, "propolis_api_duration_seconds_count{door=\"glue\",method=\"GetTable\"} 3"));
	ck_assert(has_line(t, "propolis_api_duration_seconds_sum{door=\"glue\",method=\"GetTable\"} 20.002300"));
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
	metrics_gauge_register("propolis_open_connections", "Open.", "door=\"http\"", gauge_value, &b);
	g_autofree char *t = metrics_render();
	ck_assert_uint_eq(count_of(t, "# TYPE propolis_open_connections gauge"), 1);
	ck_assert(has_line(t, "propolis_open_connections{door=\"thrift\"} 3"));
	ck_assert(has_line(t, "propolis_open_connections{door=\"http\"} 7"));
	ck_assert(has_line(t, "propolis_pg_pool_waiting 0.5"));
	b = 9;
	metrics_gauge_unregister(gauge_value, &a);
	g_autofree char *t2 = metrics_render();
	ck_assert(!has_line(t2, "propolis_open_connections{door=\"thrift\"} 3"));
	ck_assert(has_line(t2, "propolis_open_connections{door=\"http\"} 9"));
	metrics_reset();
}
END_TEST

START_TEST(test_label_values_escaped)
{
	metrics_reset();
	metrics_request_observe("thrift", "we\"ird\\op\nx", "ok", 1);
	g_autofree char *t = metrics_render();
	ck_assert(has_line(t, "propolis_api_calls_total{door=\"thrift\",method=\"we\\\"ird\\\\op\\nx\",outcome=\"ok\"} 1"));
}
END_TEST

START_TEST(test_active_calls)
{
	metrics_reset();
	metrics_call_begin("thrift", "lock");
	metrics_call_begin("thrift", "lock");
	metrics_call_begin("glue", NULL);
	g_autofree char *t = metrics_render();
	ck_assert(has_line(t, "# TYPE propolis_active_calls gauge"));
	ck_assert(has_line(t, "propolis_active_calls{door=\"thrift\",method=\"lock\"} 2"));
	ck_assert(has_line(t, "propolis_active_calls{door=\"glue\",method=\"unknown\"} 1"));
	ck_assert(strstr(t, "propolis_api_duration_seconds_count{door=\"thrift\",method=\"lock\"}") == NULL);
	metrics_request_observe("thrift", "lock", "ok", 10);
	metrics_request_observe("glue", NULL, "AccessDeniedException", 10);
	metrics_request_observe("thrift", "unlock", "ok", 10); /* never begun: counted, active stays 0 */
	g_autofree char *t2 = metrics_render();
	ck_assert(has_line(t2, "propolis_active_calls{door=\"thrift\",method=\"lock\"} 1"));
	ck_assert(has_line(t2, "propolis_active_calls{door=\"glue\",method=\"unknown\"} 0"));
	ck_assert(has_line(t2, "propolis_active_calls{door=\"thrift\",method=\"unlock\"} 0"));
	ck_assert(has_line(t2, "propolis_api_duration_seconds_count{door=\"thrift\",method=\"lock\"} 1"));
	metrics_reset();
}
END_TEST

static double counter_value(gpointer user)
{
	return (double)*(guint64 *)user;
}

START_TEST(test_plain_and_callback_counters)
{
	metrics_reset();
	guint64 refused = 4;
	metrics_counter_add("propolis_authz_denials_total", "Denials.", "door", "glue", 1);
	metrics_counter_add("propolis_authz_denials_total", "Denials.", "door", "thrift", 2);
	metrics_counter_add("propolis_authz_denials_total", "Denials.", "door", "glue", 1);
	metrics_counter_add("propolis_plain_total", NULL, NULL, NULL, 5);
	metrics_counter_register("propolis_connections_rejected_total", "Refused.", "reason=\"fd_exhausted\"",
	                         counter_value, &refused);
	g_autofree char *t = metrics_render();
	ck_assert_uint_eq(count_of(t, "# TYPE propolis_authz_denials_total counter"), 1);
	ck_assert(has_line(t, "propolis_authz_denials_total{door=\"glue\"} 2"));
	ck_assert(has_line(t, "propolis_authz_denials_total{door=\"thrift\"} 2"));
	ck_assert(has_line(t, "propolis_plain_total 5"));
	ck_assert(has_line(t, "# TYPE propolis_connections_rejected_total counter"));
	ck_assert(has_line(t, "propolis_connections_rejected_total{reason=\"fd_exhausted\"} 4"));
	metrics_gauge_unregister(counter_value, &refused);
	g_autofree char *t2 = metrics_render();
	ck_assert(strstr(t2, "propolis_connections_rejected_total") == NULL);
	metrics_reset();
}
END_TEST

static void collect(gpointer user)
{
	(*(double *)user)++;
}

START_TEST(test_collector_runs_before_gauges)
{
	metrics_reset();
	double n = 0;
	metrics_collector_register(collect, &n);
	metrics_gauge_register("propolis_collected", "Collections.", NULL, gauge_value, &n);
	g_autofree char *t = metrics_render();
	ck_assert(has_line(t, "propolis_collected 1"));
	g_autofree char *t2 = metrics_render();
	ck_assert(has_line(t2, "propolis_collected 2"));
	metrics_collector_unregister(collect, &n);
	g_autofree char *t3 = metrics_render();
	ck_assert(has_line(t3, "propolis_collected 2"));
	metrics_reset();
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
	ck_assert(has_line(t, "propolis_api_calls_total{door=\"thrift\",method=\"get_table\",outcome=\"ok\"} 40000"));
	ck_assert(has_line(t, "propolis_api_duration_seconds_count{door=\"thrift\",method=\"get_table\"} 40000"));
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
	tcase_add_test(tc, test_active_calls);
	tcase_add_test(tc, test_plain_and_callback_counters);
	tcase_add_test(tc, test_collector_runs_before_gauges);
	tcase_add_test(tc, test_threads_count_exactly);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
