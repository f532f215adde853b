/*
 * libFuzzer target for session argument strings: core parses them from
 * untrusted components, so no input may read out of bounds or overflow.
 */
#include <stdint.h>
#include <stddef.h>
#include <string.h>
#include <session_args.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char args[257], out[64];
	size_t n = size < sizeof(args) - 1 ? size : sizeof(args) - 1;
	memcpy(args, data, n);
	args[n] = 0;
	if (!args_valid(args, sizeof(args)))
		return 0;
	args_service(args, out, sizeof(out));
	args_string(args, "label", out, sizeof(out));
	args_string(args, "", out, 1);
	uint64_t v = args_number(args, "ram_quota", 7);
	v += args_number(args, "size", 0) + args_number(args, "base", ~0ull);
	return (int)(v & 0);
}
