/*
 * run/child: a component starts a child from a ROM module (apps/hello)
 * with lib's child_create and is its parent: it answers the child's
 * session requests by opening the sessions at core itself (a LOG session
 * labelled with the child's name), and when the child exits it destroys
 * it. Its own quota must then be what it was before the child, and a
 * binary that is no ELF must be refused with the loader's error.
 */
#include <log.h>
#include <env.h>
#include <mem.h>
#include <parent.h>
#include <rpc.h>
#include <child.h>
#include <session_args.h>

#define MAX_FORWARDED 8

typedef struct {
	env_t *env;
	child_t child;
	cap_t forwarded[MAX_FORWARDED]; /* sessions opened at core for the child */
	int exit_code, exited;
} parent_t;

/* forward_open: the child's session request, opened at core from this component's quota. */
static word_t forward_open(rpc_server_t *s, word_t badge, msg_t *m)
{
	parent_t *p = s->obj;
	char args[SESSION_ARGS_MAX], service[16], label[48] = "", fixed[SESSION_ARGS_MAX];
	msg_get_string(m, args, sizeof(args));
	if (!args_service(args, service, sizeof(service)))
		return MSG_INFO(ERR_INVALID_ARGS, 0, 0);
	args_string(args, "label", label, sizeof(label));
	const char *rest = args + strlen(service);
	if (!strcmp(service, "LOG")) /* the child's lines carry its name */
		format_buf(fixed, sizeof(fixed), "LOG label=kid%s%s ram_quota=4096",
			   label[0] ? " -> " : "", label);
	else
		format_buf(fixed, sizeof(fixed), "%s%s", service, rest);
	unsigned i = 0;
	while (i < MAX_FORWARDED && p->forwarded[i])
		i++;
	if (i == MAX_FORWARDED)
		return MSG_INFO(ERR_LIMIT, 0, 0);
	err_t e = parent_session_open(fixed, &p->forwarded[i]);
	if (e != ERR_OK)
		return MSG_INFO(e, 0, 0);
	sys_utcb()->send_caps[0] = p->forwarded[i];
	return MSG_INFO(0, 0, 1);
}

/* forward_close: the session the child names, closed at core (matched by badge). */
static word_t forward_close(rpc_server_t *s, word_t badge, msg_t *m)
{
	parent_t *p = s->obj;
	cap_t theirs = rpc_take_cap(s, m, OBJ_ENDPOINT);
	word_t type, rights, b_theirs, b_mine;
	if (!theirs || sys_cap_identify(theirs, &type, &rights, &b_theirs) != ERR_OK)
		return MSG_INFO(ERR_INVALID_CAP, 0, 0);
	slot_free(theirs);
	for (unsigned i = 0; i < MAX_FORWARDED; i++) {
		if (!p->forwarded[i] ||
		    sys_cap_identify(p->forwarded[i], &type, &rights, &b_mine) != ERR_OK ||
		    b_mine != b_theirs)
			continue;
		err_t e = parent_session_close(p->forwarded[i]);
		p->forwarded[i] = 0;
		return MSG_INFO(e, 0, 0);
	}
	return MSG_INFO(ERR_INVALID_CAP, 0, 0);
}

/* child_exit: the child ends: destroy it and whatever was opened for it, answer nothing. */
static word_t child_exit(rpc_server_t *s, word_t badge, msg_t *m)
{
	parent_t *p = s->obj;
	p->exit_code = (int)m->mr[0], p->exited = 1;
	child_destroy(p->env, &p->child);
	for (unsigned i = 0; i < MAX_FORWARDED; i++)
		if (p->forwarded[i])
			parent_session_close(p->forwarded[i]), p->forwarded[i] = 0;
	rpc_stop(s);
	return SYS_NO_REPLY;
}

static const rpc_op_t parent_ops[] = {{PARENT_SESSION_OPEN, forward_open},
				      {PARENT_SESSION_CLOSE, forward_close},
				      {PARENT_EXIT, child_exit}};

static int same_quota(const pd_quota_t *a, const pd_quota_t *b)
{
	return a->ram_used == b->ram_used && a->cap_used == b->cap_used &&
	       a->ram_quota == b->ram_quota && a->cap_quota == b->cap_quota;
}

int component_main(env_t *env)
{
	static parent_t p;
	cap_t ep;
	pd_quota_t before, after;
	p.env = env;
	if (pd_alloc_endpoint(env->pd, &ep) != ERR_OK)
		return 1;
	pd_quota(env->pd, &before);
	child_args_t bad = {"bad", "greeting", 1 << 20, 32, PRIORITY_DEFAULT, ep, 1, 0, 0};
	child_t none;
	err_t e = child_create(env, &bad, &none);
	pd_quota(env->pd, &after);
	log_printf("parent: a binary that is no ELF: %s, %s\n", err_name(e),
		   same_quota(&before, &after) ? "nothing kept" : "FAIL: quota changed");
	child_args_t kid = {"kid", "hello", 4 << 20, 64, PRIORITY_DEFAULT, ep, 7, 0, 0};
	if ((e = child_create(env, &kid, &p.child)) != ERR_OK) {
		log_printf("parent: FAIL: cannot start the child: %s\n", err_name(e));
		return 1;
	}
	log_printf("parent: started 'kid' from 'hello'\n");
	rpc_server_t s;
	rpc_server_init(&s, ep, RPC_OPS(parent_ops), &p);
	rpc_serve(&s);
	pd_quota(env->pd, &after);
	log_printf("parent: kid exited with %d\n", p.exit_code);
	int ok = same_quota(&before, &after);
	log_printf("parent: quota after the child: %s (RAM used %lu -> %lu, caps %lu -> %lu)\n",
		   ok ? "back to its start" : "FAIL: changed", before.ram_used, after.ram_used,
		   before.cap_used, after.cap_used);
	return ok && p.exited && p.exit_code == 0 ? 0 : 1;
}
