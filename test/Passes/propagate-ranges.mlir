// RUN: intq-opt %s -split-input-file --intq-propagate-ranges -verify-diagnostics | FileCheck %s

// Only the input is calibrated: the clamp's fixed range [0, 6] bounds the
// unknown convolution output, the sigmoid is [0, 1], and the max pool keeps
// its operand's range (its calibrated [0.5, 0.9] is replaced) so that it
// shares the operand's scale.
// CHECK-LABEL: func.func @chain
// CHECK: %[[C:.+]] = tosa.clamp
// CHECK-NEXT: %[[CS:.+]] = intq.stats %[[C]] {max = 6.000000e+00 : f64, min = 0.000000e+00 : f64}
// CHECK-NEXT: %[[S:.+]] = tosa.sigmoid %[[CS]]
// CHECK-NEXT: %[[SS:.+]] = intq.stats %[[S]] {max = 1.000000e+00 : f64, min = 0.000000e+00 : f64}
// CHECK-NEXT: %[[M:.+]] = tosa.max_pool2d %[[SS]]
// CHECK-NEXT: intq.stats %[[M]] {max = 1.000000e+00 : f64, min = 0.000000e+00 : f64}
func.func @chain(%arg0: tensor<1x4x4x2xf32>) -> tensor<1x2x2x2xf32> {
  %x = intq.stats %arg0 {min = -1.0 : f64, max = 1.0 : f64} : tensor<1x4x4x2xf32>
  %w = "tosa.const"() {values = dense<0.5> : tensor<2x1x1x2xf32>} : () -> tensor<2x1x1x2xf32>
  %b = "tosa.const"() {values = dense<0.0> : tensor<2xf32>} : () -> tensor<2xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %y = tosa.conv2d %x, %w, %b, %zp, %zp {acc_type = f32, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>} : (tensor<1x4x4x2xf32>, tensor<2x1x1x2xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x2xf32>
  %r = tosa.clamp %y {min_val = 0.0 : f32, max_val = 6.0 : f32} : (tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32>
  %s = tosa.sigmoid %r : (tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32>
  %m = tosa.max_pool2d %s {kernel = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 2, 2>} : (tensor<1x4x4x2xf32>) -> tensor<1x2x2x2xf32>
  %ms = intq.stats %m {min = 0.5 : f64, max = 0.9 : f64} : tensor<1x2x2x2xf32>
  return %ms : tensor<1x2x2x2xf32>
}

// -----

// Interval arithmetic: [0, 1] + [-1, 2] = [-1, 3]; [0, 1] - [-1, 2] = [-2, 2].
// CHECK-LABEL: func.func @add_sub
// CHECK: %[[A:.+]] = tosa.add
// CHECK-NEXT: intq.stats %[[A]] {max = 3.000000e+00 : f64, min = -1.000000e+00 : f64}
// CHECK: %[[S:.+]] = tosa.sub
// CHECK-NEXT: intq.stats %[[S]] {max = 2.000000e+00 : f64, min = -2.000000e+00 : f64}
func.func @add_sub(%arg0: tensor<4xf32>, %arg1: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  %a = intq.stats %arg0 {min = 0.0 : f64, max = 1.0 : f64} : tensor<4xf32>
  %b = intq.stats %arg1 {min = -1.0 : f64, max = 2.0 : f64} : tensor<4xf32>
  %s = tosa.add %a, %b : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %d = tosa.sub %a, %b : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %s, %d : tensor<4xf32>, tensor<4xf32>
}

// -----

// Concat shares one scale: the hull of its operands' ranges goes to the
// result and back to every operand.
// CHECK-LABEL: func.func @concat
// CHECK: intq.stats %arg0 {max = 1.000000e+00 : f64, min = -2.000000e+00 : f64}
// CHECK: intq.stats %arg1 {max = 1.000000e+00 : f64, min = -2.000000e+00 : f64}
// CHECK: %[[C:.+]] = tosa.concat
// CHECK-NEXT: intq.stats %[[C]] {max = 1.000000e+00 : f64, min = -2.000000e+00 : f64}
func.func @concat(%arg0: tensor<2xf32>, %arg1: tensor<2xf32>) -> tensor<4xf32> {
  %a = intq.stats %arg0 {min = 0.0 : f64, max = 1.0 : f64} : tensor<2xf32>
  %b = intq.stats %arg1 {min = -2.0 : f64, max = 0.5 : f64} : tensor<2xf32>
  %c = tosa.concat %a, %b {axis = 0 : i32} : (tensor<2xf32>, tensor<2xf32>) -> tensor<4xf32>
  return %c : tensor<4xf32>
}

// -----

// Nothing bounds a convolution of an uncalibrated input: a remark says so
// and nothing is invented.
// CHECK-LABEL: func.func @unknown
// CHECK: intq.stats %arg1
// CHECK-NOT: intq.stats
// expected-remark @+1 {{no range could be derived here}}
func.func @unknown(%arg0: tensor<1x4x4x2xf32>, %arg1: tensor<4xf32>) -> (tensor<1x4x4x2xf32>, tensor<4xf32>) {
  %a = intq.stats %arg1 {min = 0.0 : f64, max = 1.0 : f64} : tensor<4xf32>
  %w = "tosa.const"() {values = dense<0.5> : tensor<2x1x1x2xf32>} : () -> tensor<2x1x1x2xf32>
  %b = "tosa.const"() {values = dense<0.0> : tensor<2xf32>} : () -> tensor<2xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  // expected-remark @below {{no range could be derived here: calibrate this value or annotate it with intq.stats}}
  %y = tosa.conv2d %arg0, %w, %b, %zp, %zp {acc_type = f32, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>} : (tensor<1x4x4x2xf32>, tensor<2x1x1x2xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x2xf32>
  return %y, %a : tensor<1x4x4x2xf32>, tensor<4xf32>
}

// -----

// A function without any range annotation (uncalibrated, or pre-quantized
// in QDQ form) is left alone, silently.
// CHECK-LABEL: func.func @nothing_calibrated
// CHECK-NOT: intq.stats
func.func @nothing_calibrated(%arg0: tensor<4xf32>) -> tensor<4xf32> {
  %c = tosa.clamp %arg0 {min_val = 0.0 : f32, max_val = 6.0 : f32} : (tensor<4xf32>) -> tensor<4xf32>
  return %c : tensor<4xf32>
}
