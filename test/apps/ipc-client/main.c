/*
 * run/ipc, the client: opens two sessions to "ipc" (two badged
 * capabilities to one endpoint), checks that the server tells them apart
 * by badge, sends a long message, and transfers one session capability to
 * the server, which must see an endpoint with that session's badge.
 */
#include <log.h>
#include <env.h>
#include <parent.h>

enum { OP_ADD = 1, OP_IDENTIFY = 2, OP_EXIT = 3, OP_DROP = 4 };

static unsigned failures;

static void check(int ok, const char *what, word_t got, word_t want)
{
	log_printf("ipc-client: %s: %s (got %lu, want %lu)\n", what, ok ? "ok" : "FAIL", got, want);
	failures += !ok;
}

int component_main(env_t *env)
{
	/* the same call as for core's services; the server sees label and donation */
	cap_t s1 = parent_session_await("ipc label=first ram_quota=8192 cap_quota=2");
	cap_t s2 = parent_session_await("ipc label=second");

	msg_t m = {.info = MSG_INFO(OP_ADD, 2, 0), .mr = {2, 3}};
	err_t e = sys_call(s1, &m);
	check(e == ERR_OK && m.mr[0] == 5, "short call sum", m.mr[0], 5);
	word_t b1 = m.mr[1];
	m = (msg_t){.info = MSG_INFO(OP_ADD, 2, 0), .mr = {40, 2}};
	e = sys_call(s2, &m);
	word_t b2 = m.mr[1];
	check(e == ERR_OK && b1 && b2 && b1 != b2, "the server tells the sessions apart", b2, b1);
	log_printf("ipc-client: sessions in slots %u and %u, badges %lu and %lu\n", s1, s2, b1, b2);

	m = (msg_t){.info = MSG_INFO(OP_ADD, 20, 0), .mr = {0, 1, 2, 3}};
	for (word_t i = 4; i < 20; i++)
		sys_utcb()->mr[i] = i;
	e = sys_call(s1, &m);
	check(e == ERR_OK && m.mr[0] == 190, "20-word message sum", m.mr[0], 190);

	m = (msg_t){.info = MSG_INFO(OP_IDENTIFY, 0, 1)};
	sys_utcb()->send_caps[0] = s2;
	e = sys_call(s1, &m);
	check(e == ERR_OK && m.mr[0] == OBJ_ENDPOINT, "transferred capability is an endpoint",
	      m.mr[0], OBJ_ENDPOINT);
	check(m.mr[1] == b2, "transferred capability keeps its badge", m.mr[1], b2);
	check(m.mr[3] == RECV_BADGE,
	      "a capability to the server's own endpoint arrives as its badge", m.mr[3],
	      RECV_BADGE);

	m = (msg_t){.info = MSG_INFO(OP_IDENTIFY, 0, 1)};
	sys_utcb()->send_caps[0] = env->log; /* core's endpoint, not the server's */
	e = sys_call(s1, &m);
	check(e == ERR_OK && m.mr[3] == RECV_SLOT, "another capability lands in the named slot",
	      m.mr[3], RECV_SLOT);
	check(m.mr[0] == OBJ_ENDPOINT, "and is an endpoint there", m.mr[0], OBJ_ENDPOINT);
	check(m.mr[3] == b1, "called through session 1", m.mr[3], b1);

	m = (msg_t){.info = MSG_INFO(77, 0, 0)};
	e = sys_call(s1, &m);
	check(e == ERR_OK && MSG_LABEL(m.info) == ERR_UNKNOWN_OPCODE, "unknown opcode answered",
	      MSG_LABEL(m.info), ERR_UNKNOWN_OPCODE);

	for (int i = 0; i < 1000; i++) { /* many short round trips: the fast paths */
		m = (msg_t){.info = MSG_INFO(OP_ADD, 2, 0), .mr = {(word_t)i, 1}};
		if (sys_call(s1, &m) != ERR_OK || m.mr[0] != (word_t)i + 1) {
			check(0, "1000 short round trips", m.mr[0], (word_t)i + 1);
			break;
		}
	}
	m = (msg_t){.info = MSG_INFO(OP_DROP, 0, 0)};
	e = sys_call(s1, &m); /* the server waits anew without replying: the call must fail */
	check(e == ERR_ABORTED, "a server that drops the call: the call fails", e, ERR_ABORTED);
	m = (msg_t){.info = MSG_INFO(OP_ADD, 2, 0), .mr = {20, 22}};
	e = sys_call(s1, &m);
	log_printf("ipc-client: after the dropped call: %s, label %u\n", err_name(e),
		   MSG_LABEL(m.info));
	check(e == ERR_OK && m.mr[0] == 42, "and the server serves on", m.mr[0], 42);
	m = (msg_t){.info = MSG_INFO(OP_EXIT, 0, 0)};
	e = sys_call(s1, &m);
	check(e == ERR_ABORTED, "a server that dies during the call: the call fails", e,
	      ERR_ABORTED);
	e = sys_call(s2, &m);
	check(e == ERR_INVALID_CAP, "the dead server's endpoint is gone", e, ERR_INVALID_CAP);

	if (failures)
		log_printf("ipc-client: %u checks FAILED\n", failures);
	else
		log_printf("ipc-client: all checks passed\n");
	return failures ? 1 : 0;
}
