// c-files.c: files shared by threads. One WASI state serves the whole program, so a file
// opened on the main thread is written by a spawned thread through the same fd, and read
// back on the main thread at the position both writes moved.
//
// Needs one preopened directory (fd 3) holding "in.txt". Prints
//   in.txt: <its content>
//   out.txt: written by thread <tid>\nwritten by main\n
// leaves out.txt with that content in the directory, and exits 0 (an errno as the exit code
// when a call fails, with the call named on stderr).
#include "rt/rt.h"

#define WASI(name) __attribute__((import_module("wasi_snapshot_preview1"), import_name(name)))
typedef struct { const void *buf; size_t len; } file_ciovec;
typedef struct { void *buf; size_t len; } file_iovec;

WASI("path_open") int file_path_open(int dirfd, int dirflags, const char *path, size_t path_len, int oflags,
                                     unsigned long long rights, unsigned long long inheriting, int fdflags, int *fd);
WASI("fd_write") int file_fd_write(int fd, const file_ciovec *iovs, size_t n, size_t *written);
WASI("fd_read") int file_fd_read(int fd, const file_iovec *iovs, size_t n, size_t *nread);
WASI("fd_seek") int file_fd_seek(int fd, long long offset, int whence, unsigned long long *position);
WASI("fd_close") int file_fd_close(int fd);

enum { PREOPEN = 3, OFLAG_CREAT = 1, OFLAG_TRUNC = 8, WHENCE_SET = 0 };
static const unsigned long long ALL_RIGHTS = 0x1fffffffULL;

static int failed(const char *call, int errno_value) {
  char line[64];
  fmt_str(fmt_int(fmt_str(fmt_str(line, call), " failed: errno "), errno_value), "\n");
  eprint(line);
  return errno_value;
}

static int write_all(int fd, const char *text) {
  file_ciovec iov = {text, rt_strlen(text)};
  size_t written = 0;
  return file_fd_write(fd, &iov, 1, &written);
}

static int read_into(int fd, char *buffer, size_t size) {
  file_iovec iov = {buffer, size - 1};
  size_t got = 0;
  int err = file_fd_read(fd, &iov, 1, &got);
  buffer[err == 0 ? got : 0] = '\0';
  return err;
}

static int shared_fd;

static int writer(void *unused) {
  (void)unused;
  char line[48];
  fmt_str(fmt_int(fmt_str(line, "written by thread "), thread_id()), "\n");
  return write_all(shared_fd, line);
}

int main(int argc, char **argv) {
  (void)argc;
  (void)argv;
  static char buffer[256];
  char line[300];
  int in_fd;
  int err = file_path_open(PREOPEN, 0, "in.txt", 6, 0, ALL_RIGHTS, ALL_RIGHTS, 0, &in_fd);
  if (err) return failed("path_open(in.txt)", err);
  if ((err = read_into(in_fd, buffer, sizeof buffer))) return failed("fd_read(in.txt)", err);
  file_fd_close(in_fd);
  fmt_str(fmt_str(fmt_str(line, "in.txt: "), buffer), "\n");
  print(line);

  err = file_path_open(PREOPEN, 0, "out.txt", 7, OFLAG_CREAT | OFLAG_TRUNC, ALL_RIGHTS, ALL_RIGHTS, 0, &shared_fd);
  if (err) return failed("path_open(out.txt)", err);
  rt_thread *thread = thread_create(writer, 0);
  if (!thread || thread->tid < 0) return failed("thread_create", 6);
  if ((err = thread_join(thread))) return failed("fd_write on the thread", err);
  if ((err = write_all(shared_fd, "written by main\n"))) return failed("fd_write on main", err);
  unsigned long long position;
  if ((err = file_fd_seek(shared_fd, 0, WHENCE_SET, &position))) return failed("fd_seek", err);
  if ((err = read_into(shared_fd, buffer, sizeof buffer))) return failed("fd_read(out.txt)", err);
  file_fd_close(shared_fd);
  fmt_str(fmt_str(line, "out.txt: "), buffer);
  print(line);
  return 0;
}
