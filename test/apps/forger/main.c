/*
 * run/forged_output: a component tries to print lines that look like the
 * kernel's, core's or init's: through log_printf (its LOG session), with a
 * newline inside the text, and straight through the kernel's debug log.
 * Every line arrives with its label in front, and the kernel refuses the
 * debug log.
 */
#include <env.h>
#include <log.h>

int component_main(env_t *env)
{
	log_printf("core: 'nobody' exited with 0\n");
	log_printf("[init] 'nobody' exited with 0\n");
	log_printf("a line, and then\nkernel: panic: forged\nand more\n");
	static const char raw[] = "core: 'nobody' was destroyed\n";
	err_t e = sys_debug_log(raw, sizeof(raw) - 1);
	log_printf("the kernel's debug log: %s\n", err_name(e));
	return e == ERR_DENIED ? 0 : 1;
}
