/*
 * libFuzzer target for the config parser, which init runs on configs users
 * write. The first input byte picks the limits (the defaults or tight ones),
 * whether the allocator gives out after a number of allocations, and
 * whether the rest is the text itself or bytes spliced into a sample
 * config (so that mutations reach deep into a valid document). A success
 * must hand out a tree that keeps every promise of xml.h and frees to
 * nothing; a failure must leave nothing allocated and point inside the text.
 */
#include <xml.h>
#include "fuzz_input.h"
#include "../xml/count_alloc.h"
#include "../xml/tree_check.h"

static const char sample[] =
    "<?xml version=\"1.0\"?>\n<config>\n"
    "  <parent-provides> <service name=\"LOG\"/> <service name=\"ROM\"/> </parent-provides>\n"
    "  <!-- routes -->\n"
    "  <default-route> <any-service> <parent/> </any-service> </default-route>\n"
    "  <start name=\"producer\" ram=\"4M\" caps='100' priority=\"16\">\n"
    "    <binary name=\"test-producer\"/>\n"
    "    <config> <greeting text=\"hello &amp; welcome &#x41;\"/> text &lt;here&gt; </config>\n"
    "    <route> <service name=\"Shm\"> <child name=\"consumer\"/> </service> </route>\n"
    "  </start>\n"
    "</config>\n";

static const xml_limits_t defaults = XML_LIMITS_DEFAULT;
static const xml_limits_t tight = {1024, 4, 12, 3, 8, 8192};

/* position_of: line and column of offset o in text, counted afresh. */
static void position_of(const char *text, size_t o, unsigned *line, unsigned *col)
{
	*line = *col = 1;
	for (size_t i = 0; i < o; i++) {
		if (text[i] == '\n')
			++*line, *col = 1;
		else
			++*col;
	}
}

/*
 * check_parse: parse text under lim with the allocator giving out after
 * fail_after allocations; the outcome, after checking every promise of it.
 */
static err_t check_parse(const char *text, size_t len, const xml_limits_t *lim, size_t fail_after,
			 unsigned *elements)
{
	count_alloc_t ca;
	allocator_t a = count_alloc_init(&ca);
	ca.fail_after = fail_after;
	xml_doc_t doc;
	xml_error_t err;
	err_t e = xml_parse(text, len, &a, lim, &doc, &err);
	if (e == ERR_OK) {
		FUZZ_REQUIRE(tree_check(&doc, lim, elements) == 0);
		FUZZ_REQUIRE(ca.bytes == doc.memory);
		xml_free(&doc);
	} else {
		unsigned line, col;
		FUZZ_REQUIRE(e == ERR_XML_SYNTAX || e == ERR_XML_LIMIT || e == ERR_NO_MEMORY);
		FUZZ_REQUIRE(err.code == e && err.message[0]);
		FUZZ_REQUIRE(err.offset <= len);
		position_of(text, err.offset, &line, &col);
		FUZZ_REQUIRE(err.line == line && err.column == col);
		FUZZ_REQUIRE(e != ERR_NO_MEMORY || ca.allocs == fail_after);
		FUZZ_REQUIRE(!doc.root && !doc.chunks);
	}
	FUZZ_REQUIRE(ca.live == 0 && ca.bytes == 0);
	return e;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char text[8192];
	fuzz_in_t in = {data, size};
	if (size > 4096)
		return 0;
	unsigned mode = (unsigned)fuzz_take(&in, 1);
	const xml_limits_t *lim = mode & 1 ? &tight : &defaults;
	size_t fail_after = mode & 2 ? (mode >> 4) : (size_t)-1, len;
	if (mode & 4) { /* splice: replace bytes of the sample at an offset by the rest */
		size_t at = fuzz_take(&in, 2) % sizeof(sample), cut = fuzz_take(&in, 1) % 16;
		cut = at + cut < sizeof(sample) - 1 ? cut : sizeof(sample) - 1 - at;
		memcpy(text, sample, at);
		memcpy(text + at, in.p, in.n);
		memcpy(text + at + in.n, sample + at + cut, sizeof(sample) - 1 - at - cut);
		len = sizeof(sample) - 1 - cut + in.n;
	} else {
		memcpy(text, in.p, in.n);
		len = in.n;
	}
	unsigned elements = 0, again = 0;
	err_t e = check_parse(text, len, lim, fail_after, &elements);
	/* what parses under tight limits and a failing allocator parses with more of both */
	if (e == ERR_OK && (lim == &tight || fail_after != (size_t)-1)) {
		FUZZ_REQUIRE(check_parse(text, len, &defaults, (size_t)-1, &again) == ERR_OK);
		FUZZ_REQUIRE(again == elements);
	}
	return 0;
}
