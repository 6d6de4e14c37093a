// Not in sanitizer builds: Debian's mlir-opt is not instrumented and
// cannot load an instrumented plugin.
// UNSUPPORTED: intq-sanitizers
// --intq-quantize in Debian's mlir-opt. The pass matches the upstream quant
// types (!quant.uniform per tensor and per axis) that the host parsed: it
// only rewrites if the plugin and mlir-opt share one libMLIR.so, hence one
// TypeID per type.
// RUN: mlir-opt %s -split-input-file --load-dialect-plugin=%intq_plugin --load-pass-plugin=%intq_plugin \
// RUN:   --pass-pipeline='builtin.module(func.func(intq-quantize))' | FileCheck %s

!qx = !quant.uniform<i8:f32, 0.0078431372549019607:-1>
!qw = !quant.uniform<i8<-127:127>:f32:0, {0.003937007874015748,0.0078740157480314959,0.015748031496062992}>
!qb = !quant.uniform<i32:f32:0, {3.0878493129535278E-5,6.1756986259070556E-5,1.2351397251814111E-4}>
!qy = !quant.uniform<i8:f32, 0.023529411764705882:-128>

// conv + clamp between QDQ pairs becomes one intq.conv2d with constants
// quantized at compile time (-0.25 / 0.003937 = -63.5 -> -64, ties to even).
// CHECK-LABEL: func.func @conv_clamp
// CHECK-DAG: %[[B:.+]] = intq.qconst dense<[3239, 3239, -2429]> : tensor<3xi32>
// CHECK-DAG: %[[W:.+]] = intq.qconst dense<{{\[\[\[\[}}127, -64]]], {{\[\[\[}}127, 0]]], {{\[\[\[}}-127, 32]]]]> : tensor<3x1x1x2xi8>
// CHECK: %[[X:.+]] = quant.qcast %arg0
// CHECK: %[[Y:.+]] = intq.conv2d %[[X]], %[[W]], %[[B]] {clamp_max = 6.000000e+00 : f64, clamp_min = 0.000000e+00 : f64, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>}
// CHECK-SAME: -> tensor<1x4x4x3x!quant.uniform<i8:f32, 0.023529411764705882:-128>>
// CHECK: %[[R:.+]] = quant.dcast %[[Y]]
// CHECK: return %[[R]]
// CHECK-NOT: tosa.
func.func @conv_clamp(%arg0: tensor<1x4x4x2xf32>) -> tensor<1x4x4x3xf32> {
  %0 = quant.qcast %arg0 : tensor<1x4x4x2xf32> to tensor<1x4x4x2x!qx>
  %1 = quant.dcast %0 : tensor<1x4x4x2x!qx> to tensor<1x4x4x2xf32>
  %2 = "tosa.const"() <{values = dense<[[[[5.000000e-01, -2.500000e-01]]], [[[1.000000e+00, 0.000000e+00]]], [[[-2.000000e+00, 5.000000e-01]]]]> : tensor<3x1x1x2xf32>}> : () -> tensor<3x1x1x2xf32>
  %3 = "tosa.const"() <{values = dense<[1.000000e-01, 2.000000e-01, -3.000000e-01]> : tensor<3xf32>}> : () -> tensor<3xf32>
  %4 = "tosa.const"() <{values = dense<0.000000e+00> : tensor<1xf32>}> : () -> tensor<1xf32>
  %5 = quant.qcast %2 : tensor<3x1x1x2xf32> to tensor<3x1x1x2x!qw>
  %6 = quant.dcast %5 : tensor<3x1x1x2x!qw> to tensor<3x1x1x2xf32>
  %7 = quant.qcast %3 : tensor<3xf32> to tensor<3x!qb>
  %8 = quant.dcast %7 : tensor<3x!qb> to tensor<3xf32>
  %9 = tosa.conv2d %1, %6, %8, %4, %4 {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x2xf32>, tensor<3x1x1x2xf32>, tensor<3xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x3xf32>
  %10 = tosa.clamp %9 {max_val = 6.000000e+00 : f32, min_val = 0.000000e+00 : f32} : (tensor<1x4x4x3xf32>) -> tensor<1x4x4x3xf32>
  %11 = quant.qcast %10 : tensor<1x4x4x3xf32> to tensor<1x4x4x3x!qy>
  %12 = quant.dcast %11 : tensor<1x4x4x3x!qy> to tensor<1x4x4x3xf32>
  return %12 : tensor<1x4x4x3xf32>
}
