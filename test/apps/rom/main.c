/*
 * run/rom: boot modules as ROM dataspaces. Reads a text and a binary module
 * and checks their contents, expects NOT_FOUND for an unknown name, and,
 * as its last act, writes into the read-only dataspace from a second
 * thread, which core must stop with a protection fault (init then reports
 * the fault and destroys the component).
 */
#include <log.h>
#include <env.h>
#include <mem.h>
#include <parent.h>

/* The contents run/rom installs: keep both sides in step. */
static const char expected_text[] = "ROM text module, line 1\n"
				    "the second line of the ROM text\n"
				    "third and last line\n";
#define BIN_SIZE 3000

static unsigned failures;
static uint8_t writer_stack[8192] __attribute__((aligned(16)));
static volatile int writer_started, writer_done;

static const char *verdict(int ok)
{
	failures += !ok;
	return ok ? "ok" : "FAIL";
}

/* bin_byte: byte i of the binary module (run/rom builds the same pattern). */
static uint8_t bin_byte(unsigned i)
{
	return (uint8_t)((i * 7 + 3) ^ (i >> 8));
}

/* checksum: a rolling sum over size bytes (run/rom computes it the same way). */
static uint32_t checksum(const uint8_t *p, uint64_t size)
{
	uint32_t sum = 0;
	for (uint64_t i = 0; i < size; i++)
		sum = sum * 31 + p[i];
	return sum;
}

static void check_text(env_t *env, attached_ds_t *rom)
{
	const char *text = (const char *)rom->addr;
	size_t line = 0;
	while (line < rom->size && text[line] != '\n')
		line++;
	int ok = rom->size == sizeof(expected_text) - 1 &&
		 !memcmp(text, expected_text, sizeof(expected_text) - 1);
	log_printf("test-rom: rom-text: %lu bytes, first line '%.*s': %s\n", rom->size, (int)line,
		   text, verdict(ok));
}

static void check_bin(env_t *env, attached_ds_t *rom)
{
	const uint8_t *p = (const uint8_t *)rom->addr;
	unsigned mismatch = 0;
	for (unsigned i = 0; i < rom->size && i < BIN_SIZE; i++)
		mismatch += p[i] != bin_byte(i);
	int ok = rom->size == BIN_SIZE && mismatch == 0;
	log_printf("test-rom: rom-bin: %lu bytes, checksum 0x%08x, %u bytes differ from the "
		   "pattern: %s\n",
		   rom->size, checksum(p, rom->size), mismatch, verdict(ok));
}

static void check_info(env_t *env, attached_ds_t *rom)
{
	uint64_t size;
	unsigned kind;
	int writeable;
	err_t e = pd_ds_info(env->pd, rom->ds, &size, &kind, &writeable);
	int ok = e == ERR_OK && kind == DS_ROM && !writeable && size == PAGE_SIZE;
	log_printf("test-rom: rom-bin dataspace: %s, kind %u, writeable %d, size %lu: %s\n",
		   err_name(e), kind, writeable, size, verdict(ok));
}

static void check_unknown(env_t *env)
{
	attached_ds_t rom;
	err_t e = attached_rom_ds(env, "no-such-module", &rom);
	log_printf("test-rom: unknown module: %s: %s\n", err_name(e), verdict(e == ERR_NOT_FOUND));
	if (e == ERR_OK)
		attached_ds_release(env, &rom);
}

/* writer: store into the read-only ROM at arg; core must stop this thread. */
static void writer(word_t arg, utcb_t *utcb)
{
	writer_started = 1;
	*(volatile char *)arg = '!';
	writer_done = 1;
	log_printf("test-rom: FAIL: the write into the ROM went through\n");
	for (;;)
		sys_yield();
}

static void check_write_fault(env_t *env, attached_ds_t *rom)
{
	vaddr_t at = rom->addr + 8;
	log_printf("test-rom: writing into the ROM dataspace at %lx from a second thread\n", at);
	err_t e =
	    pd_thread(env->pd, writer, writer_stack + sizeof(writer_stack), PRIORITY_DEFAULT, at);
	if (e != ERR_OK) {
		log_printf("test-rom: second thread: %s: %s\n", err_name(e), verdict(0));
		return;
	}
	for (;;)
		sys_yield(); /* until init, told of the fault, ends this component */
}

int component_main(env_t *env)
{
	attached_ds_t text, bin;
	err_t e = attached_rom_ds(env, "rom-text", &text);
	err_t f = attached_rom_ds(env, "rom-bin", &bin);
	if (e != ERR_OK || f != ERR_OK) {
		log_printf("test-rom: FAIL: opening the modules: rom-text %s, rom-bin %s\n",
			   err_name(e), err_name(f));
		return 1;
	}
	check_text(env, &text);
	check_bin(env, &bin);
	check_info(env, &bin);
	check_unknown(env);
	attached_ds_release(env, &bin);
	log_printf("test-rom: %s\n", failures ? "some checks FAILED" : "all checks passed");
	if (failures)
		return 1;
	check_write_fault(env, &text); /* does not return */
	return 1;
}
