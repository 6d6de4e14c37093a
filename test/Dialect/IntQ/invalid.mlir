// RUN: intq-opt %s -split-input-file -verify-diagnostics

!qa = !quant.uniform<i8:f32, 0.05:-3>
!qw = !quant.uniform<i8<-127:127>:f32:0, {0.5, 0.25}>
!qb = !quant.uniform<i32:f32:0, {0.025, 0.02}>
!qo = !quant.uniform<i8:f32, 0.1:-128>

func.func @bias_scale_mismatch(%x: tensor<1x8x8x4x!qa>, %w: tensor<2x3x3x4x!qw>, %b: tensor<2x!qb>) -> tensor<1x6x6x2x!qo> {
  // expected-error @+1 {{bias scale 2.000000e-02 of output channel 1 must equal input scale x weight scale = 5.000000e-02 x 2.500000e-01 = 1.250000e-02}}
  %r = intq.conv2d %x, %w, %b {stride = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, dilation = array<i64: 1, 1>}
      : (tensor<1x8x8x4x!qa>, tensor<2x3x3x4x!qw>, tensor<2x!qb>) -> tensor<1x6x6x2x!qo>
  return %r : tensor<1x6x6x2x!qo>
}

// -----

!qa = !quant.uniform<i8:f32, 0.05:-3>
!qw = !quant.uniform<i8<-127:127>:f32:3, {0.5, 0.25, 0.5, 0.25}>
!qo = !quant.uniform<i8:f32, 0.1:-128>

func.func @weights_axis(%x: tensor<1x8x8x4x!qa>, %w: tensor<2x3x3x4x!qw>) -> tensor<1x6x6x2x!qo> {
  // expected-error @+1 {{weights must be quantized along the output channel axis 0, got axis 3}}
  %r = intq.conv2d %x, %w {stride = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, dilation = array<i64: 1, 1>}
      : (tensor<1x8x8x4x!qa>, tensor<2x3x3x4x!qw>) -> tensor<1x6x6x2x!qo>
  return %r : tensor<1x6x6x2x!qo>
}

// -----

!qa = !quant.uniform<i8:f32, 0.05:300>
!qw = !quant.uniform<i8<-127:127>:f32:0, {0.5, 0.25}>
!qo = !quant.uniform<i8:f32, 0.1:-128>

func.func @zero_point_range(%x: tensor<1x8x8x4x!qa>, %w: tensor<2x3x3x4x!qw>) -> tensor<1x6x6x2x!qo> {
  // expected-error @+1 {{input zero point 300 is outside the storage range [-128, 127]}}
  %r = intq.conv2d %x, %w {stride = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, dilation = array<i64: 1, 1>}
      : (tensor<1x8x8x4x!qa>, tensor<2x3x3x4x!qw>) -> tensor<1x6x6x2x!qo>
  return %r : tensor<1x6x6x2x!qo>
}

// -----

!qa = !quant.uniform<i8:f32, 0.05:-3>
!qw = !quant.uniform<i8<-127:127>:f32:0, {0.5, 0.25}>
!qo = !quant.uniform<i8:f32, 0.1:-128>

func.func @weight_zero_point_range(%x: tensor<1x8x8x4x!qa>, %w: tensor<2x3x3x4x!quant.uniform<i8<-127:127>:f32:0, {0.5:0, 0.25:-128}>>) -> tensor<1x6x6x2x!qo> {
  // expected-error @+1 {{weights zero point -128 (channel 1) is outside the storage range [-127, 127]}}
  %r = intq.conv2d %x, %w {stride = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, dilation = array<i64: 1, 1>}
      : (tensor<1x8x8x4x!qa>, tensor<2x3x3x4x!quant.uniform<i8<-127:127>:f32:0, {0.5:0, 0.25:-128}>>) -> tensor<1x6x6x2x!qo>
  return %r : tensor<1x6x6x2x!qo>
}

// -----

// The quant type parser rejects non-positive scales with a located error.
// expected-error @+1 {{scale 0.000000e+00 out of expressed type range}}
func.func @zero_scale(%x: tensor<4x!quant.uniform<i8:f32, 0.0:0>>) {
  return
}

// -----

// expected-error @+1 {{scale -1.000000e+00 out of expressed type range}}
func.func @negative_scale(%x: tensor<4x!quant.uniform<i8:f32, -1.0:0>>) {
  return
}

