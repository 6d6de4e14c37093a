// RUN: intq-opt %s -split-input-file --intq-assign-scales -verify-diagnostics | FileCheck %s

// A compute op whose input has no range stays in float, with a remark.
// CHECK-LABEL: func.func @no_range
// CHECK-NOT: quant.qcast
// CHECK: tosa.conv2d %arg0
func.func @no_range(%arg0: tensor<1x4x4x1xf32>) -> tensor<1x4x4x1xf32> {
  %w = "tosa.const"() {values = dense<0.5> : tensor<1x1x1x1xf32>} : () -> tensor<1x1x1x1xf32>
  %b = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  // expected-remark @+1 {{stays in float: its input has no quantization range (annotate it with intq.stats)}}
  %y = tosa.conv2d %arg0, %w, %b, %zp, %zp {acc_type = f32, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>} : (tensor<1x4x4x1xf32>, tensor<1x1x1x1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x1xf32>
  return %y : tensor<1x4x4x1xf32>
}

// -----

// Weights that are not constant keep the op in float.
// CHECK-LABEL: func.func @dynamic_weights
func.func @dynamic_weights(%arg0: tensor<1x4x3xf32>, %w: tensor<1x3x2xf32>) -> tensor<1x4x2xf32> {
  %x = intq.stats %arg0 {min = -1.0 : f64, max = 1.0 : f64} : tensor<1x4x3xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  // expected-remark @+1 {{stays in float: its weights are not constant}}
  %y = tosa.matmul %x, %w, %zp, %zp : (tensor<1x4x3xf32>, tensor<1x3x2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x2xf32>
  return %y : tensor<1x4x2xf32>
}

// -----

// A depthwise channel multiplier > 1 has no single output-channel axis in
// the TOSA layout: its weights fall back to one scale per tensor.
// CHECK-LABEL: func.func @depthwise_multiplier
// CHECK: quant.qcast %{{.+}} : tensor<1x1x1x2xf32> to tensor<1x1x1x2x!quant.uniform<i8<-127:127>:f32, 0.015748031496062992>>
func.func @depthwise_multiplier(%arg0: tensor<1x4x4x1xf32>) -> tensor<1x4x4x2xf32> {
  %x = intq.stats %arg0 {min = -1.0 : f64, max = 1.0 : f64} : tensor<1x4x4x1xf32>
  %w = "tosa.const"() {values = dense<[[[[1.0, -2.0]]]]> : tensor<1x1x1x2xf32>} : () -> tensor<1x1x1x2xf32>
  %b = "tosa.const"() {values = dense<0.0> : tensor<2xf32>} : () -> tensor<2xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  // expected-remark @+1 {{weights quantized per tensor: a depthwise channel multiplier > 1 has no single output-channel axis}}
  %y = tosa.depthwise_conv2d %x, %w, %b, %zp, %zp {acc_type = f32, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>} : (tensor<1x4x4x1xf32>, tensor<1x1x1x2xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x2xf32>
  return %y : tensor<1x4x4x2xf32>
}

// -----

func.func @inf_weights(%arg0: tensor<1x4x4x1xf32>) -> tensor<1x4x4x1xf32> {
  %x = intq.stats %arg0 {min = -1.0 : f64, max = 1.0 : f64} : tensor<1x4x4x1xf32>
  %w = "tosa.const"() {values = dense<0x7F800000> : tensor<1x1x1x1xf32>} : () -> tensor<1x1x1x1xf32>
  %b = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  // expected-error @+1 {{weights contain NaN or infinity}}
  %y = tosa.conv2d %x, %w, %b, %zp, %zp {acc_type = f32, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>} : (tensor<1x4x4x1xf32>, tensor<1x1x1x1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x1xf32>
  return %y : tensor<1x4x4x1xf32>
}

// -----

// The weights of a pre-quantized model keep their scale: a bias beyond
// int32 saturates, with a warning. (Weights intq quantizes itself get a
// larger scale instead: see @big_bias.)
func.func @bias_overflow_prequantized(%arg0: tensor<1x4x4x1xf32>) -> tensor<1x4x4x1xf32> {
  %x = intq.stats %arg0 {min = -0.001 : f64, max = 0.001 : f64} : tensor<1x4x4x1xf32>
  %w = "tosa.const"() {values = dense<0.001> : tensor<1x1x1x1xf32>} : () -> tensor<1x1x1x1xf32>
  %wq = quant.qcast %w : tensor<1x1x1x1xf32> to tensor<1x1x1x1x!quant.uniform<i8<-127:127>:f32, 7.874e-06>>
  %wd = quant.dcast %wq : tensor<1x1x1x1x!quant.uniform<i8<-127:127>:f32, 7.874e-06>> to tensor<1x1x1x1xf32>
  %b = "tosa.const"() {values = dense<1000.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  // expected-warning @+1 {{bias of output channel 0 (1.000000e+03) exceeds the int32 range at scale}}
  %y = tosa.conv2d %x, %wd, %b, %zp, %zp {acc_type = f32, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>} : (tensor<1x4x4x1xf32>, tensor<1x1x1x1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x1xf32>
  return %y : tensor<1x4x4x1xf32>
}

// -----

// A range of zero width is not silently replaced: the chosen parameters
// are reported.
// CHECK-LABEL: func.func @zero_width
// CHECK: quant.qcast %arg0 : tensor<4xf32> to tensor<4x!quant.uniform<i8:f32, 1.000000e+00>>
func.func @zero_width(%arg0: tensor<4xf32>) -> tensor<4xf32> {
  // expected-warning @+1 {{range [0, 0] has zero width (the tensor was always 0 when observed): quantized with scale 1.000000e+00 and zero point 0}}
  %x = intq.stats %arg0 {min = 0.0 : f64, max = 0.0 : f64} : tensor<4xf32>
  return %x : tensor<4xf32>
}

// -----

// NaN or infinite ranges are rejected by the annotation's verifier.
func.func @nan_range(%arg0: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{range bounds must be finite}}
  %x = intq.stats %arg0 {min = 0x7FF8000000000000 : f64, max = 1.0 : f64} : tensor<4xf32>
  return %x : tensor<4xf32>
}

// -----

// A tiny input scale (1e-6 / 127.5) would push the bias beyond int32: the
// weight scale of each such channel is raised until it fits, with a warning
// (never a wrapped bias).
// CHECK-LABEL: func.func @big_bias
// CHECK: quant.qcast %{{.+}} : tensor<2x1x1x2xf32> to tensor<2x1x1x2x!quant.uniform<i8<-127:127>:f32:0, {5.9371873531198069,0.0059371874415907926}>>
// CHECK: quant.qcast %{{.+}} : tensor<2xf32> to tensor<2x!quant.uniform<i32:f32:0, {4.6566175318586721E-8,4.6566176012476808E-11}>>
func.func @big_bias(%arg0: tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32> {
  %x = intq.stats %arg0 {min = -1.0e-6 : f64, max = 1.0e-6 : f64} : tensor<1x4x4x2xf32>
  %w = "tosa.const"() {values = dense<[[[[1.0e-3, 0.0]]], [[[0.5, 0.25]]]]> : tensor<2x1x1x2xf32>} : () -> tensor<2x1x1x2xf32>
  %b = "tosa.const"() {values = dense<[100.0, 0.1]> : tensor<2xf32>} : () -> tensor<2xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  // expected-warning @+2 {{bias of output channel 0 (1.000000e+02) does not fit int32 at scale 6.175699e-14: weight scale raised from 7.874016e-06 to 5.937187e+00}}
  // expected-warning @+1 {{bias of output channel 1 (1.000000e-01) does not fit int32 at scale 3.087849e-11: weight scale raised from 3.937008e-03 to 5.937187e-03}}
  %y = tosa.conv2d %x, %w, %b, %zp, %zp {acc_type = f32, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>} : (tensor<1x4x4x2xf32>, tensor<2x1x1x2xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x2xf32>
  %z = intq.stats %y {min = -200.0 : f64, max = 200.0 : f64} : tensor<1x4x4x2xf32>
  return %z : tensor<1x4x4x2xf32>
}
