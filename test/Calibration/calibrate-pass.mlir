// --intq-calibrate: the intq-calibrate tool as a pass, and as the first step
// of --intq-ptq-pipeline. Eight samples x[i][j] = 0.5 i - j (i < 8, j < 4):
// x spans [-3, 3.5] with channel means 1.75 - j; x + [1, -2, 0.5, 3] spans
// [-3, 4.5]; the ReLU6 of it [0, 4.5].
// RUN: %python -c "import struct,sys; sys.stdout.buffer.write(struct.pack('<32f', *[0.5*i - j for i in range(8) for j in range(4)]))" > %t.bin
// RUN: intq-opt %s --intq-calibrate="raw-input=%t.bin" | FileCheck %s
// RUN: intq-opt %s --intq-calibrate="raw-input=%t.bin images=2" | FileCheck %s --check-prefix=TWO
// RUN: intq-opt %s --intq-calibrate="raw-input=%t.bin method=mse" | FileCheck %s --check-prefix=MSE
// RUN: intq-opt %s --intq-ptq-pipeline="calibrate-raw-input=%t.bin" | FileCheck %s --check-prefix=PTQ
// RUN: intq-opt %s --intq-calibrate="raw-input=%t.bin progress=true" 2>&1 >/dev/null | FileCheck %s --check-prefix=PROGRESS
//
// Bad input: a located error and a non-zero exit, never a silent default.
// RUN: not intq-opt %s --intq-calibrate 2>&1 | FileCheck %s --check-prefix=NOSRC
// RUN: not intq-opt %s --intq-calibrate="raw-input=%t.bin fashion-mnist=%t" 2>&1 | FileCheck %s --check-prefix=NOSRC
// RUN: not intq-opt %s --intq-calibrate="raw-input=%t.missing" 2>&1 | FileCheck %s --check-prefix=MISSING
// RUN: head -c 10 %t.bin > %t.short
// RUN: not intq-opt %s --intq-calibrate="raw-input=%t.short" 2>&1 | FileCheck %s --check-prefix=SHORT
// RUN: not intq-opt %s --intq-calibrate="raw-input=%t.bin images=0" 2>&1 | FileCheck %s --check-prefix=NOIMAGES
// RUN: not intq-opt %s --intq-calibrate="fashion-mnist=%t.nodir" 2>&1 | FileCheck %s --check-prefix=NODATA
// RUN: not intq-opt %s --intq-calibrate="raw-input=%t.bin method=median" 2>&1 | FileCheck %s --check-prefix=METHOD
// RUN: not intq-opt %s --intq-calibrate="raw-input=%t.bin method=percentile percentile=20" 2>&1 | FileCheck %s --check-prefix=PCT
// RUN: not intq-opt %s --intq-ptq-pipeline="calibrate-raw-input=%t.bin calibrate-method=median" 2>&1 | FileCheck %s --check-prefix=METHOD
// A constant positive input (4.2e-5, its histogram widened to
// [c, c + 1e-6]): MSE keeps a range that contains it, never max < min
// (found by intq-ptq-fuzzer).
// RUN: %python -c "import struct,sys; sys.stdout.buffer.write(struct.pack('<32f', *[4.2e-5] * 32))" > %t.const.bin
// RUN: intq-opt %s --intq-calibrate="raw-input=%t.const.bin method=mse" | FileCheck %s --check-prefix=CONST
// RUN: intq-opt %s --intq-ptq-pipeline="calibrate-raw-input=%t.const.bin calibrate-method=mse" | FileCheck %s --check-prefix=PTQ-CONST
// NaN in the data: counted, ignored, and reported where it was seen.
// RUN: %python -c "import struct,sys; sys.stdout.buffer.write(struct.pack('<8f', 1, 2, float('nan'), 0, 0.5, 1, 1, 1))" > %t.nan.bin
// RUN: intq-opt %s --intq-calibrate="raw-input=%t.nan.bin" 2>&1 | FileCheck %s --check-prefix=NAN

// CHECK-LABEL: func.func @main
// CHECK: %[[X:.+]] = intq.stats %arg0 {channel_mean = array<f64: 1.750000e+00, 7.500000e-01, -2.500000e-01, -1.250000e+00>, max = 3.500000e+00 : f64, min = -3.000000e+00 : f64}
// CHECK: %[[A:.+]] = tosa.add %[[X]], %{{.+}}
// CHECK: %[[AS:.+]] = intq.stats %[[A]] {{{.*}}max = 4.500000e+00 : f64, min = -3.000000e+00 : f64}
// CHECK: %[[R:.+]] = tosa.clamp %[[AS]]
// CHECK: %[[RS:.+]] = intq.stats %[[R]] {{{.*}}max = 4.500000e+00 : f64, min = 0.000000e+00 : f64}
// CHECK: return %[[RS]]

// The first two samples only: x in [-3, 0.5].
// TWO: intq.stats %arg0 {{{.*}}max = 5.000000e-01 : f64, min = -3.000000e+00 : f64}

// MSE clips nothing here (eight evenly spread values): the same ranges up to
// the histogram's bin width.
// MSE: intq.stats %arg0 {{{.*}}max = 3.{{[0-9]+}}e+00 : f64, min = -3.{{[0-9]+}}e+00 : f64}

// The pipeline calibrates, then quantizes: no intq.stats left, int8 types.
// PTQ-LABEL: func.func @main
// PTQ-NOT: intq.stats
// PTQ: quant.qcast %arg0 : tensor<1x4xf32> to tensor<1x4x!quant.uniform<i8:f32, 0.025490196{{[0-9]*}}:-10>>

// CONST: intq.stats %arg0 {{{.*}}max = 4.2{{[0-9]*}}E-5 : f64, min = 4.1999999666586518E-5 : f64}
// PTQ-CONST: quant.qcast %arg0 : tensor<1x4xf32> to tensor<1x4x!quant.uniform<i8:f32, {{.*}}:-128>>

// PROGRESS: intq-calibrate: pass 1/1, 8/8 samples, 3 tensors observed

// NOSRC: error: calibration needs exactly one sample source (fashion-mnist or raw-input)
// MISSING: error: calibration data: cannot open {{.*}}calibrate-pass.mlir.tmp.missing
// SHORT: error: calibration data: {{.*}}.short holds 10 bytes, not a whole number of model input samples (16 bytes each)
// NOIMAGES: error: calibration needs at least one batch of 1 samples; 8 available, 0 asked for
// NODATA: error: calibration data: cannot open {{.*}}nodir/train-images-idx3-ubyte.gz
// METHOD: error: calibration method must be max, percentile, mse or entropy, got 'median'
// PCT: error: calibration percentile must be in (50, 100], got 20
// NAN: warning: 1 NaN or infinite values were observed here and ignored
// NAN: intq.stats %arg0 {{{.*}}max = 2.000000e+00 : f64, min = 0.000000e+00 : f64}
func.func @main(%x: tensor<1x4xf32>) -> tensor<1x4xf32> {
  %c = "tosa.const"() {values = dense<[[1.0, -2.0, 0.5, 3.0]]> : tensor<1x4xf32>} : () -> tensor<1x4xf32>
  %a = tosa.add %x, %c : (tensor<1x4xf32>, tensor<1x4xf32>) -> tensor<1x4xf32>
  %r = tosa.clamp %a {min_val = 0.0 : f32, max_val = 6.0 : f32} : (tensor<1x4xf32>) -> tensor<1x4xf32>
  return %r : tensor<1x4xf32>
}