// -----

// Scales too large for the expressed type (inf after conversion).
// expected-error @+1 {{out of expressed type range}}
func.func @huge_scale(%x: tensor<4x!quant.uniform<i8:f32, 1.0e39:0>>) {
  return
}

// -----

!qa = !quant.uniform<i8:f32, 0.05:-3>
!qw = !quant.uniform<i8<-127:127>:f32:0, {0.5, 0.25}>
!qo = !quant.uniform<i8:f32, 0.1:-128>

func.func @channels(%x: tensor<1x8x8x5x!qa>, %w: tensor<2x3x3x4x!qw>) -> tensor<1x6x6x2x!qo> {
  // expected-error @+1 {{input channels 5 do not match weights input channels 4 x groups 1}}
  %r = intq.conv2d %x, %w {stride = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, dilation = array<i64: 1, 1>}
      : (tensor<1x8x8x5x!qa>, tensor<2x3x3x4x!qw>) -> tensor<1x6x6x2x!qo>
  return %r : tensor<1x6x6x2x!qo>
}

// -----

!qa = !quant.uniform<i8:f32, 0.05:-3>
!qw = !quant.uniform<i8<-127:127>:f32:0, {0.5, 0.25}>
!qo = !quant.uniform<i8:f32, 0.1:-128>

func.func @result_height(%x: tensor<1x8x8x4x!qa>, %w: tensor<2x3x3x4x!qw>) -> tensor<1x4x3x2x!qo> {
  // expected-error @+1 {{result height 4 does not match the expected 3}}
  %r = intq.conv2d %x, %w {stride = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, dilation = array<i64: 1, 1>}
      : (tensor<1x8x8x4x!qa>, tensor<2x3x3x4x!qw>) -> tensor<1x4x3x2x!qo>
  return %r : tensor<1x4x3x2x!qo>
}

// -----

!qa = !quant.uniform<i8:f32, 0.05:-3>
!qw = !quant.uniform<i8<-127:127>:f32:0, {0.5, 0.25}>
!qo = !quant.uniform<i8:f32, 0.1:-128>

func.func @kernel_too_large(%x: tensor<1x2x8x4x!qa>, %w: tensor<2x3x3x4x!qw>) -> tensor<1x1x6x2x!qo> {
  // expected-error @+1 {{kernel extent 3 exceeds padded input size 2 in height}}
  %r = intq.conv2d %x, %w {stride = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, dilation = array<i64: 1, 1>}
      : (tensor<1x2x8x4x!qa>, tensor<2x3x3x4x!qw>) -> tensor<1x1x6x2x!qo>
  return %r : tensor<1x1x6x2x!qo>
}

// -----

!qa = !quant.uniform<i8:f32, 0.05:-3>
!qw = !quant.uniform<i8<-127:127>:f32:0, {0.5, 0.25, 0.5}>
!qo = !quant.uniform<i8:f32, 0.1:-128>

func.func @groups(%x: tensor<1x8x8x4x!qa>, %w: tensor<3x3x3x2x!qw>) -> tensor<1x6x6x3x!qo> {
  // expected-error @+1 {{output channels 3 are not divisible by groups 2}}
  %r = intq.conv2d %x, %w {stride = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, dilation = array<i64: 1, 1>, groups = 2 : i64}
      : (tensor<1x8x8x4x!qa>, tensor<3x3x3x2x!qw>) -> tensor<1x6x6x3x!qo>
  return %r : tensor<1x6x6x3x!qo>
}

// -----

!qa = !quant.uniform<i8:f32, 0.05:-3>
!qw = !quant.uniform<i8<-127:127>:f32:0, {0.5, 0.25, 0.5}>
!qo = !quant.uniform<i8:f32, 0.1:-128>

func.func @scale_count(%x: tensor<1x8x8x4x!qa>, %w: tensor<2x3x3x4x!qw>) -> tensor<1x6x6x2x!qo> {
  // expected-error @+1 {{weights have 3 per-channel scales but 2 output channels}}
  %r = intq.conv2d %x, %w {stride = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, dilation = array<i64: 1, 1>}
      : (tensor<1x8x8x4x!qa>, tensor<2x3x3x4x!qw>) -> tensor<1x6x6x2x!qo>
  return %r : tensor<1x6x6x2x!qo>
}

