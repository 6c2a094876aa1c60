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
	[CD_ERR_SEPARATOR] = "invalid_separator",

	/* validation */

	/* preview links */
	[CD_LINK_MALFORMED] = "malformed",
	[CD_LINK_UNSUPPORTED_VERSION] = "unsupported_version",
	[CD_LINK_UNKNOWN_KEY] = "unknown_key",
	[CD_LINK_KEY_MISMATCH] = "key_mismatch",
	[CD_LINK_KEY_RETIRED] = "key_retired",
	[CD_LINK_BAD_SIGNATURE] = "bad_signature",
	[CD_LINK_EXPIRED] = "expired",
	[CD_LINK_NOT_YET_VALID] = "not_yet_valid",
	[CD_LINK_TTL_TOO_LONG] = "ttl_too_long",
	[CD_LINK_REVOKED] = "revoked",
	[CD_LINK_NOT_FOUND] = "not_found",
	[CD_LINK_ALREADY_USED] = "already_used",
	[CD_KEY_INVALID] = "invalid_key",
	[CD_KEY_FILE_EXISTS] = "key_file_exists",
	[CD_KEY_FILE_ERROR] = "key_file_error",

};

const char *cd_status_code(cd_status status)
{
	if ((unsigned)status >= CD_STATUS_COUNT || status_codes[status] == NULL)
		return "unknown";
	return status_codes[status];
}
