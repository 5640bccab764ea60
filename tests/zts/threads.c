/*
 * A threaded PHP host for the ZTS tests: the embed SAPI of a thread-safe PHP
 * started once (module start-up, so mcp_guard maps its one rate-limit table
 * here), then THREADS threads that each serve REQUESTS requests, the way a
 * threaded web server (Apache's worker/event MPM, FrankenPHP) does: every
 * request has its own request start-up and shutdown, on whatever thread.
 *
 * Each request runs SCRIPT with $thread and $request set. Before it runs, the
 * request's INI value of mcp_guard.rate_limit_namespace is set per thread
 * parity ("even"/"odd", 1024 slots each, as a per-directory php_admin_value
 * would set it), and the
 * end of the request restores it, as PHP does.
 *
 *   threads SCRIPT THREADS REQUESTS
 *
 * mcp_guard itself comes from the php.ini named by PHPRC (extension=…).
 * Exit status: 0, or 1 when a request could not be started or failed.
 */
#define _GNU_SOURCE /* PHP's headers use memrchr */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sapi/embed/php_embed.h>
#include <main/php_main.h>
#include <Zend/zend_ini.h>
#include <Zend/zend_exceptions.h>

#ifndef ZTS
#error "this host is for a thread-safe (ZTS) PHP"
#endif

ZEND_TSRMLS_CACHE_DEFINE()

static const char *script;
static int requests;
static pthread_barrier_t start_together;
static pthread_mutex_t failures_lock = PTHREAD_MUTEX_INITIALIZER;
static int failures;

static void failed(const char *what, long thread, int request)
{
	pthread_mutex_lock(&failures_lock);
	failures++;
	fprintf(stderr, "thread %ld request %d: %s\n", thread, request, what);
	pthread_mutex_unlock(&failures_lock);
}

/* A per-request INI value, as a server's per-directory php_admin_value. */
static int set_ini(const char *name, const char *value)
{
	zend_string *n = zend_string_init(name, strlen(name), 0);
	zend_string *v = zend_string_init(value, strlen(value), 0);
	int ok = zend_alter_ini_entry(n, v, PHP_INI_SYSTEM, PHP_INI_STAGE_ACTIVATE) == SUCCESS;
	zend_string_release(n);
	zend_string_release(v);
	return ok;
}

static void *serve(void *arg)
{
	long thread = (long)arg;
	char code[4096];
	const char *ns = (thread % 2 == 0) ? "even" : "odd";

	/* This thread's copy of every global (executor, INI, compiler). */
	(void)ts_resource(0);
	ZEND_TSRMLS_CACHE_UPDATE();
	pthread_barrier_wait(&start_together);
	for (int request = 0; request < requests; request++) {
		SG(options) |= SAPI_OPTION_NO_CHDIR;
		if (php_request_startup() == FAILURE) {
			failed("request start-up failed", thread, request);
			continue;
		}
		SG(headers_sent) = 1;
		SG(request_info).no_headers = 1;
		if (!set_ini("mcp_guard.rate_limit_namespace", ns)
			|| !set_ini("mcp_guard.rate_limit_namespace_slots", "1024")) {
			failed("cannot set the namespace", thread, request);
		}
		snprintf(code, sizeof code, "$thread = %ld; $request = %d; require '%s';",
			thread, request, script);
		zend_first_try {
			if (zend_eval_string(code, NULL, "threads host") == FAILURE || EG(exception)) {
				failed("the script failed", thread, request);
				zend_clear_exception();
			}
		} zend_catch {
			failed("the script bailed out (fatal error)", thread, request);
		} zend_end_try();
		php_request_shutdown(NULL);
	}
	ts_free_thread();
	return NULL;
}

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: %s SCRIPT THREADS REQUESTS\n", argv[0]);
		return 2;
	}
	script = argv[1];
	int threads = atoi(argv[2]);
	requests = atoi(argv[3]);
	if (threads < 1 || threads > 256 || requests < 1 || strchr(script, '\'') != NULL) {
		fprintf(stderr, "bad arguments\n");
		return 2;
	}
	if (php_embed_init(argc, argv) == FAILURE) {
		fprintf(stderr, "PHP did not start\n");
		return 1;
	}
	/* The embed SAPI opened a request on this thread; the workers have theirs. */
	pthread_t *ids = calloc((size_t)threads, sizeof *ids);
	if (ids == NULL || pthread_barrier_init(&start_together, NULL, (unsigned)threads) != 0) {
		return 1;
	}
	for (long t = 0; t < threads; t++) {
		if (pthread_create(&ids[t], NULL, serve, (void *)t) != 0) {
			fprintf(stderr, "cannot start thread %ld\n", t);
			return 1;
		}
	}
	for (int t = 0; t < threads; t++) {
		pthread_join(ids[t], NULL);
	}
	free(ids);
	php_embed_shutdown();
	return failures == 0 ? 0 : 1;
}
