//===- demo_main.cpp - float vs int8 on the bundled demo model ------------===//
//
// Links the demo model compiled twice by intq-compile (float, and quantized
// with --ptq) and compares them on synthetic images: max abs error, SQNR,
// top-1 agreement, and time per inference.
//
//===----------------------------------------------------------------------===//

#include "model_f32.h"
#include "model_i8.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace {
constexpr int H = 16, W = 16, C = 3, OUT = 10;

/// Same formula as examples/demo/make_model.py's image().
std::vector<float> makeImage(int seed) {
  std::vector<float> img;
  img.reserve(H * W * C);
  for (int y = 0; y < H; ++y)
    for (int x = 0; x < W; ++x)
      for (int c = 0; c < C; ++c)
        img.push_back(static_cast<float>(
            0.6 * std::sin(0.37 * (x + 1) * (c + 1) + 0.11 * seed) +
            0.4 * std::cos(0.23 * (y + 2) * (c + 2) + 0.07 * seed) +
            0.15 * std::sin(0.05 * (x * y + seed))));
  return img;
}

template <typename F> double microsPerCall(F &&f, int reps) {
  f(); // warm up
  auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < reps; ++i)
    f();
  auto t1 = std::chrono::steady_clock::now();
  return std::chrono::duration<double, std::micro>(t1 - t0).count() / reps;
}
} // namespace

int main(int argc, char **argv) {
  // intq-demo [images] [--min-sqnr=DB]: the bound makes it a test.
  int images = 256;
  double minSqnr = -INFINITY;
  for (int i = 1; i < argc; ++i) {
    if (std::strncmp(argv[i], "--min-sqnr=", 11) == 0)
      minSqnr = std::atof(argv[i] + 11);
    else
      images = std::atoi(argv[i]);
  }
  if (images <= 0) {
    std::fprintf(stderr, "usage: intq-demo [images] [--min-sqnr=DB]\n");
    return 2;
  }
  static_assert(FLOAT_MODEL_IN0_ELEMENTS == H * W * C, "input size");
  static_assert(INT8_MODEL_OUT0_ELEMENTS == OUT, "output size");
  std::printf("intq demo\n  model:  %s\n", INTQ_DEMO_MODEL);
  std::printf("          float TOSA: conv3x3+ReLU, depthwise3x3/2+ReLU6, "
              "conv1x1+bias+ReLU, fully connected 2048->10; 16x16x3 -> 10\n");
  std::printf("  float:  intq-compile model.mlir            (fp32 code)\n");
  std::printf("  int8:   intq-compile --ptq model.mlir      (per-channel "
              "int8 weights, int8 activations, integer-only inside)\n\n");

  double sumSig = 0, sumErr = 0, maxAbs = 0;
  int agree = 0;
  std::vector<float> f(OUT), q(OUT);
  for (int i = 0; i < images; ++i) {
    std::vector<float> img = makeImage(2000 + i);
    float_model(img.data(), f.data());
    int8_model(img.data(), q.data());
    for (int k = 0; k < OUT; ++k) {
      double e = double(f[k]) - double(q[k]);
      sumSig += double(f[k]) * f[k];
      sumErr += e * e;
      maxAbs = std::max(maxAbs, std::abs(e));
    }
    agree += std::max_element(f.begin(), f.end()) - f.begin() ==
             std::max_element(q.begin(), q.end()) - q.begin();
  }
  // Guard against a broken build that writes nothing: the float logits of
  // the demo model are never all zero.
  if (sumSig == 0.0) {
    std::fprintf(stderr, "intq demo: the float model produced all-zero "
                         "outputs; the compiled code is broken\n");
    return 1;
  }
  double sqnr = sumErr > 0 ? 10.0 * std::log10(sumSig / sumErr) : INFINITY;
  std::printf("results over %d images (10 logits each):\n", images);
  std::printf("  max abs error (float vs int8): %.6f\n", maxAbs);
  std::printf("  SQNR of int8 vs float:         %.2f dB\n", sqnr);
  std::printf("  top-1 agreement:               %d / %d\n\n", agree, images);
  if (sqnr < minSqnr) {
    std::fprintf(stderr, "intq demo: SQNR %.2f dB is below the bound %.2f dB\n",
                 sqnr, minSqnr);
    return 1;
  }

  std::vector<float> img = makeImage(7);
  int reps = 2000;
  double tf = microsPerCall([&] { float_model(img.data(), f.data()); }, reps);
  double tq = microsPerCall([&] { int8_model(img.data(), q.data()); }, reps);
  std::printf("time per inference (one thread, %d runs, the kernels "
              "intq-compile picks for this CPU):\n", reps);
  std::printf("  float: %9.1f us\n  int8:  %9.1f us   (int8/float time "
              "ratio %.2f)\n", tf, tq, tq / tf);
  return 0;
}
