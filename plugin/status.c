/*
 * Names of cd_status codes. The Lua API reports these strings, so they are
 * part of the contract: a code never changes once released.
 */
#include "copydesk.h"

static const char *const status_codes[CD_STATUS_COUNT] = {
	"ok",
	"invalid_utf8",
	"no_space",
	"invalid_argument",
	"out_of_memory",
};

const char *cd_status_code(cd_status status)
{
	if ((unsigned)status >= CD_STATUS_COUNT)
		return "unknown";
	return status_codes[status];
}
