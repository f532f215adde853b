/* <errno.h> of the component runtime: one errno per component (not per thread yet). */
#pragma once

extern int errno;

#define ENOENT 2
#define ENOMEM 12
#define EINVAL 22
#define ERANGE 34
