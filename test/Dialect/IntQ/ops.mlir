// RUN: intq-opt %s -split-input-file | FileCheck %s
// Round trip: print, parse again, print the same.
// RUN: intq-opt %s -split-input-file | intq-opt -split-input-file | FileCheck %s
// Generic form round trip.
// RUN: intq-opt %s -split-input-file -mlir-print-op-generic | intq-opt -split-input-file | FileCheck %s

!qa = !quant.uniform<i8:f32, 0.05:-3>
!qw = !quant.uniform<i8<-127:127>:f32:0, {0.5, 0.25}>
!qb = !quant.uniform<i32:f32:0, {0.025, 0.0125}>
!qo = !quant.uniform<i8:f32, 0.1:-128>

// CHECK-LABEL: func.func @conv
// CHECK: %[[W:.+]] = intq.qconst dense<{{.*}}> : tensor<2x3x3x4xi8> -> tensor<2x3x3x4x!quant.uniform<i8<-127:127>:f32:0, {5.000000e-01,2.500000e-01}>>
// CHECK: %[[B:.+]] = intq.qconst dense<[10, -20]> : tensor<2xi32>
// CHECK: intq.conv2d %arg0, %[[W]], %[[B]] {clamp_max = 6.000000e+00 : f64, clamp_min = 0.000000e+00 : f64, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>}
// CHECK-SAME: -> tensor<1x8x8x2x!quant.uniform<i8:f32, 1.000000e-01:-128>>
func.func @conv(%x: tensor<1x8x8x4x!qa>) -> tensor<1x8x8x2x!qo> {
  %w = intq.qconst dense<1> : tensor<2x3x3x4xi8> -> tensor<2x3x3x4x!qw>
  %b = intq.qconst dense<[10, -20]> : tensor<2xi32> -> tensor<2x!qb>
  %r = intq.conv2d %x, %w, %b {stride = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, dilation = array<i64: 1, 1>, clamp_min = 0.0 : f64, clamp_max = 6.0 : f64}
      : (tensor<1x8x8x4x!qa>, tensor<2x3x3x4x!qw>, tensor<2x!qb>) -> tensor<1x8x8x2x!qo>
  return %r : tensor<1x8x8x2x!qo>
}

// -----

!qa = !quant.uniform<i8:f32, 0.05:-3>
!qw = !quant.uniform<i8<-127:127>:f32:0, {0.5, 0.25, 0.5, 0.25}>
!qo = !quant.uniform<i8:f32, 0.1:-128>

// Depthwise: groups = C, one filter (O = C) per input channel, no bias,
// stride 2 and dilation 2.
// CHECK-LABEL: func.func @depthwise
// CHECK: intq.conv2d %arg0, %{{.+}} {dilation = array<i64: 2, 2>, groups = 4 : i64, pad = array<i64: 0, 1, 0, 1>, stride = array<i64: 2, 2>}
func.func @depthwise(%x: tensor<1x9x9x4x!qa>) -> tensor<1x3x3x4x!qo> {
  %w = intq.qconst dense<1> : tensor<4x3x3x1xi8> -> tensor<4x3x3x1x!qw>
  %r = intq.conv2d %x, %w {stride = array<i64: 2, 2>, pad = array<i64: 0, 1, 0, 1>, dilation = array<i64: 2, 2>, groups = 4 : i64}
      : (tensor<1x9x9x4x!qa>, tensor<4x3x3x1x!qw>) -> tensor<1x3x3x4x!qo>
  return %r : tensor<1x3x3x4x!qo>
}

// -----

!qa = !quant.uniform<i8:f32, 0.5:0>
!qw = !quant.uniform<i8<-127:127>:f32, 0.25>
!qb = !quant.uniform<i32:f32, 0.125>
!qo = !quant.uniform<i8:f32, 1.0:5>

