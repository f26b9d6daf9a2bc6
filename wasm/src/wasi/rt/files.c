// files.c: file helpers of the runtime (see rt.h): path_open, fd_read, fd_write, fd_close, each
// returning the WASI errno (0 on success). Programs that do not call them do not import them
// (wasm-ld drops unused functions, and their imports with them).
#include "rt.h"

#define WASI(name) __attribute__((import_module("wasi_snapshot_preview1"), import_name(name)))

typedef struct { const void *buf; size_t len; } rt_ciovec;
typedef struct { void *buf; size_t len; } rt_iovec;

WASI("path_open") int rt_wasi_path_open(int dirfd, int dirflags, const char *path, size_t path_len, int oflags,
                                        unsigned long long rights, unsigned long long inheriting, int fdflags,
                                        int *fd);
WASI("fd_read") int rt_wasi_fd_read(int fd, const rt_iovec *iovs, size_t n, size_t *nread);
WASI("fd_write") int rt_wasi_fd_write(int fd, const rt_ciovec *iovs, size_t n, size_t *nwritten);
WASI("fd_close") int rt_wasi_fd_close(int fd);

// Every right of WASI preview1 (bits 0..28): the host grants what the preopen allows.
static const unsigned long long ALL_RIGHTS = 0x1fffffffULL;

int rt_open(int dirfd, const char *path, int oflags, int *fd) {
  return rt_wasi_path_open(dirfd, 0, path, rt_strlen(path), oflags, ALL_RIGHTS, ALL_RIGHTS, 0, fd);
}

int rt_read(int fd, void *buf, size_t len, size_t *got) {
  rt_iovec iov = {buf, len};
  *got = 0;
  return rt_wasi_fd_read(fd, &iov, 1, got);
}

int rt_write(int fd, const void *buf, size_t len) {
  const char *p = buf;
  while (len) {
    rt_ciovec iov = {p, len};
    size_t written = 0;
    int err = rt_wasi_fd_write(fd, &iov, 1, &written);
    if (err) return err;
    if (written == 0) return RT_ERRNO_IO;
    p += written;
    len -= written;
  }
  return 0;
}

int rt_close(int fd) { return rt_wasi_fd_close(fd); }
