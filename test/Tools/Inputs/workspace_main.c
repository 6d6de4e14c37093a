// Runs one model compiled twice by intq-compile-workspace.mlir: with its
// own allocation (heap_kernel) and with --caller-workspace (ws_kernel),
// the workspace filled with a different byte pattern before each call
// (the code must not rely on its contents), and compares the outputs.
#include "heap.h"
#include "ws.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(void) {
  static int8_t in[HEAP_KERNEL_IN0_ELEMENTS];
  static int8_t a[HEAP_KERNEL_OUT0_ELEMENTS], b[WS_KERNEL_OUT0_ELEMENTS];
  for (int i = 0; i < HEAP_KERNEL_IN0_ELEMENTS; ++i)
    in[i] = (int8_t)((i * 37 + 11) % 256 - 128);
  heap_kernel(in, a);
  int64_t n = ws_kernel_workspace_size();
  size_t bytes = ((size_t)n + 63) / 64 * 64;
  unsigned char *ws = aligned_alloc(64, bytes ? bytes : 64);
  int mismatches = 0;
  for (int pattern = 0; pattern < 3; ++pattern) {
    memset(ws, pattern == 0 ? 0x00 : pattern == 1 ? 0xAB : 0x7F, bytes);
    memset(b, 0x55, sizeof b);
    ws_kernel(in, b, ws);
    mismatches += memcmp(a, b, sizeof a) != 0;
  }
  printf("workspace %lld bytes, %d of 3 calls differ\n", (long long)n,
         mismatches);
  free(ws);
  return mismatches != 0;
}
