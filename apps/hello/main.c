/*
 * The smallest useful component: it reads the boot module "greeting" as a
 * ROM dataspace, prints it through its LOG session, and uses its heap.
 * run/hello.run is the scenario of README.md's example.
 */
#include <env.h>
#include <log.h>
#include <mem.h>

int component_main(env_t *env)
{
	attached_ds_t rom;
	err_t e = attached_rom_ds(env, "greeting", &rom);
	if (e != ERR_OK) {
		log_printf("hello: no greeting: %s\n", err_str(e));
		return 1;
	}
	char *text;
	if (heap_alloc(&env->heap, rom.size + 1, (void **)&text) != ERR_OK)
		return 1;
	memcpy(text, (const void *)rom.addr, rom.size);
	text[rom.size] = 0;
	log_session_write(env->log, text);
	heap_free(&env->heap, text);
	attached_ds_release(env, &rom);
	return 0;
}