// -----

!qa = !quant.uniform<i8:f32:3, {0.05, 0.05, 0.05, 0.05}>
!qw = !quant.uniform<i8<-127:127>:f32:0, {0.5, 0.25}>
!qo = !quant.uniform<i8:f32, 0.1:-128>

func.func @per_axis_input(%x: tensor<1x8x8x4x!qa>, %w: tensor<2x3x3x4x!qw>) -> tensor<1x6x6x2x!qo> {
  // expected-error @+1 {{input must be quantized per tensor}}
  %r = intq.conv2d %x, %w {stride = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, dilation = array<i64: 1, 1>}
      : (tensor<1x8x8x4x!qa>, tensor<2x3x3x4x!qw>) -> tensor<1x6x6x2x!qo>
  return %r : tensor<1x6x6x2x!qo>
}

// -----

!qa = !quant.uniform<i8:f32, 0.05:-3>
!qw = !quant.uniform<i8<-127:127>:f32:0, {0.5, 0.25}>
!qb = !quant.uniform<i32:f32:0, {0.025:1, 0.0125:0}>
!qo = !quant.uniform<i8:f32, 0.1:-128>

func.func @bias_zero_point(%x: tensor<1x8x8x4x!qa>, %w: tensor<2x3x3x4x!qw>, %b: tensor<2x!qb>) -> tensor<1x6x6x2x!qo> {
  // expected-error @+1 {{bias zero point must be 0, got 1 (channel 0)}}
  %r = intq.conv2d %x, %w, %b {stride = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, dilation = array<i64: 1, 1>}
      : (tensor<1x8x8x4x!qa>, tensor<2x3x3x4x!qw>, tensor<2x!qb>) -> tensor<1x6x6x2x!qo>
  return %r : tensor<1x6x6x2x!qo>
}

// -----

!qa = !quant.uniform<i8:f32, 0.05:-3>
!qw = !quant.uniform<i8<-127:127>:f32:0, {0.5, 0.25}>
!qb = !quant.uniform<i16:f32:0, {0.025, 0.0125}>
!qo = !quant.uniform<i8:f32, 0.1:-128>

func.func @bias_storage(%x: tensor<1x8x8x4x!qa>, %w: tensor<2x3x3x4x!qw>, %b: tensor<2x!qb>) -> tensor<1x6x6x2x!qo> {
  // expected-error @+1 {{bias storage must be i32, got 'i16'}}
  %r = intq.conv2d %x, %w, %b {stride = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, dilation = array<i64: 1, 1>}
      : (tensor<1x8x8x4x!qa>, tensor<2x3x3x4x!qw>, tensor<2x!qb>) -> tensor<1x6x6x2x!qo>
  return %r : tensor<1x6x6x2x!qo>
}

// -----

!qa = !quant.uniform<i8:f32, 0.05:-3>
!qw = !quant.uniform<i8<-127:127>:f32:0, {0.5, 0.25}>
!qb = !quant.uniform<i32:f32:0, {0.025, 0.0125, 0.1}>
!qo = !quant.uniform<i8:f32, 0.1:-128>

func.func @bias_shape(%x: tensor<1x8x8x4x!qa>, %w: tensor<2x3x3x4x!qw>, %b: tensor<3x!qb>) -> tensor<1x6x6x2x!qo> {
  // expected-error @+1 {{bias must have shape [2]}}
  %r = intq.conv2d %x, %w, %b {stride = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, dilation = array<i64: 1, 1>}
      : (tensor<1x8x8x4x!qa>, tensor<2x3x3x4x!qw>, tensor<3x!qb>) -> tensor<1x6x6x2x!qo>
  return %r : tensor<1x6x6x2x!qo>
}

// -----

!qa = !quant.uniform<i8:f32, 0.05:-3>
!qw = !quant.uniform<i8<-127:127>:f32:0, {0.5, 0.25}>
!qo = !quant.uniform<i8:f32, 0.1:-128>

