/*
 * Child creation: a PD session at core makes the child, the ELF checker
 * plans its image, and the creator attaches the plan into the child's
 * region map through that session (see child.h).
 */
#include <child.h>
#include <mem.h>
#include <log.h>
#include <rpc.h>
#include <abi/elf.h>

#define STACK_DEFAULT (64 * 1024)

/* map_copied: a RAM dataspace of the child's with segment s's bytes, attached at its pages. */
static err_t map_copied(env_t *env, child_t *c, const elf_segment_t *s)
{
	uint64_t span = s->page_end - s->page_start;
	cap_t ds;
	vaddr_t here, at;
	err_t e = pd_alloc(c->pd, span, 0, &ds);
	if (e != ERR_OK)
		return e;
	rm_attach_attr_t mine = {.flags = RM_WRITEABLE};
	if ((e = rm_attach(env->rm, ds, &mine, &here)) == ERR_OK) {
		memcpy((uint8_t *)here + (s->vaddr - s->page_start),
		       (const uint8_t *)c->rom.addr + s->offset, s->filesz); /* the rest is zero */
		rm_detach(env->rm, here);
		rm_attach_attr_t theirs = {.at = s->page_start,
					   .flags = RM_USE_AT |
						    ((s->flags & ELF_PF_W) ? RM_WRITEABLE : 0) |
						    ((s->flags & ELF_PF_X) ? RM_EXECUTABLE : 0)};
		e = rm_attach(c->rm, ds, &theirs, &at);
	}
	slot_free(ds); /* the child's memory: its region map keeps it, the child owns it */
	return e;
}

/*
 * map_segment: read-only segments whose file bytes cover their pages are
 * attached straight from the ROM; everything else is copied.
 */
static err_t map_segment(env_t *env, child_t *c, const elf_segment_t *s)
{
	uint64_t lead = s->vaddr - s->page_start, span = s->page_end - s->page_start;
	int direct = !(s->flags & ELF_PF_W) && s->filesz == s->memsz && s->offset >= lead &&
		     ((s->offset - lead) & (PAGE_SIZE - 1)) == 0 &&
		     s->offset - lead + span <= ((c->rom.size + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1));
	if (!direct)
		return map_copied(env, c, s);
	vaddr_t at;
	rm_attach_attr_t a = {.size = span,
			      .offset = s->offset - lead,
			      .at = s->page_start,
			      .flags = RM_USE_AT | ((s->flags & ELF_PF_X) ? RM_EXECUTABLE : 0)};
	return rm_attach(c->rm, c->rom.ds, &a, &at);
}

/* set_parent: the child's parent capability: a badged copy of the creator's endpoint. */
static err_t set_parent(child_t *c, cap_t ep, word_t badge)
{
	msg_t m = {0};
	MSG_AS(&m, pd_parent_req_t)->badge = badge;
	return rpc_call(c->pd, PD_PARENT, &m, MSG_WORDS_OF(pd_parent_req_t), ep, 0);
}

/* start: the stack and the initial thread. */
static err_t start(child_t *c, const child_args_t *a)
{
	uint64_t size = a->stack ? a->stack : STACK_DEFAULT;
	cap_t ds;
	vaddr_t at;
	err_t e = pd_alloc(c->pd, size, 0, &ds);
	if (e != ERR_OK)
		return e;
	rm_attach_attr_t attr = {.flags = RM_WRITEABLE};
	e = rm_attach(c->rm, ds, &attr, &at);
	slot_free(ds);
	if (e == ERR_OK) /* pd_thread takes the top and steps below it, as for a call */
		e = pd_thread(c->pd, (void (*)(word_t, utcb_t *))c->entry, (void *)(at + size),
			      a->prio, 0);
	return e;
}

/* load: the checked image of the child's binary, attached segment by segment. */
static err_t load(env_t *env, child_t *c, const elf_image_t *plan)
{
	err_t e = ERR_OK;
	for (unsigned i = 0; e == ERR_OK && i < plan->count; i++)
		e = map_segment(env, c, &plan->segment[i]);
	c->entry = plan->entry;
	return e;
}

err_t child_create(env_t *env, const child_args_t *a, child_t *out)
{
	char args[SESSION_ARGS_MAX];
	memset(out, 0, sizeof(*out));
	if (!a->name || !a->binary || !a->name[0])
		return ERR_INVALID_ARGS;
	size_t n = format_buf(args, sizeof(args), "PD label=%s ram_quota=%lu cap_quota=%lu",
			      a->name, a->ram, a->caps);
	if (n >= sizeof(args))
		return ERR_INVALID_ARGS;
	elf_image_t plan; /* checked before anything is made for the child */
	err_t e = ERR_OK;
	if (a->rom)
		out->rom = *a->rom, memset(a->rom, 0, sizeof(*a->rom));
	else
		e = attached_rom_ds(env, a->binary, &out->rom);
	if (e == ERR_OK)
		e = elf_check((const void *)out->rom.addr, out->rom.size, USER_TOP, &plan);
	if (e == ERR_OK && (e = parent_session_open(args, &out->pd)) == ERR_OK &&
	    (e = pd_address_space(out->pd, &out->rm)) == ERR_OK &&
	    (e = load(env, out, &plan)) == ERR_OK &&
	    (e = set_parent(out, a->parent_ep, a->badge)) == ERR_OK)
		e = start(out, a);
	if (e != ERR_OK)
		child_destroy(env, out);
	return e;
}

void child_destroy(env_t *env, child_t *c)
{
	if (c->rm)
		slot_free(c->rm);
	if (c->pd)
		parent_session_close(c->pd); /* the child and all it held go */
	if (c->rom.ds)
		attached_ds_release(env, &c->rom);
	memset(c, 0, sizeof(*c));
}
