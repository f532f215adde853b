/*
 * The demo's consumer: opens a session of the producer's "mailbox", gets
 * its dataspace, attaches it to its own region map (at an address of its
 * own choosing), reads the producer's text and writes an answer into the
 * same memory. It also reads a ROM dataspace, the boot module "demo-data",
 * with the attached-ROM helper.
 */
#include <env.h>
#include <mem.h>
#include <log.h>
#include <parent.h>
#include <rpc.h>
#include <xml.h>
#include "../demo-producer/mailbox.h"

#define CONSUMER_AT 0x40000000ul

/* read_config: the ROM "config", the <config> init's config gives this child, parsed. */
static int read_config(env_t *env)
{
	attached_ds_t rom;
	xml_doc_t doc;
	xml_error_t xe;
	err_t e = attached_rom_ds(env, "config", &rom);
	if (e != ERR_OK) {
		log_session_printf(env->log, "no ROM 'config': %s", err_name(e));
		return 1;
	}
	allocator_t a = heap_allocator(&env->heap);
	e = xml_parse((const char *)rom.addr, rom.size, &a, 0, &doc, &xe);
	const char *greeting =
	    e == ERR_OK ? xml_attr(xml_first_child(doc.root, "greeting"), "text") : 0;
	log_session_printf(env->log, "ROM 'config', %lu bytes at 0x%lx: greeting \"%s\"",
			   (unsigned long)rom.size, rom.addr, greeting ? greeting : "(none)");
	if (e == ERR_OK)
		xml_free(&doc);
	attached_ds_release(env, &rom);
	return greeting ? 0 : 1;
}

static int read_rom(env_t *env)
{
	attached_ds_t rom;
	err_t e = attached_rom_ds(env, "demo-data", &rom);
	if (e != ERR_OK) {
		log_session_printf(env->log, "no ROM 'demo-data': %s", err_name(e));
		return 1;
	}
	char line[80];
	size_t n = rom.size < sizeof(line) - 1 ? rom.size : sizeof(line) - 1;
	memcpy(line, (const void *)rom.addr, n);
	line[n] = 0;
	if (n && line[n - 1] == '\n')
		line[n - 1] = 0;
	log_session_printf(env->log, "ROM 'demo-data', %lu bytes, read-only at 0x%lx: \"%s\"",
			   (unsigned long)rom.size, rom.addr, line);
	attached_ds_release(env, &rom);
	return 0;
}

int component_main(env_t *env)
{
	/* the same call as for core's services: the producer gets the label and the donation */
	cap_t mailbox = parent_session_await("mailbox label=mailbox ram_quota=4096"), ds;
	msg_t m = {0};
	if (!mailbox) {
		log_session_printf(env->log, "no mailbox session");
		return 1;
	}
	err_t e = rpc_call(mailbox, MAILBOX_GET, &m, 0, 0, &ds);
	if (e != ERR_OK) {
		log_session_printf(env->log, "no dataspace: %s", err_name(e));
		return 1;
	}
	uint64_t size = MSG_AS(&m, mailbox_get_reply_t)->size;
	word_t badge = MSG_AS(&m, mailbox_get_reply_t)->session;
	/* where it goes is the attacher's choice: here a fixed address of this region map */
	rm_attach_attr_t a = {.at = CONSUMER_AT, .flags = RM_WRITEABLE | RM_USE_AT};
	vaddr_t at;
	if ((e = rm_attach(env->rm, ds, &a, &at)) != ERR_OK) {
		log_session_printf(env->log, "cannot attach: %s", err_name(e));
		return 1;
	}
	log_session_printf(env->log,
			   "session %lu: the producer's %lu-byte dataspace at my address "
			   "0x%lx reads \"%s\"",
			   (unsigned long)badge, (unsigned long)size, at, (const char *)at);
	format_buf((char *)at + MAILBOX_ANSWER_AT, 64, "consumer of session %lu was here",
		   (unsigned long)badge);
	e = rpc_call(mailbox, MAILBOX_READ, &m, 0, 0, 0);
	rm_detach(env->rm, at);
	slot_free(ds);
	err_t closed = parent_session_close(mailbox); /* the donation comes back */
	if (e == ERR_OK)
		e = closed;
	int failed = read_rom(env) | read_config(env);
	return e == ERR_OK ? failed : 1;
}
