/*
 * core's sessions. A session is named by a capability with the session's
 * badge, never reused, so a closed session's capability names nothing.
 * Opening one moves the quota the client donates into the session's own
 * account; everything core spends for the session, its record included,
 * is paid from there (OUT_OF_RAM or OUT_OF_CAPS when the donation does not
 * cover it: the client may upgrade), and closing it gives the donation
 * back. Services are modules with an operations table (session.h).
 */
#include "session.h"
#include <log.h>
#include <mem.h>
#include <session_args.h>

static const service_ops_t *const services[] = {&svc_pd,      &svc_rm,	&svc_rom, &svc_io_mem,
						&svc_io_port, &svc_irq, &svc_log};

session_t *session_lookup(word_t badge)
{
	if (CORE_BADGE_KIND(badge) != BADGE_SESSION)
		return 0;
	return (session_t *)registry_find(badge);
}

/* session_record: the record of ops for c, paid from acct or from a fresh account. */
static session_t *session_record(component_t *c, const service_ops_t *ops, account_t *acct,
				 account_t *fresh)
{
	if (acct)
		return record_new(&c->records, ops->size);
	records_t ctx = {fresh, 0};
	allocator_t md = account_records(&ctx);
	session_t *s = record_new(&md, ops->size);
	if (s) { /* from now on the record's own account pays */
		s->own = *fresh;
		s->records_ctx = ctx;
		s->records_ctx.acct = &s->own;
	}
	return s;
}

err_t session_new(component_t *c, const service_ops_t *ops, account_t *acct, uint64_t ram,
		  uint64_t caps, session_t **out)
{
	if (!acct && caps >= c->acct.cap_quota - c->acct.cap_used)
		return ERR_OUT_OF_CAPS; /* also keeps caps + 1 from wrapping */
	err_t e = acct ? ERR_OK : account_charge(&c->acct, ram, caps + 1);
	if (e != ERR_OK)
		return e;
	account_t fresh = {.ram_quota = ram, .cap_quota = caps, .owner = component_id(c)};
	session_t *s = session_record(c, ops, acct, &fresh);
	if (!s) {
		if (!acct)
			account_uncharge(&c->acct, ram, caps + 1);
		return ERR_OUT_OF_RAM; /* the donation does not even cover the record */
	}
	s->ops = ops, s->client = c;
	s->acct = acct ? acct : &s->own;
	s->records = acct ? c->records : account_records(&s->records_ctx);
	registry_add(&s->reg, BADGE_SESSION);
	if ((e = mint(s->reg.badge, &s->cap)) != ERR_OK) {
		session_free(s);
		return e;
	}
	s->next = c->sessions;
	c->sessions = s;
	*out = s;
	return ERR_OK;
}

static void unlink_session(session_t *s)
{
	for (session_t **pp = &s->client->sessions; *pp; pp = &(*pp)->next)
		if (*pp == s) {
			*pp = s->next;
			return;
		}
}

void session_free(session_t *s)
{
	component_t *c = s->client;
	int own = s->acct == &s->own;
	account_t donated = s->own;
	allocator_t md = s->records;
	unlink_session(s);
	registry_remove(&s->reg);
	slot_free(s->cap);
	/* everything the session held is back: its account shows only the record */
	if (own && (donated.ram_used != records_cost(s->ops->size) || donated.cap_used))
		log_printf("core: %s session of '%s' leaves %lu bytes and %lu caps charged\n",
			   s->ops->name, c->name, donated.ram_used - records_cost(s->ops->size),
			   donated.cap_used);
	record_delete(&md, s);
	if (own) {
		account_uncharge(&c->acct, donated.ram_quota, donated.cap_quota + 1);
	} else {
		comp_trim(c);
	}
}

/* service_named: the service of that name, or NULL. */
static const service_ops_t *service_named(const char *name)
{
	for (unsigned i = 0; i < sizeof(services) / sizeof(services[0]); i++)
		if (!strcmp(services[i]->name, name))
			return services[i];
	return 0;
}

err_t session_open(component_t *c, const char *args, cap_t *cap)
{
	char name[16];
	if (!args_valid(args, SESSION_ARGS_MAX) || !args_service(args, name, sizeof(name)))
		return ERR_INVALID_ARGS;
	const service_ops_t *ops = service_named(name);
	if (!ops)
		return ERR_NOT_FOUND;
	uint64_t ram = args_number(args, "ram_quota", 0), caps = args_number(args, "cap_quota", 0);
	if (ram < SESSION_RAM_MIN)
		return ERR_OUT_OF_RAM;
	session_t *s;
	err_t e = session_new(c, ops, 0, ram, caps, &s);
	if (e != ERR_OK)
		return e;
	args_string(args, "label", s->label, sizeof(s->label));
	if ((e = ops->open(s, args)) != ERR_OK) {
		session_free(s); /* open undid its own part */
		return e;
	}
	*cap = s->cap;
	return ERR_OK;
}

err_t session_create_pd(component_t *c, cap_t *cap, word_t *badge)
{
	session_t *s;
	err_t e = session_new(c, &svc_pd, &c->acct, 0, 0, &s);
	if (e == ERR_OK) {
		s->permanent = 1;
		pd_session_bind(s, c);
		*cap = s->cap;
		*badge = s->reg.badge;
	}
	return e;
}

err_t session_close(component_t *c, word_t badge)
{
	session_t *s = session_lookup(badge);
	if (!s || s->client != c)
		return ERR_INVALID_CAP;
	if (s->permanent)
		return ERR_DENIED; /* its PD and address space live as long as the component */
	s->ops->close(s);
	session_free(s);
	return ERR_OK;
}

err_t session_upgrade(component_t *c, word_t badge, uint64_t ram, uint64_t caps)
{
	session_t *s = session_lookup(badge);
	if (!s || s->client != c)
		return ERR_INVALID_CAP;
	if (s->acct != &s->own)
		return ERR_DENIED; /* the PD session spends the component's own quota */
	err_t e = account_charge(&c->acct, ram, caps);
	if (e == ERR_OK)
		s->own.ram_quota += ram, s->own.cap_quota += caps;
	return e;
}

word_t session_request(word_t badge, msg_t *m)
{
	session_t *s = session_lookup(badge);
	return s ? s->ops->request(s, MSG_LABEL(m->info), m) : REPLY(ERR_INVALID_CAP);
}

void session_close_all(component_t *c)
{
	/* sessions that lean on others (the address-space RM on the PD) are newer: first */
	while (c->sessions) {
		session_t *s = c->sessions;
		s->ops->close(s);
		session_free(s);
	}
}
