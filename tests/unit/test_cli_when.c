/*
 * test_cli_when.c — the admin CLI's times and durations (server/cli/when.c): `--since` as epoch
 * seconds, ISO-8601 or a duration ago, `--older-than` durations, and what each refuses.
 * when.c is compiled in here: the CLI is its own program, not part of propolis_core.
 */
#include <check.h>
#include <stdlib.h>

#include "../../server/cli/when.c"

G_DEFINE_QUARK(propolis-cli-error-quark, cli_error)

#define NOW ((gint64)1714557600) /* 2024-05-01T10:00:00Z */

static gint64 duration(const char *text)
{
	gint64 out = -1;
	GError *error = NULL;
	ck_assert_msg(cli_parse_duration(text, &out, &error), "%s refused", text);
	return out;
}

static void duration_refused(const char *text)
{
	gint64 out = -7;
	GError *error = NULL;
	ck_assert_msg(!cli_parse_duration(text, &out, &error), "%s accepted", text);
	ck_assert(g_error_matches(error, CLI_ERROR, CLI_ERROR_USAGE) && out == -7);
	g_error_free(error);
}

static gint64 when(const char *text)
{
	gint64 out = -1;
	GError *error = NULL;
	ck_assert_msg(cli_parse_time(text, NOW, &out, &error), "%s refused", text);
	return out;
}

START_TEST(test_durations)
{
	ck_assert_int_eq(duration("90"), 90);
	ck_assert_int_eq(duration("90s"), 90);
	ck_assert_int_eq(duration("15m"), 900);
	ck_assert_int_eq(duration("1h30m"), 5400);
	ck_assert_int_eq(duration("2d"), 172800);
	ck_assert_int_eq(duration("1w"), 604800);
	ck_assert_int_eq(duration("0"), 0);
	duration_refused("");
	duration_refused("h");
	duration_refused("1x");
	duration_refused("1h 2m");
	duration_refused("-5m");
	duration_refused("99999999999h");
}
END_TEST

START_TEST(test_times)
{
	ck_assert_int_eq(when("1714557600"), NOW);
	ck_assert_int_eq(when("0"), 0);
	ck_assert_int_eq(when("2024-05-01T10:00:00Z"), NOW);
	ck_assert_int_eq(when("2024-05-01T12:00:00+02:00"), NOW);
	ck_assert_int_eq(when("2024-05-01T10:00:00"), NOW); /* no zone: UTC */
	ck_assert_int_eq(when("2024-05-01"), NOW - 36000);
	ck_assert_int_eq(when("1h"), NOW - 3600);
	ck_assert_int_eq(when("1h30m"), NOW - 5400);
	ck_assert_int_eq(when("100000w"), 0); /* never before the epoch */
	static const char *const bad[] = {"", "yesterday", "2024-13-01", "1h ago", "10:00", NULL};
	for (guint i = 0; bad[i]; i++) {
		gint64 out = -7;
		GError *error = NULL;
		ck_assert_msg(!cli_parse_time(bad[i], NOW, &out, &error), "%s accepted", bad[i]);
		ck_assert(g_error_matches(error, CLI_ERROR, CLI_ERROR_USAGE) && out == -7);
		g_error_free(error);
	}
}
END_TEST

int main(void)
{
	Suite *s = suite_create("cli_when");
	TCase *tc = tcase_create("cli_when");
	tcase_add_test(tc, test_durations);
	tcase_add_test(tc, test_times);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
