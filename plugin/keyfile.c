/*
 * Preview-link key files: create one with mode 0600 that never replaces an
 * existing file or follows a symlink, and read one back. The text format
 * and its checks are link.c's; this file only does POSIX I/O.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "copydesk.h"

#ifndef O_NOFOLLOW
#define O_NOFOLLOW 0
#endif
#ifndef O_CLOEXEC
#define O_CLOEXEC 0
#endif

cd_status cd_key_file_write(const char *path, const uint8_t key[CD_LINK_KEY_BYTES])
{
	char text[45];
	size_t off = 0, len;
	int fd, ok = 1;

	if (path == NULL || path[0] == '\0' || key == NULL)
		return CD_ERR_ARG;
	if (cd_link_key_to_text(key, text) != CD_OK)
		return CD_ERR_ARG;
	len = strlen(text);
	text[len++] = '\n';
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0) {
		sodium_memzero(text, sizeof text);
		return errno == EEXIST ? CD_KEY_FILE_EXISTS : CD_KEY_FILE_ERROR;
	}
	/* The umask cannot widen 0600, but an inherited ACL default could. */
	if (fchmod(fd, 0600) != 0)
		ok = 0;
	while (ok && off < len) {
		ssize_t w = write(fd, text + off, len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			ok = 0;
		else
			off += (size_t)w;
	}
	if (ok && fsync(fd) != 0)
		ok = 0;
	if (close(fd) != 0)
		ok = 0;
	sodium_memzero(text, sizeof text);
	if (!ok) {
		unlink(path);
		return CD_KEY_FILE_ERROR;
	}
	return CD_OK;
}

cd_status cd_key_file_read(const char *path, uint8_t key[CD_LINK_KEY_BYTES])
{
	char text[128];
	size_t len = 0;
	int fd;
	struct stat sb;
	cd_status st;

	if (path == NULL || key == NULL)
		return CD_ERR_ARG;
	memset(key, 0, CD_LINK_KEY_BYTES);
	/* O_NONBLOCK and a regular file only: a FIFO or device in its place
	 * must fail, not hang or stream (symlinks are fine: secret mounts) */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return CD_KEY_FILE_ERROR;
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		close(fd);
		return CD_KEY_FILE_ERROR;
	}
	/* Read at most sizeof text bytes: a longer file is not a key. */
	while (len < sizeof text) {
		ssize_t r = read(fd, text + len, sizeof text - len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			close(fd);
			sodium_memzero(text, sizeof text);
			return CD_KEY_FILE_ERROR;
		}
		if (r == 0)
			break;
		len += (size_t)r;
	}
	close(fd);
	st = len >= sizeof text ? CD_KEY_INVALID : cd_link_key_from_text(text, len, key);
	sodium_memzero(text, sizeof text);
	return st;
}
