// Not in sanitizer builds: Debian's mlir-opt is not instrumented and
// cannot load an instrumented plugin.
// UNSUPPORTED: intq-sanitizers
// intq's verifiers run inside Debian's mlir-opt: they read the scales of the
// upstream quant types the host parsed.
// RUN: mlir-opt %s -split-input-file -verify-diagnostics --load-dialect-plugin=%intq_plugin

!qa = !quant.uniform<i8:f32, 0.05:-3>
!qw = !quant.uniform<i8<-127:127>:f32:0, {0.5, 0.25}>
!qb = !quant.uniform<i32:f32:0, {0.025, 0.02}>
!qo = !quant.uniform<i8:f32, 0.1:-128>

func.func @bias_scale_mismatch(%x: tensor<1x4x4x4x!qa>, %w: tensor<2x1x1x4x!qw>, %b: tensor<2x!qb>) -> tensor<1x4x4x2x!qo> {
  // expected-error @+1 {{bias scale 2.000000e-02 of output channel 1 must equal input scale x weight scale = 5.000000e-02 x 2.500000e-01 = 1.250000e-02}}
  %r = intq.conv2d %x, %w, %b {stride = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, dilation = array<i64: 1, 1>}
      : (tensor<1x4x4x4x!qa>, tensor<2x1x1x4x!qw>, tensor<2x!qb>) -> tensor<1x4x4x2x!qo>
  return %r : tensor<1x4x4x2x!qo>
}

// -----

!qa = !quant.uniform<i8:f32, 0.05:-3>
!qw = !quant.uniform<i8<-127:127>:f32:3, {0.5, 0.25, 0.5, 0.25}>
!qo = !quant.uniform<i8:f32, 0.1:-128>

func.func @weights_axis(%x: tensor<1x4x4x4x!qa>, %w: tensor<2x1x1x4x!qw>) -> tensor<1x4x4x2x!qo> {
  // expected-error @+1 {{weights must be quantized along the output channel axis 0, got axis 3}}
  %r = intq.conv2d %x, %w {stride = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, dilation = array<i64: 1, 1>}
      : (tensor<1x4x4x4x!qa>, tensor<2x1x1x4x!qw>) -> tensor<1x4x4x2x!qo>
  return %r : tensor<1x4x4x2x!qo>
}
