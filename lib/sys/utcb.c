/* The UTCB of the component's main thread, recorded by component_entry. */
#include <sys.h>

utcb_t *sys_utcb;
