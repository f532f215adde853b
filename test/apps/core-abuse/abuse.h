/*
 * Shared by the parts of test-core-abuse: the tally of expected and
 * unexpected answers, and raw requests that carry whatever the caller puts
 * in them (the library's wrappers would refuse to send most of it).
 */
#pragma once

#include <env.h>
#include <abi/slots.h>

/*
 * expect: count got against want; print a FAIL line if they differ. When
 * an error is wanted and comes, the component's quota in use must be what
 * it was just before got was evaluated: nothing is charged for a refused
 * request.
 */
#define expect(what, got, want)                                    \
	({                                                         \
		pd_quota_t q_ = quota_now();                       \
		err_t g_ = (got);                                  \
		expect_checked((what), &q_, g_, (want));           \
	})
void expect_checked(const char *what, const pd_quota_t *before, err_t got, err_t want);
pd_quota_t quota_now(void);

/* request: call cap with label, four words and (if send) one capability; the answer. */
err_t request(cap_t cap, unsigned label, cap_t send, word_t a, word_t b, word_t c, word_t d);

/* request_cap: like request; the first capability of a successful reply in *got. */
err_t request_cap(cap_t cap, unsigned label, cap_t send, word_t a, cap_t *got);

/* session: open a session that the test needs; 0 (and a FAIL line) if core refuses. */
cap_t session(const char *args);

/* close_keep: close a session through the parent, keeping the capability. */
err_t close_keep(cap_t session);

/* port_reader_start: a thread that reads a port once abuse_services says so. */
void port_reader_start(env_t *env);

void abuse_pd(env_t *env);
void abuse_rm(env_t *env);
void abuse_sessions(env_t *env);
void abuse_services(env_t *env);
void abuse_address_space(env_t *env);
void abuse_review(env_t *env);
