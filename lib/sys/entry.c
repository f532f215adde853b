/* The entry of ordinary components: record the UTCB, set up the environment, run component_main. */
#include <sys.h>
#include <env.h>
#include <log.h>
#include <parent.h>
#include <abi/slots.h>

int component_main(env_t *env);

static env_t env;
static uint64_t first_cycle;

uint64_t component_first_cycle(void)
{
	return first_cycle;
}

env_t *component_env(void)
{
	return &env;
}

int component_entry(word_t arg, utcb_t *utcb)
{
	first_cycle = rdtsc(); /* within a few instructions of the first */
	slot_init(SLOT_FIRST_FREE, SLOT_COUNT_MIN);
	err_t e = env_init(&env, arg);
	if (e != ERR_OK) {
		log_printf("component: cannot set up the environment: %s\n", err_str(e));
		component_exit(1);
	}
	component_exit(component_main(&env));
}

void component_exit(int code)
{
	msg_t m = {.info = MSG_INFO(0, 1, 0), .mr = {(word_t)code}};
	parent_request(PARENT_EXIT, &m);
	for (;;)
		sys_yield(); /* the parent destroys us */
}
