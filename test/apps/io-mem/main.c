/*
 * run/io_mem: device memory through IO_MEM sessions. Writes a line into the
 * VGA text buffer (which run/io_mem reads back through the QEMU monitor) and
 * checks that core refuses RAM, a range already granted and malformed ranges.
 */
#include <log.h>
#include <env.h>
#include <mem.h>
#include <parent.h>

#define VGA_TEXT 0xb8000ull
#define VGA_COLUMNS 80
#define VGA_ROW 12
#define VGA_ATTR 0x1f /* white on blue */

static const char greeting[] = "IO_MEM: hello from a component";
static unsigned failures;

static const char *verdict(int ok)
{
	failures += !ok;
	return ok ? "ok" : "FAIL";
}

/* write_row: the greeting into row VGA_ROW of the text screen at vga, read back. */
static int write_row(vaddr_t vga)
{
	volatile uint8_t *cell = (volatile uint8_t *)vga + VGA_ROW * VGA_COLUMNS * 2;
	for (unsigned i = 0; i < VGA_COLUMNS; i++) {
		cell[2 * i] = i < sizeof(greeting) - 1 ? (uint8_t)greeting[i] : ' ';
		cell[2 * i + 1] = VGA_ATTR;
	}
	int same = 1;
	for (unsigned i = 0; i < sizeof(greeting) - 1; i++)
		same &= cell[2 * i] == (uint8_t)greeting[i] && cell[2 * i + 1] == VGA_ATTR;
	return same;
}

/* refused: an IO_MEM session for args must fail with want. */
static void refused(const char *what, const char *args, err_t want)
{
	cap_t s;
	err_t e = parent_session_open(args, &s);
	log_printf("test-io-mem: %s (%s): %s: %s\n", what, args, err_name(e), verdict(e == want));
	if (e == ERR_OK)
		parent_session_close(s);
}

int component_main(env_t *env)
{
	attached_ds_t vga;
	err_t e = attached_io_mem_ds(env, VGA_TEXT, PAGE_SIZE, &vga);
	log_printf("test-io-mem: VGA text buffer at 0x%llx: %s: %s\n", VGA_TEXT, err_name(e),
		   verdict(e == ERR_OK));
	if (e != ERR_OK)
		return 1;
	int same = write_row(vga.addr);
	log_printf("test-io-mem: wrote '%s' with attribute 0x%x to row %u at 0x%llx: %s\n",
		   greeting, VGA_ATTR, VGA_ROW, VGA_TEXT + VGA_ROW * VGA_COLUMNS * 2,
		   verdict(same));
	refused("RAM", "IO_MEM base=0x200000 size=4096 ram_quota=4096", ERR_DENIED);
	refused("granted already", "IO_MEM base=0xb8000 size=4096 ram_quota=4096", ERR_BUSY);
	refused("overlapping a grant", "IO_MEM base=0xb7000 size=0x2000 ram_quota=4096", ERR_BUSY);
	refused("unaligned", "IO_MEM base=0xb8001 size=4096 ram_quota=4096", ERR_UNALIGNED);
	refused("size 0", "IO_MEM base=0xb9000 size=0 ram_quota=4096", ERR_INVALID_ARGS);
	refused("wrapping", "IO_MEM base=0xfffffffffffff000 size=0x2000 ram_quota=4096",
		ERR_INVALID_ARGS);
	attached_ds_release(env, &vga);
	e = attached_io_mem_ds(env, VGA_TEXT, PAGE_SIZE, &vga);
	log_printf("test-io-mem: the range again after release: %s: %s\n", err_name(e),
		   verdict(e == ERR_OK));
	if (e == ERR_OK)
		attached_ds_release(env, &vga);
	log_printf("test-io-mem: %s\n", failures ? "some checks FAILED" : "all checks passed");
	return failures ? 1 : 0;
}
