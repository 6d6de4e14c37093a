/* A/B timing of two builds of one int8 kernel in one process, the method
   behind the step-by-step AMX figures in docs/benchmarks.md: the same
   layer compiled twice (two intq-compile builds, or two codegen options)
   under the prefixes a_ and b_, called alternately on the same 64-byte
   aligned input, 40 pairs of 20 calls each; it prints both medians and
   the median of the pairwise ratios, which the host's drift (+-15 % over
   minutes) moves much less than two separate runs.

     old/bin/intq-compile build/bench/kernels/mm_1024_i8.mlir \
         --cpu=sapphirerapids --kernels=x86-amx --symbol-prefix=a_ -o a.o
     build/bin/intq-compile build/bench/kernels/mm_1024_i8.mlir \
         --cpu=sapphirerapids --kernels=x86-amx --symbol-prefix=b_ -o b.o
     /usr/lib/llvm-22/bin/clang-22 -O2 -DKERNEL=mm_1024_i8 \
         -DIN_BYTES=1048576 -DOUT_BYTES=1048576 -DOPS=2147483648.0 \
         bench/ab_driver.c a.o b.o -o ab && ./ab

   Exit status 1 when the two outputs differ. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#if !defined(KERNEL) || !defined(IN_BYTES) || !defined(OUT_BYTES) ||        \
    !defined(OPS)
#error "define KERNEL, IN_BYTES, OUT_BYTES and OPS (see the comment above)"
#endif
#define CAT2(a, b) a##b
#define CAT(a, b) CAT2(a, b)
void CAT(a_, KERNEL)(const int8_t *, int8_t *);
void CAT(b_, KERNEL)(const int8_t *, int8_t *);

enum { kPairs = 40, kCalls = 20 };

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec * 1e-9;
}

static int ascending(const void *p, const void *q) {
  double a = *(const double *)p, b = *(const double *)q;
  return a < b ? -1 : a > b;
}

static int8_t *aligned(size_t n) {
  int8_t *p = aligned_alloc(64, (n + 63) / 64 * 64);
  if (!p)
    abort();
  return p;
}

int main(void) {
  int8_t *x = aligned(IN_BYTES), *ya = aligned(OUT_BYTES),
         *yb = aligned(OUT_BYTES);
  srand(1);
  for (size_t i = 0; i < IN_BYTES; ++i)
    x[i] = (int8_t)(rand() % 256 - 128);
  CAT(a_, KERNEL)(x, ya);
  CAT(b_, KERNEL)(x, yb);
  int same = memcmp(ya, yb, OUT_BYTES) == 0;
  double ta[kPairs], tb[kPairs], ratio[kPairs];
  for (int p = 0; p < kPairs; ++p) {
    double t0 = now();
    for (int i = 0; i < kCalls; ++i)
      CAT(a_, KERNEL)(x, ya);
    ta[p] = (now() - t0) / kCalls;
    t0 = now();
    for (int i = 0; i < kCalls; ++i)
      CAT(b_, KERNEL)(x, yb);
    tb[p] = (now() - t0) / kCalls;
    ratio[p] = ta[p] / tb[p];
  }
  qsort(ta, kPairs, sizeof(double), ascending);
  qsort(tb, kPairs, sizeof(double), ascending);
  qsort(ratio, kPairs, sizeof(double), ascending);
  printf("outputs %s; a %.0f GOP/s, b %.0f GOP/s (medians); b / a %.3f "
         "[%.3f, %.3f]\n",
         same ? "equal" : "DIFFER", OPS / ta[kPairs / 2] * 1e-9,
         OPS / tb[kPairs / 2] * 1e-9, ratio[kPairs / 2], ratio[kPairs / 8],
         ratio[kPairs - 1 - kPairs / 8]);
  return same ? 0 : 1;
}