func.func @clamp_order(%x: tensor<1x8x8x4x!qa>, %w: tensor<2x3x3x4x!qw>) -> tensor<1x6x6x2x!qo> {
  // expected-error @+1 {{clamp_min 6.000000e+00 is greater than clamp_max 0.000000e+00}}
  %r = intq.conv2d %x, %w {stride = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, dilation = array<i64: 1, 1>, clamp_min = 6.0 : f64, clamp_max = 0.0 : f64}
      : (tensor<1x8x8x4x!qa>, tensor<2x3x3x4x!qw>) -> tensor<1x6x6x2x!qo>
  return %r : tensor<1x6x6x2x!qo>
}

// -----

!qa = !quant.uniform<i8:f32, 0.05:-3>
!qw = !quant.uniform<i8<-127:127>:f32:0, {0.5, 0.25}>
!qo = !quant.uniform<i8:f32, 0.1:-128>

func.func @stride_zero(%x: tensor<1x8x8x4x!qa>, %w: tensor<2x3x3x4x!qw>) -> tensor<1x6x6x2x!qo> {
  // expected-error @+1 {{stride and dilation must be positive}}
  %r = intq.conv2d %x, %w {stride = array<i64: 0, 1>, pad = array<i64: 0, 0, 0, 0>, dilation = array<i64: 1, 1>}
      : (tensor<1x8x8x4x!qa>, tensor<2x3x3x4x!qw>) -> tensor<1x6x6x2x!qo>
  return %r : tensor<1x6x6x2x!qo>
}

// -----

!qa = !quant.uniform<i8:f32, 0.05:-3>
!qw = !quant.uniform<i8<-127:127>:f32:0, {0.5, 0.25}>
!qo = !quant.uniform<i8:f32, 0.1:-128>

func.func @rank(%x: tensor<8x8x4x!qa>, %w: tensor<2x3x3x4x!qw>) -> tensor<1x6x6x2x!qo> {
  // expected-error @+1 {{expects rank-4 input (NHWC), weights (OHWI) and result (NHWC)}}
  %r = intq.conv2d %x, %w {stride = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, dilation = array<i64: 1, 1>}
      : (tensor<8x8x4x!qa>, tensor<2x3x3x4x!qw>) -> tensor<1x6x6x2x!qo>
  return %r : tensor<1x6x6x2x!qo>
}

// -----

!qa = !quant.uniform<i8:f32, 0.05:-3>
!qw = !quant.uniform<i8<-127:127>:f32:0, {0.5, 0.25}>
!qo = !quant.uniform<i8:f32, 0.1:-128>

func.func @matmul_k(%x: tensor<3x5x!qa>, %w: tensor<2x6x!qw>) -> tensor<3x2x!qo> {
  // expected-error @+1 {{reduction size mismatch: lhs has K = 5, weights have K = 6}}
  %r = intq.matmul %x, %w : (tensor<3x5x!qa>, tensor<2x6x!qw>) -> tensor<3x2x!qo>
  return %r : tensor<3x2x!qo>
}

// -----

!qa = !quant.uniform<i8:f32, 0.05:-3>
!qw = !quant.uniform<i8<-127:127>:f32:0, {0.5, 0.25}>
!qo = !quant.uniform<i8:f32, 0.1:-128>

func.func @matmul_n(%x: tensor<3x5x!qa>, %w: tensor<2x5x!qw>) -> tensor<3x4x!qo> {
  // expected-error @+1 {{result N 4 does not match the expected 2}}
  %r = intq.matmul %x, %w : (tensor<3x5x!qa>, tensor<2x5x!qw>) -> tensor<3x4x!qo>
  return %r : tensor<3x4x!qo>
}

// -----

!qa = !quant.uniform<i8:f32, 0.05:-3>
!qw = !quant.uniform<i8<-127:127>:f32:0, {0.5, 0.25}>
!qb = !quant.uniform<i32:f32:0, {0.025, 0.05}>
!qo = !quant.uniform<i8:f32, 0.1:-128>

func.func @matmul_bias_scale(%x: tensor<3x5x!qa>, %w: tensor<2x5x!qw>, %b: tensor<2x!qb>) -> tensor<3x2x!qo> {
  // expected-error @+1 {{bias scale 5.000000e-02 of output channel 1 must equal input scale x weight scale}}
  %r = intq.matmul %x, %w, %b : (tensor<3x5x!qa>, tensor<2x5x!qw>, tensor<2x!qb>) -> tensor<3x2x!qo>
  return %r : tensor<3x2x!qo>
}

