// Not in sanitizer builds: Debian's mlir-opt is not instrumented and
// cannot load an instrumented plugin.
// UNSUPPORTED: intq-sanitizers
// --intq-fold-batchnorm in Debian's mlir-opt. Plugin passes get no flag of
// their own in a stock mlir-opt (it builds its pass flags before it loads
// plugins), so they run through --pass-pipeline.
// RUN: mlir-opt %s -split-input-file --load-dialect-plugin=%intq_plugin --load-pass-plugin=%intq_plugin \
// RUN:   --pass-pipeline='builtin.module(func.func(intq-fold-batchnorm))' | FileCheck %s
// The dialect plugin alone registers the passes too.
// RUN: mlir-opt %s -split-input-file --load-dialect-plugin=%intq_plugin \
// RUN:   --pass-pipeline='builtin.module(func.func(intq-fold-batchnorm))' | FileCheck %s

// A per-channel multiply and add after a conv fold into its weights and
// bias: w' = w * [2, -3] per output channel, b' = [0.5, -0.5] * [2, -3] +
// [0.5, 5.5] = [1.5, 7].
// CHECK-LABEL: func.func @conv_affine
// CHECK-DAG: %[[W:.+]] = "tosa.const"() <{values = dense<{{\[\[\[\[}}2.000000e+00, 4.000000e+00]]], {{\[\[\[}}-9.000000e+00, 3.000000e+00]]]]> : tensor<2x1x1x2xf32>}>
// CHECK-DAG: %[[B:.+]] = "tosa.const"() <{values = dense<[1.500000e+00, 7.000000e+00]> : tensor<2xf32>}>
// CHECK: %[[C:.+]] = tosa.conv2d %arg0, %[[W]], %[[B]]
// CHECK-NEXT: return %[[C]]
func.func @conv_affine(%x: tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32> {
  %w = "tosa.const"() {values = dense<[[[[1.0, 2.0]]], [[[3.0, -1.0]]]]> : tensor<2x1x1x2xf32>} : () -> tensor<2x1x1x2xf32>
  %b = "tosa.const"() {values = dense<[0.5, -0.5]> : tensor<2xf32>} : () -> tensor<2xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %shift = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  %a = "tosa.const"() {values = dense<[[[[2.0, -3.0]]]]> : tensor<1x1x1x2xf32>} : () -> tensor<1x1x1x2xf32>
  %t = "tosa.const"() {values = dense<[[[[0.5, 5.5]]]]> : tensor<1x1x1x2xf32>} : () -> tensor<1x1x1x2xf32>
  %c = tosa.conv2d %x, %w, %b, %zp, %zp {acc_type = f32, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>} : (tensor<1x4x4x2xf32>, tensor<2x1x1x2xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x2xf32>
  %m = tosa.mul %c, %a, %shift : (tensor<1x4x4x2xf32>, tensor<1x1x1x2xf32>, tensor<1xi8>) -> tensor<1x4x4x2xf32>
  %y = tosa.add %m, %t : (tensor<1x4x4x2xf32>, tensor<1x1x1x2xf32>) -> tensor<1x4x4x2xf32>
  return %y : tensor<1x4x4x2xf32>
}

// -----

// A multiply whose scale is not per channel stays.
// CHECK-LABEL: func.func @not_per_channel
// CHECK: tosa.conv2d
// CHECK: tosa.mul
func.func @not_per_channel(%x: tensor<1x4x4x2xf32>, %s: tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32> {
  %w = "tosa.const"() {values = dense<1.0> : tensor<2x1x1x2xf32>} : () -> tensor<2x1x1x2xf32>
  %b = "tosa.const"() {values = dense<0.0> : tensor<2xf32>} : () -> tensor<2xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %shift = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  %c = tosa.conv2d %x, %w, %b, %zp, %zp {acc_type = f32, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>} : (tensor<1x4x4x2xf32>, tensor<2x1x1x2xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x2xf32>
  %m = tosa.mul %c, %s, %shift : (tensor<1x4x4x2xf32>, tensor<1x4x4x2xf32>, tensor<1xi8>) -> tensor<1x4x4x2xf32>
  return %m : tensor<1x4x4x2xf32>
}
