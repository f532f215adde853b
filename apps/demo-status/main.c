/*
 * The demo's status screen: device memory is a dataspace too. This child
 * opens an IO_MEM session for the VGA text buffer (0xb8000, the one range
 * init's config grants it), attaches the dataspace and writes a screen of
 * text straight into it: every even byte a character, every odd byte its
 * colour. A range its <start> does not grant is refused by init.
 */
#include <env.h>
#include <mem.h>
#include <log.h>

#define VGA_TEXT 0xb8000ul
#define COLUMNS 80
#define ROWS 25
#define WHITE_ON_BLUE 0x1f
#define YELLOW_ON_BLUE 0x1e

static void put(volatile uint8_t *screen, unsigned row, uint8_t colour, const char *text)
{
	for (unsigned col = 0; col < COLUMNS && text[col]; col++) {
		screen[(row * COLUMNS + col) * 2] = (uint8_t)text[col];
		screen[(row * COLUMNS + col) * 2 + 1] = colour;
	}
}

int component_main(env_t *env)
{
	attached_ds_t vga;
	err_t e = attached_io_mem_ds(env, VGA_TEXT, 4096, &vga);
	if (e != ERR_OK) {
		log_session_printf(env->log, "no IO_MEM session for the VGA text buffer: %s",
				   err_name(e));
		return 1;
	}
	volatile uint8_t *screen = (volatile uint8_t *)vga.addr;
	for (unsigned i = 0; i < COLUMNS * ROWS; i++)
		screen[i * 2] = ' ', screen[i * 2 + 1] = WHITE_ON_BLUE;
	pd_quota_t q = {0};
	pd_quota(env->pd, &q);
	char line[COLUMNS + 1];
	put(screen, 1, YELLOW_ON_BLUE, "  x86_64 microkernel: the demo");
	put(screen, 3, WHITE_ON_BLUE,
	    "  core started init; init started six children from its config.");
	format_buf(line, sizeof(line),
		   "  This screen: device memory 0x%lx, attached here at 0x%lx,", VGA_TEXT,
		   vga.addr);
	put(screen, 5, WHITE_ON_BLUE, line);
	put(screen, 6, WHITE_ON_BLUE,
	    "  written by the child 'status' through its IO_MEM dataspace.");
	format_buf(line, sizeof(line),
		   "  Its quota: %lu KiB RAM (%lu KiB used), %lu caps (%lu used).",
		   q.ram_quota >> 10, q.ram_used >> 10, q.cap_quota, q.cap_used);
	put(screen, 8, WHITE_ON_BLUE, line);
	put(screen, 10, WHITE_ON_BLUE,
	    "  The serial console has the rest: shared dataspaces, ROMs,");
	put(screen, 11, WHITE_ON_BLUE,
	    "  the allocators side by side, a contained fault, the table.");
	log_session_printf(env->log,
			   "wrote the status screen into the VGA text buffer at my address 0x%lx",
			   vga.addr);
	attached_ds_t other;
	e = attached_io_mem_ds(env, VGA_TEXT + 0x1000, 4096, &other);
	log_session_printf(env->log, "the next page, which my <start> does not grant: %s",
			   err_name(e));
	if (e == ERR_OK)
		attached_ds_release(env, &other);
	attached_ds_release(env, &vga); /* the text stays on the screen */
	return e == ERR_DENIED ? 0 : 1;
}
