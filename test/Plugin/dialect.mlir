// Not in sanitizer builds: Debian's mlir-opt is not instrumented and
// cannot load an instrumented plugin.
// UNSUPPORTED: intq-sanitizers
// The intq dialect and the quant types it uses, parsed and printed by
// Debian's mlir-opt with the intq plugin loaded; the printed form parses
// again (custom and generic form).
// RUN: mlir-opt %s -split-input-file --load-dialect-plugin=%intq_plugin | FileCheck %s
// RUN: mlir-opt %s -split-input-file --load-dialect-plugin=%intq_plugin \
// RUN:   | mlir-opt -split-input-file --load-dialect-plugin=%intq_plugin | FileCheck %s
// RUN: mlir-opt %s -split-input-file --load-dialect-plugin=%intq_plugin -mlir-print-op-generic \
// RUN:   | mlir-opt -split-input-file --load-dialect-plugin=%intq_plugin | FileCheck %s

!qa = !quant.uniform<i8:f32, 0.05:-3>
!qw = !quant.uniform<i8<-127:127>:f32:0, {0.5, 0.25}>
!qb = !quant.uniform<i32:f32:0, {0.025, 0.0125}>
!qo = !quant.uniform<i8:f32, 0.1:-128>

// CHECK-LABEL: func.func @conv
// CHECK: %[[W:.+]] = intq.qconst dense<1> : tensor<2x1x1x4xi8> -> tensor<2x1x1x4x!quant.uniform<i8<-127:127>:f32:0, {5.000000e-01,2.500000e-01}>>
// CHECK: %[[B:.+]] = intq.qconst dense<[10, -20]> : tensor<2xi32> -> tensor<2x!quant.uniform<i32:f32:0, {2.500000e-02,1.250000e-02}>>
// CHECK: intq.conv2d %arg0, %[[W]], %[[B]] {clamp_max = 6.000000e+00 : f64, clamp_min = 0.000000e+00 : f64, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>}
// CHECK-SAME: -> tensor<1x4x4x2x!quant.uniform<i8:f32, 1.000000e-01:-128>>
func.func @conv(%x: tensor<1x4x4x4x!qa>) -> tensor<1x4x4x2x!qo> {
  %w = intq.qconst dense<1> : tensor<2x1x1x4xi8> -> tensor<2x1x1x4x!qw>
  %b = intq.qconst dense<[10, -20]> : tensor<2xi32> -> tensor<2x!qb>
  %r = intq.conv2d %x, %w, %b {stride = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, dilation = array<i64: 1, 1>, clamp_min = 0.0 : f64, clamp_max = 6.0 : f64}
      : (tensor<1x4x4x4x!qa>, tensor<2x1x1x4x!qw>, tensor<2x!qb>) -> tensor<1x4x4x2x!qo>
  return %r : tensor<1x4x4x2x!qo>
}

// -----

// CHECK-LABEL: func.func @stats_requantize
// CHECK: %[[S:.+]] = intq.stats %arg0 {max = 4.000000e+00 : f64, min = -1.500000e+00 : f64} : tensor<4xf32>
// CHECK: %[[Q:.+]] = quant.qcast %[[S]] : tensor<4xf32> to tensor<4x!quant.uniform<i8:f32, 1.000000e-01:3>>
// CHECK: intq.requantize %[[Q]] : tensor<4x!quant.uniform<i8:f32, 1.000000e-01:3>> -> tensor<4x!quant.uniform<i8:f32, 5.000000e-02:-10>>
func.func @stats_requantize(%x: tensor<4xf32>) -> tensor<4x!quant.uniform<i8:f32, 0.05:-10>> {
  %s = intq.stats %x {min = -1.5 : f64, max = 4.0 : f64} : tensor<4xf32>
  %q = quant.qcast %s : tensor<4xf32> to tensor<4x!quant.uniform<i8:f32, 0.1:3>>
  %y = intq.requantize %q : tensor<4x!quant.uniform<i8:f32, 0.1:3>> -> tensor<4x!quant.uniform<i8:f32, 0.05:-10>>
  return %y : tensor<4x!quant.uniform<i8:f32, 0.05:-10>>
}
