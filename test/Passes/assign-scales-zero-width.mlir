// A calibrated range of zero width (a ReLU that was always 0 when observed)
// gets scale 1 with every activation type. The symmetric types (int8-
// symmetric, int16) used to get the tiny scale of chooseSymmetricScale
// (1.2e-38), which put the producing conv's requantization multiplier
// s_in s_w / s_out near 1e33, beyond the arithmetic contract: the
// quantized model did not compile (found by intq-ptq-fuzzer).
// RUN: intq-opt %s --intq-assign-scales -verify-diagnostics | FileCheck %s --check-prefix=I8
// RUN: intq-opt %s --intq-assign-scales="activation-type=uint8" -verify-diagnostics | FileCheck %s --check-prefix=U8
// RUN: intq-opt %s --intq-assign-scales="activation-type=int8-symmetric" -verify-diagnostics | FileCheck %s --check-prefix=SYM
// RUN: intq-opt %s --intq-assign-scales="activation-type=int16" -verify-diagnostics | FileCheck %s --check-prefix=I16
// RUN: intq-opt %s --intq-ptq-pipeline="activation-type=int16" 2>/dev/null | intq-opt --intq-codegen-pipeline | FileCheck %s --check-prefix=LLVM

// I8: quant.qcast %{{.+}} : tensor<1x4x4x2xf32> to tensor<1x4x4x2x!quant.uniform<i8:f32, 1.000000e+00>>
// U8: quant.qcast %{{.+}} : tensor<1x4x4x2xf32> to tensor<1x4x4x2x!quant.uniform<u8:f32, 1.000000e+00>>
// SYM: quant.qcast %{{.+}} : tensor<1x4x4x2xf32> to tensor<1x4x4x2x!quant.uniform<i8<-127:127>:f32, 1.000000e+00>>
// I16: quant.qcast %{{.+}} : tensor<1x4x4x2xf32> to tensor<1x4x4x2x!quant.uniform<i16<-32767:32767>:f32, 1.000000e+00>>
// LLVM: llvm.func @main
func.func @main(%arg0: tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32> {
  %x = intq.stats %arg0 {min = -1.0 : f64, max = 1.0 : f64} : tensor<1x4x4x2xf32>
  %w = "tosa.const"() {values = dense<[[[[0.5, -0.25]]], [[[1.0, 0.5]]]]> : tensor<2x1x1x2xf32>} : () -> tensor<2x1x1x2xf32>
  %b = "tosa.const"() {values = dense<0.0> : tensor<2xf32>} : () -> tensor<2xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %y = tosa.conv2d %x, %w, %b, %zp, %zp {acc_type = f32, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>} : (tensor<1x4x4x2xf32>, tensor<2x1x1x2xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x2xf32>
  %r = tosa.clamp %y {min_val = 0.0 : f32, max_val = 3.40282347E+38 : f32} : (tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32>
  // expected-warning @+1 {{range [0, 0] has zero width (the tensor was always 0 when observed): quantized with scale 1.000000e+00 and zero point 0}}
  %z = intq.stats %r {min = 0.0 : f64, max = 0.0 : f64} : tensor<1x4x4x2xf32>
  return %z : tensor<1x4x4x2xf32>
}