// -----

func.func @requantize_shape(%x: tensor<4x!quant.uniform<i8:f32, 0.1:3>>) -> tensor<5x!quant.uniform<i8:f32, 0.05:-10>> {
  // expected-error @+1 {{input shape 'tensor<4x!quant.uniform<i8:f32, 1.000000e-01:3>>' does not match result shape}}
  %y = intq.requantize %x : tensor<4x!quant.uniform<i8:f32, 0.1:3>> -> tensor<5x!quant.uniform<i8:f32, 0.05:-10>>
  return %y : tensor<5x!quant.uniform<i8:f32, 0.05:-10>>
}

// -----

func.func @qconst_storage() {
  // expected-error @+1 {{value element type 'i16' does not match storage type 'i8'}}
  %w = intq.qconst dense<1> : tensor<2xi16> -> tensor<2x!quant.uniform<i8:f32, 0.5>>
  return
}

// -----

func.func @qconst_range() {
  // expected-error @+1 {{value -128 is outside the storage range [-127, 127]}}
  %w = intq.qconst dense<[1, -128]> : tensor<2xi8> -> tensor<2x!quant.uniform<i8<-127:127>:f32, 0.5>>
  return
}

// -----

func.func @qconst_shape() {
  // expected-error @+1 {{value shape 'tensor<3xi8>' does not match result shape}}
  %w = intq.qconst dense<1> : tensor<3xi8> -> tensor<2x!quant.uniform<i8:f32, 0.5>>
  return
}

// -----

func.func @stats_order(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{min 2.000000e+00 is greater than max 1.000000e+00}}
  %y = intq.stats %x {min = 2.0 : f64, max = 1.0 : f64} : tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

func.func @add_shapes(%a: tensor<2x3x!quant.uniform<i8:f32, 0.05>>, %b: tensor<3x3x!quant.uniform<i8:f32, 0.1>>) -> tensor<2x3x!quant.uniform<i8:f32, 0.1>> {
  // expected-error @+1 {{operands and result must have the same shape}}
  %y = intq.add %a, %b : (tensor<2x3x!quant.uniform<i8:f32, 0.05>>, tensor<3x3x!quant.uniform<i8:f32, 0.1>>) -> tensor<2x3x!quant.uniform<i8:f32, 0.1>>
  return %y : tensor<2x3x!quant.uniform<i8:f32, 0.1>>
}

// -----

func.func @add_per_axis(%a: tensor<2x3x!quant.uniform<i8:f32:1, {0.05, 0.05, 0.05}>>, %b: tensor<2x3x!quant.uniform<i8:f32, 0.1>>) -> tensor<2x3x!quant.uniform<i8:f32, 0.1>> {
  // expected-error @+1 {{lhs must be quantized per tensor}}
  %y = intq.add %a, %b : (tensor<2x3x!quant.uniform<i8:f32:1, {0.05, 0.05, 0.05}>>, tensor<2x3x!quant.uniform<i8:f32, 0.1>>) -> tensor<2x3x!quant.uniform<i8:f32, 0.1>>
  return %y : tensor<2x3x!quant.uniform<i8:f32, 0.1>>
}

// -----

func.func @pool_scale(%x: tensor<1x4x4x2x!quant.uniform<i8:f32, 0.1>>) -> tensor<1x2x2x2x!quant.uniform<i8:f32, 0.2>> {
  // expected-error @+1 {{input and result must share one per-tensor quantized type}}
  %m = intq.max_pool2d %x {kernel = array<i64: 2, 2>, stride = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>} : tensor<1x4x4x2x!quant.uniform<i8:f32, 0.1>> -> tensor<1x2x2x2x!quant.uniform<i8:f32, 0.2>>
  return %m : tensor<1x2x2x2x!quant.uniform<i8:f32, 0.2>>
}

// -----

func.func @pool_shape(%x: tensor<1x4x4x2x!quant.uniform<i8:f32, 0.1>>) -> tensor<1x3x2x2x!quant.uniform<i8:f32, 0.1>> {
  // expected-error @+1 {{result height 3 does not match the expected 2}}
  %m = intq.avg_pool2d %x {kernel = array<i64: 2, 2>, stride = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>} : tensor<1x4x4x2x!quant.uniform<i8:f32, 0.1>> -> tensor<1x3x2x2x!quant.uniform<i8:f32, 0.1>>
  return %m : tensor<1x3x2x2x!quant.uniform<i8:f32, 0.1>>
}

