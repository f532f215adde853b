/* run/runtime: a failed assertion names file, line and expression and ends the component. */
#include <assert.h>
#include <stdio.h>
#include <env.h>

int component_main(env_t *env)
{
	int answer = 41;
	assert(answer + 1 == 42); /* holds */
	printf("assert-fail: the first assertion held\n");
	assert(answer == 42);
	printf("assert-fail: FAIL: went on after a failed assertion\n");
	return 0;
}
