/* Runs the fully connected layer that test/CAPI/compile.c compiled through
 * the C API (int8 inside, float at the boundary) and compares it with the
 * float computation. Compiled with -include of the generated header. */
#include <math.h>
#include <stdio.h>

int main(void) {
  static const float w[3][2] = {{1.0f, 0.5f}, {-3.0f, 0.0f}, {2.0f, 0.25f}};
  static const float b[2] = {0.5f, -0.5f};
  float x[FULLY_CONNECTED_IN0_ELEMENTS], y[FULLY_CONNECTED_OUT0_ELEMENTS];
  for (int i = 0; i < FULLY_CONNECTED_IN0_ELEMENTS; ++i)
    x[i] = -1.0f + 4.0f * (float)((i * 7) % 12) / 11.0f; /* in [-1, 3] */
  fully_connected(x, y);
  double maxErr = 0;
  for (int r = 0; r < 4; ++r)
    for (int c = 0; c < 2; ++c) {
      double ref = b[c];
      for (int k = 0; k < 3; ++k)
        ref += x[r * 3 + k] * w[k][c];
      double err = fabs(ref - y[r * 2 + c]);
      if (err > maxErr)
        maxErr = err;
    }
  /* Output scale 20/255: half a step of rounding, plus the input's. */
  printf("max abs error %.3f: %s\n", maxErr,
         maxErr < 0.15 ? "ok" : "TOO LARGE");
  return maxErr < 0.15 ? 0 : 1;
}
