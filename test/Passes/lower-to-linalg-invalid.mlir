// RUN: intq-opt %s -split-input-file --intq-lower-to-linalg -verify-diagnostics

!qa = !quant.uniform<i8:f32, 0.5:-3>
!qw = !quant.uniform<i8<-127:127>:f32:0, {0.25, 0.5}>
!qo = !quant.uniform<i8:f32, 1.0:5>

func.func @runtime_weights(%x: tensor<1x4x4x1x!qa>, %w: tensor<2x1x1x1x!qw>) -> tensor<1x4x4x2x!qo> {
  // expected-error @+1 {{lowering requires constant weights (intq.qconst)}}
  %r = intq.conv2d %x, %w {stride = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, dilation = array<i64: 1, 1>}
      : (tensor<1x4x4x1x!qa>, tensor<2x1x1x1x!qw>) -> tensor<1x4x4x2x!qo>
  return %r : tensor<1x4x4x2x!qo>
}

// -----

!qa = !quant.uniform<i8:f32, 0.5:-3>
!qw = !quant.uniform<i8:f32:0, {0.25:0, 0.5:4}>
!qo = !quant.uniform<i8:f32, 1.0:5>

func.func @weight_zero_point(%x: tensor<1x4x4x1x!qa>) -> tensor<1x4x4x2x!qo> {
  %w = intq.qconst dense<1> : tensor<2x1x1x1xi8> -> tensor<2x1x1x1x!qw>
  // expected-error @+1 {{lowering requires symmetric weights (zero point 0), channel 1 has zero point 4}}
  %r = intq.conv2d %x, %w {stride = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, dilation = array<i64: 1, 1>}
      : (tensor<1x4x4x1x!qa>, tensor<2x1x1x1x!qw>) -> tensor<1x4x4x2x!qo>
  return %r : tensor<1x4x4x2x!qo>
}

// -----

!qa = !quant.uniform<i8:f32, 0.5:0>
!qw = !quant.uniform<u8:f32:0, {0.25, 0.5}>
!qo = !quant.uniform<i8:f32, 1.0:5>

func.func @unsigned_weights(%x: tensor<1x4x4x1x!qa>) -> tensor<1x4x4x2x!qo> {
  %w = intq.qconst dense<1> : tensor<2x1x1x1xi8> -> tensor<2x1x1x1x!qw>
  // expected-error @+1 {{lowering supports signed weight storage only}}
  %r = intq.conv2d %x, %w {stride = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, dilation = array<i64: 1, 1>}
      : (tensor<1x4x4x1x!qa>, tensor<2x1x1x1x!qw>) -> tensor<1x4x4x2x!qo>
  return %r : tensor<1x4x4x2x!qo>
}

// -----

!qa = !quant.uniform<i8:f32, 0.5:0>
!qw = !quant.uniform<i16<-32767:32767>:f32:0, {0.25, 0.5}>
!qo = !quant.uniform<i8:f32, 1.0:5>

func.func @wide_weights(%x: tensor<1x4x4x1x!qa>) -> tensor<1x4x4x2x!qo> {
  %w = intq.qconst dense<1> : tensor<2x1x1x1xi16> -> tensor<2x1x1x1x!qw>
  // expected-error @+1 {{lowering supports 8- or 16-bit input and 8-bit weight storage only, got 'i8' input and 'i16' weights}}
  %r = intq.conv2d %x, %w {stride = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, dilation = array<i64: 1, 1>}
      : (tensor<1x4x4x1x!qa>, tensor<2x1x1x1x!qw>) -> tensor<1x4x4x2x!qo>
  return %r : tensor<1x4x4x2x!qo>
}

// -----

!qa = !quant.uniform<u16:f32, 0.5:0>
!qw = !quant.uniform<i8<-127:127>:f32:0, {0.25, 0.5}>
!qo = !quant.uniform<i8:f32, 1.0:5>

func.func @unsigned_16bit_input(%x: tensor<1x4x4x1x!qa>) -> tensor<1x4x4x2x!qo> {
  %w = intq.qconst dense<1> : tensor<2x1x1x1xi8> -> tensor<2x1x1x1x!qw>
  // expected-error @+1 {{lowering supports signed 16-bit inputs only (use int16 activations)}}
  %r = intq.conv2d %x, %w {stride = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, dilation = array<i64: 1, 1>}
      : (tensor<1x4x4x1x!qa>, tensor<2x1x1x1x!qw>) -> tensor<1x4x4x2x!qo>
  return %r : tensor<1x4x4x2x!qo>
}

// -----

!qa = !quant.uniform<i8:f32, 1000.0:0>
!qw = !quant.uniform<i8<-127:127>:f32:0, {1000.0, 0.5}>
!qo = !quant.uniform<i8:f32, 0.0001:5>

func.func @huge_multiplier(%x: tensor<3x4x!qa>) -> tensor<3x2x!qo> {
  %w = intq.qconst dense<1> : tensor<2x4xi8> -> tensor<2x4x!qw>
  // expected-error @+1 {{real multiplier 1.000000e+10 of output channel 0 (input scale x weight scale / output scale) cannot be represented as a 32-bit fixed-point multiplier}}
  %r = intq.matmul %x, %w : (tensor<3x4x!qa>, tensor<2x4x!qw>) -> tensor<3x2x!qo>
  return %r : tensor<3x2x!qo>
}

// -----

!qa = !quant.uniform<i8:f32, 0.5:0>
!qw = !quant.uniform<i8<-127:127>:f32:0, {0.5, 0.5}>
!qo = !quant.uniform<i8:f32, 0.5:5>

func.func @dynamic_shape(%x: tensor<?x4x!qa>) -> tensor<?x2x!qo> {
  %w = intq.qconst dense<1> : tensor<2x4xi8> -> tensor<2x4x!qw>
  // expected-error @+1 {{lowering requires static shapes}}
  %r = intq.matmul %x, %w : (tensor<?x4x!qa>, tensor<2x4x!qw>) -> tensor<?x2x!qo>
  return %r : tensor<?x2x!qo>
}

// -----

func.func @wide_qcast(%x: tensor<4xf32>) -> tensor<4x!quant.uniform<i32:f32, 0.5>> {
  // expected-error @+1 {{lowering supports quantizing to storage of at most 16 bits at run time, got 'i32'}}
  %q = quant.qcast %x : tensor<4xf32> to tensor<4x!quant.uniform<i32:f32, 0.5>>
  return %q : tensor<4x!quant.uniform<i32:f32, 0.5>>
}

// -----

// A 182x182 window of int16 offsets (|q - Z| <= 65534) can exceed the int32
// window sum: refused rather than wrapped.
!q = !quant.uniform<i16:f32, 0.5:0>
func.func @avg_pool_sum_overflow(%x: tensor<1x182x182x1x!q>) -> tensor<1x1x1x1x!q> {
  // expected-error @+1 {{window of 33124 elements of 'i16' could overflow the int32 window sum}}
  %a = intq.avg_pool2d %x {kernel = array<i64: 182, 182>, stride = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>} : tensor<1x182x182x1x!q> -> tensor<1x1x1x1x!q>
  return %a : tensor<1x1x1x1x!q>
}
