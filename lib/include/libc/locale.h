/* <locale.h> of the component runtime: the "C" locale is the only one. */
#pragma once

#include <stddef.h>

#define LC_ALL 0
#define LC_COLLATE 1
#define LC_CTYPE 2
#define LC_MONETARY 3
#define LC_NUMERIC 4
#define LC_TIME 5

struct lconv {
	char *decimal_point, *thousands_sep, *grouping;
};

/* setlocale: "C" for the "C" (or "" or NULL) locale, NULL for any other. */
char *setlocale(int category, const char *locale);
struct lconv *localeconv(void);
