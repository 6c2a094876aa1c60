/*
 * Names of cd_status codes. The Lua API reports these strings, so they are
 * part of the contract: a code never changes once released.
 */
#include "copydesk.h"

static const char *const status_codes[CD_STATUS_COUNT] = {
	[CD_OK] = "ok",
	[CD_ERR_UTF8] = "invalid_utf8",
	[CD_ERR_SPACE] = "no_space",
	[CD_ERR_ARG] = "invalid_argument",
	[CD_ERR_NOMEM] = "out_of_memory",
	/* slugs */

	/* validation */

	/* preview links */

};

const char *cd_status_code(cd_status status)
{
	if ((unsigned)status >= CD_STATUS_COUNT || status_codes[status] == NULL)
		return "unknown";
	return status_codes[status];
}