// Per-tensor weights, batched lhs.
// CHECK-LABEL: func.func @matmul
// CHECK: intq.matmul %arg0, %{{.+}}, %{{.+}} : (tensor<2x3x5x!quant.uniform<i8:f32, 5.000000e-01>>, tensor<7x5x!quant.uniform<i8<-127:127>:f32, 2.500000e-01>>, tensor<7x!quant.uniform<i32:f32, 1.250000e-01>>) -> tensor<2x3x7x!quant.uniform<i8:f32, 1.000000e+00:5>>
func.func @matmul(%x: tensor<2x3x5x!qa>) -> tensor<2x3x7x!qo> {
  %w = intq.qconst dense<3> : tensor<7x5xi8> -> tensor<7x5x!qw>
  %b = intq.qconst dense<0> : tensor<7xi32> -> tensor<7x!qb>
  %r = intq.matmul %x, %w, %b : (tensor<2x3x5x!qa>, tensor<7x5x!qw>, tensor<7x!qb>) -> tensor<2x3x7x!qo>
  return %r : tensor<2x3x7x!qo>
}

// -----

// CHECK-LABEL: func.func @requantize
// CHECK: intq.requantize %arg0 : tensor<4x!quant.uniform<i8:f32, 1.000000e-01:3>> -> tensor<4x!quant.uniform<i8:f32, 5.000000e-02:-10>>
func.func @requantize(%x: tensor<4x!quant.uniform<i8:f32, 0.1:3>>) -> tensor<4x!quant.uniform<i8:f32, 0.05:-10>> {
  %y = intq.requantize %x : tensor<4x!quant.uniform<i8:f32, 0.1:3>> -> tensor<4x!quant.uniform<i8:f32, 0.05:-10>>
  return %y : tensor<4x!quant.uniform<i8:f32, 0.05:-10>>
}

// -----

// CHECK-LABEL: func.func @stats
// CHECK: intq.stats %arg0 {max = 4.000000e+00 : f64, min = -1.500000e+00 : f64} : tensor<1x8x8x3xf32>
func.func @stats(%x: tensor<1x8x8x3xf32>) -> tensor<1x8x8x3xf32> {
  %y = intq.stats %x {min = -1.5 : f64, max = 4.0 : f64} : tensor<1x8x8x3xf32>
  return %y : tensor<1x8x8x3xf32>
}

// -----

// CHECK-LABEL: func.func @add
// CHECK: intq.add %arg0, %arg1 {clamp_min = 0.000000e+00 : f64} : (tensor<2x3x!quant.uniform<i8:f32, 5.000000e-02:-3>>, tensor<2x3x!quant.uniform<u8:f32, 1.000000e-01:10>>) -> tensor<2x3x!quant.uniform<i8:f32, 1.200000e-01:-20>>
func.func @add(%a: tensor<2x3x!quant.uniform<i8:f32, 0.05:-3>>, %b: tensor<2x3x!quant.uniform<u8:f32, 0.1:10>>) -> tensor<2x3x!quant.uniform<i8:f32, 0.12:-20>> {
  %y = intq.add %a, %b {clamp_min = 0.0 : f64} : (tensor<2x3x!quant.uniform<i8:f32, 0.05:-3>>, tensor<2x3x!quant.uniform<u8:f32, 0.1:10>>) -> tensor<2x3x!quant.uniform<i8:f32, 0.12:-20>>
  return %y : tensor<2x3x!quant.uniform<i8:f32, 0.12:-20>>
}

// -----

!q = !quant.uniform<i8:f32, 0.1:-3>
// CHECK-LABEL: func.func @pools
// CHECK: intq.max_pool2d %arg0 {kernel = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 2, 2>} : tensor<1x4x4x2x!quant.uniform<i8:f32, 1.000000e-01:-3>> -> tensor<1x2x2x2x!quant.uniform<i8:f32, 1.000000e-01:-3>>
// CHECK: intq.avg_pool2d %arg0 {kernel = array<i64: 3, 3>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>}
func.func @pools(%x: tensor<1x4x4x2x!q>) -> (tensor<1x2x2x2x!q>, tensor<1x4x4x2x!q>) {
  %m = intq.max_pool2d %x {kernel = array<i64: 2, 2>, stride = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>} : tensor<1x4x4x2x!q> -> tensor<1x2x2x2x!q>
  %a = intq.avg_pool2d %x {kernel = array<i64: 3, 3>, stride = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>} : tensor<1x4x4x2x!q> -> tensor<1x4x4x2x!q>
  return %m, %a : tensor<1x2x2x2x!q>, tensor<1x4x4x2x!q>
}