// -----

func.func @stats_channel_mean_count(%arg0: tensor<1x4x4x3xf32>) -> tensor<1x4x4x3xf32> {
  // expected-error @+1 {{'intq.stats' op channel_mean has 2 values for 3 channels}}
  %0 = intq.stats %arg0 {min = 0.0 : f64, max = 1.0 : f64, channel_mean = array<f64: 0.5, 0.5>} : tensor<1x4x4x3xf32>
  return %0 : tensor<1x4x4x3xf32>
}

// -----

func.func @lookup_table_size(%arg0: tensor<4x!quant.uniform<i8:f32, 0.1>>) -> tensor<4x!quant.uniform<i8:f32, 0.1>> {
  // expected-error @+1 {{'intq.lookup' op table must have 256 entries (one per input storage value), got 'tensor<4xi8>'}}
  %0 = intq.lookup %arg0 {table = dense<[0, 1, 2, 3]> : tensor<4xi8>} : tensor<4x!quant.uniform<i8:f32, 0.1>> -> tensor<4x!quant.uniform<i8:f32, 0.1>>
  return %0 : tensor<4x!quant.uniform<i8:f32, 0.1>>
}

// -----

func.func @lookup_table_range(%arg0: tensor<4x!quant.uniform<i8:f32, 0.1>>) -> tensor<4x!quant.uniform<i8<-1:1>:f32, 0.1>> {
  // expected-error @+1 {{'intq.lookup' op table value 2 is outside the result storage range [-1, 1]}}
  %0 = intq.lookup %arg0 {table = dense<2> : tensor<256xi8>} : tensor<4x!quant.uniform<i8:f32, 0.1>> -> tensor<4x!quant.uniform<i8<-1:1>:f32, 0.1>>
  return %0 : tensor<4x!quant.uniform<i8<-1:1>:f32, 0.1>>
}

// -----

func.func @mul_shapes(%a: tensor<4x!quant.uniform<i8:f32, 0.1>>, %b: tensor<2x!quant.uniform<i8:f32, 0.1>>) -> tensor<4x!quant.uniform<i8:f32, 0.1>> {
  // expected-error @+1 {{'intq.mul' op operands and result must have the same shape}}
  %0 = intq.mul %a, %b : (tensor<4x!quant.uniform<i8:f32, 0.1>>, tensor<2x!quant.uniform<i8:f32, 0.1>>) -> tensor<4x!quant.uniform<i8:f32, 0.1>>
  return %0 : tensor<4x!quant.uniform<i8:f32, 0.1>>
}

// -----

!qa = !quant.uniform<i8:f32, 0.05:-3>
!qw = !quant.uniform<i8<-127:127>:f32, 0.01>
!qo = !quant.uniform<i8:f32, 0.1:2>

func.func @rounding_unknown(%a: tensor<4x8x!qa>, %w: tensor<16x8x!qw>) -> tensor<4x16x!qo> {
  // expected-error @+2 {{expected ::intq::Rounding to be one of: double, single}}
  // expected-error @+1 {{failed to parse IntQ_RoundingAttr parameter 'value'}}
  %r = intq.matmul %a, %w {rounding = #intq.rounding<nearest>} : (tensor<4x8x!qa>, tensor<16x8x!qw>) -> tensor<4x16x!qo>
  return %r : tensor<4x16x!qo>
}

// -----

!qa = !quant.uniform<i8:f32, 0.05:-3>
!qw = !quant.uniform<i8<-127:127>:f32, 0.01>
!qo = !quant.uniform<i8:f32, 0.1:2>

func.func @rounding_not_enum(%a: tensor<4x8x!qa>, %w: tensor<16x8x!qw>) -> tensor<4x16x!qo> {
  // expected-error @+1 {{'intq.matmul' op attribute 'rounding' failed to satisfy constraint}}
  %r = intq.matmul %a, %w {rounding = 1 : i32} : (tensor<4x8x!qa>, tensor<16x8x!qw>) -> tensor<4x16x!qo>
  return %r : tensor<4x16x!qo>
}
