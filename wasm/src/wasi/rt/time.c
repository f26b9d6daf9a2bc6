// time.c: clocks and sleeping for the runtime (see rt.h).
#include "rt.h"

#define WASI(name) __attribute__((import_module("wasi_snapshot_preview1"), import_name(name)))

// WASI preview1 subscription (48 bytes) and event (32 bytes), clock subscriptions only.
typedef struct {
  unsigned long long userdata;  // +0
  unsigned char tag;            // +8   0: clock
  unsigned char pad[7];         //      the union after the tag is 8-aligned
  unsigned int clock_id;        // +16
  unsigned long long timeout;   // +24  nanoseconds
  unsigned long long precision; // +32
  unsigned short flags;         // +40  0: timeout is relative
} rt_subscription;
typedef struct {
  unsigned long long userdata;  // +0
  unsigned short error;         // +8
  unsigned char type;           // +10
  unsigned char rest[21];       // fd_readwrite, unused for clocks
} rt_event;
_Static_assert(sizeof(rt_subscription) == 48, "WASI subscription is 48 bytes");
_Static_assert(sizeof(rt_event) == 32, "WASI event is 32 bytes");
_Static_assert(__builtin_offsetof(rt_subscription, clock_id) == 16, "clock id at +16");
_Static_assert(__builtin_offsetof(rt_subscription, flags) == 40, "flags at +40");

WASI("poll_oneoff") int rt_wasi_poll_oneoff(const rt_subscription *in, rt_event *out, size_t n, size_t *nevents);
WASI("clock_time_get") int rt_wasi_clock_time_get(int clock_id, unsigned long long precision,
                                                  unsigned long long *time);

enum { CLOCK_MONOTONIC = 1 };

unsigned long long rt_now_ns(void) {
  unsigned long long t = 0;
  rt_wasi_clock_time_get(CLOCK_MONOTONIC, 1, &t);
  return t;
}

int rt_sleep_ns(unsigned long long ns) {
  rt_subscription sub = {0};
  sub.tag = 0;
  sub.clock_id = CLOCK_MONOTONIC;
  sub.timeout = ns;
  rt_event event;
  size_t n = 0;
  int err = rt_wasi_poll_oneoff(&sub, &event, 1, &n);
  if (err) return err;
  return n == 1 ? event.error : RT_ERRNO_IO;
}
