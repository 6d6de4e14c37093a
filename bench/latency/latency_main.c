// Times one compiled model: `void model(const float *in, float *out)`
// (intq-compile --symbol-prefix makes the entry point `model_main`) at
// batch 1: 200 warm-up runs, then RUNS timed runs; prints the median and
// the 10th percentile in microseconds. Built with -DCALLER_WORKSPACE, it
// times a model compiled with intq-compile --caller-workspace instead
// (`void model_main(const float *, float *, void *workspace)`, the
// workspace allocated once, outside the timed runs).
//   latency IN_ELEMS OUT_ELEMS RUNS
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#ifdef CALLER_WORKSPACE
void model_main(const float *in, float *out, void *workspace);
int64_t model_main_workspace_size(void);
static void *workspace;
#define RUN(in, out) model_main(in, out, workspace)
#else
void model_main(const float *in, float *out);
#define RUN(in, out) model_main(in, out)
#endif

static int cmp(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

int main(int argc, char **argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: latency IN_ELEMS OUT_ELEMS RUNS\n");
    return 2;
  }
  long inN = atol(argv[1]), outN = atol(argv[2]), runs = atol(argv[3]);
  // Input and output 64-byte aligned, as the kernel benchmarks' (aligned_alloc
  // wants a multiple of the alignment).
  float *in = aligned_alloc(64, ((size_t)inN * sizeof(float) + 63) / 64 * 64),
        *out = aligned_alloc(64, ((size_t)outN * sizeof(float) + 63) / 64 * 64);
  double *t = malloc(runs * sizeof(double));
#ifdef CALLER_WORKSPACE
  // aligned_alloc wants a multiple of the alignment (and some C libraries
  // refuse size 0).
  size_t wsBytes = ((size_t)model_main_workspace_size() + 63) / 64 * 64;
  workspace = aligned_alloc(64, wsBytes ? wsBytes : 64);
#endif
  for (long i = 0; i < inN; ++i)
    in[i] = (float)((i * 7919) % 256) / 255.0f;
  for (int i = 0; i < 200; ++i)
    RUN(in, out);
  for (long r = 0; r < runs; ++r) {
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    RUN(in, out);
    clock_gettime(CLOCK_MONOTONIC, &b);
    t[r] = (b.tv_sec - a.tv_sec) * 1e6 + (b.tv_nsec - a.tv_nsec) / 1e3;
  }
  qsort(t, runs, sizeof(double), cmp);
  printf("median %.2f us, p10 %.2f us, out[0] %g\n", t[runs / 2], t[runs / 10], out[0]);
  return 0;
}
