// RUN: intq-opt %s -split-input-file --intq-quantize | FileCheck %s
// RUN: intq-opt %s -split-input-file --intq-quantize=rounding=single | FileCheck %s --check-prefix=SINGLE
// RUN: not intq-opt %s -split-input-file --intq-quantize=rounding=nearest 2>&1 | FileCheck %s --check-prefix=BAD
// BAD: error: --intq-quantize: rounding must be 'double' or 'single', got 'nearest'

!qx = !quant.uniform<i8:f32, 0.0078431372549019607:-1>
!qw = !quant.uniform<i8<-127:127>:f32:0, {0.003937007874015748,0.0078740157480314959,0.015748031496062992}>
!qb = !quant.uniform<i32:f32:0, {3.0878493129535278E-5,6.1756986259070556E-5,1.2351397251814111E-4}>
!qy = !quant.uniform<i8:f32, 0.023529411764705882:-128>

// conv + clamp between QDQ pairs becomes one intq.conv2d; the constants are
// quantized at compile time (ties to even: -0.25 / 0.003937 = -63.5 -> -64).
// CHECK-LABEL: func.func @conv_clamp
// CHECK-DAG: %[[B:.+]] = intq.qconst dense<[3239, 3239, -2429]> : tensor<3xi32>
// CHECK-DAG: %[[W:.+]] = intq.qconst dense<{{\[\[\[\[}}127, -64]]], {{\[\[\[}}127, 0]]], {{\[\[\[}}-127, 32]]]]> : tensor<3x1x1x2xi8>
// CHECK: %[[X:.+]] = quant.qcast %arg0
// CHECK: %[[Y:.+]] = intq.conv2d %[[X]], %[[W]], %[[B]] {clamp_max = 6.000000e+00 : f64, clamp_min = 0.000000e+00 : f64, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>}
// CHECK: %[[R:.+]] = quant.dcast %[[Y]]
// CHECK: return %[[R]]
// CHECK-NOT: tosa.
// rounding=single: the conv / matmul ops carry the attribute.
// SINGLE-LABEL: func.func @conv_clamp
// SINGLE: intq.conv2d {{.*}}rounding = #intq.rounding<single>
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

// -----

!qx = !quant.uniform<i8:f32, 0.0039215686274509803:-128>
!qw = !quant.uniform<i8<-127:127>:f32:2, {0.0078740157480314959,0.015748031496062992}>
!qy = !quant.uniform<i8:f32, 0.023529411764705882:-1>

// Depthwise: the KH x KW x C x 1 weights become C x KH x KW x 1 (OHWI),
// quantized along axis 0, with groups = C.
// CHECK-LABEL: func.func @depthwise
// CHECK: %[[W:.+]] = intq.qconst dense<{{\[\[\[\[}}127], [64]], {{\[\[}}64], [64]]], {{\[\[\[}}-127], [32]], {{\[\[}}32], [32]]]]> : tensor<2x2x2x1xi8> -> tensor<2x2x2x1x!quant.uniform<i8<-127:127>:f32:0, {0.0078740157480314959,0.015748031496062992}>>
// CHECK: intq.conv2d %{{.+}}, %[[W]] {dilation = array<i64: 1, 1>, groups = 2 : i64, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>}
// SINGLE-LABEL: func.func @depthwise
// SINGLE: intq.conv2d {{.*}}groups = 2 : i64, pad = array<i64: 0, 0, 0, 0>, rounding = #intq.rounding<single>
func.func @depthwise(%arg0: tensor<1x5x5x2xf32>) -> tensor<1x4x4x2xf32> {
  %0 = quant.qcast %arg0 : tensor<1x5x5x2xf32> to tensor<1x5x5x2x!qx>
  %1 = quant.dcast %0 : tensor<1x5x5x2x!qx> to tensor<1x5x5x2xf32>
  %w = "tosa.const"() <{values = dense<[[[[1.0], [-2.0]], [[0.5], [0.5]]], [[[0.5], [0.5]], [[0.5], [0.5]]]]> : tensor<2x2x2x1xf32>}> : () -> tensor<2x2x2x1xf32>
  %b = "tosa.const"() <{values = dense<0.0> : tensor<2xf32>}> : () -> tensor<2xf32>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %wq = quant.qcast %w : tensor<2x2x2x1xf32> to tensor<2x2x2x1x!qw>
  %wd = quant.dcast %wq : tensor<2x2x2x1x!qw> to tensor<2x2x2x1xf32>
  %y = tosa.depthwise_conv2d %1, %wd, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x5x5x2xf32>, tensor<2x2x2x1xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x2xf32>
  %yq = quant.qcast %y : tensor<1x4x4x2xf32> to tensor<1x4x4x2x!qy>
  %yd = quant.dcast %yq : tensor<1x4x4x2x!qy> to tensor<1x4x4x2xf32>
  return %yd : tensor<1x4x4x2xf32>
}

// -----

!qx = !quant.uniform<i8:f32, 0.015686274509803921:-64>
!qw = !quant.uniform<i8<-127:127>:f32:2, {0.023622047244094488,0.003937007874015748}>
!qb = !quant.uniform<i32:f32:2, {3.7054191755442334E-4,6.1756986259070556E-5}>
!qy = !quant.uniform<i8:f32, 0.078431372549019607:-1>

// Fully connected: matmul with 1 x K x N weights and the following bias add
// become intq.matmul with N x K weights.
// CHECK-LABEL: func.func @fully_connected
// SINGLE-LABEL: func.func @fully_connected
// SINGLE: intq.matmul {{.*}}{rounding = #intq.rounding<single>}
// CHECK-DAG: %[[B:.+]] = intq.qconst dense<[1349, -8096]> : tensor<2xi32> -> tensor<2x!quant.uniform<i32:f32:0, {3.7054191755442334E-4,6.1756986259070556E-5}>>
// CHECK-DAG: %[[W:.+]] = intq.qconst dense<{{\[\[}}42, -127, 85], [127, 0, 64]]> : tensor<2x3xi8> -> tensor<2x3x!quant.uniform<i8<-127:127>:f32:0, {0.023622047244094488,0.003937007874015748}>>
// CHECK: intq.matmul %{{.+}}, %[[W]], %[[B]] : (tensor<1x4x3x!quant.uniform<i8:f32, 0.015686274509803921:-64>>
func.func @fully_connected(%arg0: tensor<1x4x3xf32>) -> tensor<1x4x2xf32> {
  %0 = quant.qcast %arg0 : tensor<1x4x3xf32> to tensor<1x4x3x!qx>
  %1 = quant.dcast %0 : tensor<1x4x3x!qx> to tensor<1x4x3xf32>
  %2 = "tosa.const"() <{values = dense<[[[1.000000e+00, 5.000000e-01], [-3.000000e+00, 0.000000e+00], [2.000000e+00, 2.500000e-01]]]> : tensor<1x3x2xf32>}> : () -> tensor<1x3x2xf32>
  %3 = "tosa.const"() <{values = dense<[[[5.000000e-01, -5.000000e-01]]]> : tensor<1x1x2xf32>}> : () -> tensor<1x1x2xf32>
  %4 = "tosa.const"() <{values = dense<0.000000e+00> : tensor<1xf32>}> : () -> tensor<1xf32>
  %5 = quant.qcast %2 : tensor<1x3x2xf32> to tensor<1x3x2x!qw>
  %6 = quant.dcast %5 : tensor<1x3x2x!qw> to tensor<1x3x2xf32>
  %7 = tosa.matmul %1, %6, %4, %4 : (tensor<1x4x3xf32>, tensor<1x3x2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x2xf32>
  %8 = quant.qcast %3 : tensor<1x1x2xf32> to tensor<1x1x2x!qb>
  %9 = quant.dcast %8 : tensor<1x1x2x!qb> to tensor<1x1x2xf32>
  %10 = tosa.add %7, %9 : (tensor<1x4x2xf32>, tensor<1x1x2xf32>) -> tensor<1x4x2xf32>
  %11 = quant.qcast %10 : tensor<1x4x2xf32> to tensor<1x4x2x!qy>
  %12 = quant.dcast %11 : tensor<1x4x2x!qy> to tensor<1x4x2xf32>
  return %12 : tensor<1x4x2xf32>
}

// -----

!qx = !quant.uniform<i8:f32, 0.0078431372549019607:-1>
!qw = !quant.uniform<i8<-127:127>:f32:0, {0.5}>

// A compute op whose result is not quantized stays in float: its QDQ pairs
// stay (they are the quantization it simulates), the weights are quantized
// at compile time into an intq.qconst.
// CHECK-LABEL: func.func @float_island
// CHECK: %[[W:.+]] = intq.qconst dense<1> : tensor<1x1x1x1xi8>
// CHECK: %[[X:.+]] = quant.qcast %arg0
// CHECK: %[[XD:.+]] = quant.dcast %[[X]]
// CHECK: %[[WD:.+]] = quant.dcast %[[W]]
// CHECK: tosa.conv2d %[[XD]], %[[WD]]
func.func @float_island(%arg0: tensor<1x4x4x1xf32>) -> tensor<1x4x4x1xf32> {
  %0 = quant.qcast %arg0 : tensor<1x4x4x1xf32> to tensor<1x4x4x1x!qx>
  %1 = quant.dcast %0 : tensor<1x4x4x1x!qx> to tensor<1x4x4x1xf32>
  %w = "tosa.const"() <{values = dense<0.5> : tensor<1x1x1x1xf32>}> : () -> tensor<1x1x1x1xf32>
  %b = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %wq = quant.qcast %w : tensor<1x1x1x1xf32> to tensor<1x1x1x1x!qw>
  %wd = quant.dcast %wq : tensor<1x1x1x1x!qw> to tensor<1x1x1x1xf32>
  %y = tosa.conv2d %1, %wd, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x1xf32>, tensor<1x1x1x1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x1xf32>
  return %y : tensor<1x4x4x1xf32>
}

// -----

// qcast(dcast(x)): identity for the same type, intq.requantize otherwise.
// CHECK-LABEL: func.func @requantize
// CHECK-NEXT: %[[R:.+]] = intq.requantize %arg0 : tensor<4x!quant.uniform<i8:f32, 1.000000e-01:3>> -> tensor<4x!quant.uniform<i8:f32, 5.000000e-02:-10>>
// CHECK-NEXT: return %arg0, %[[R]]
func.func @requantize(%arg0: tensor<4x!quant.uniform<i8:f32, 0.1:3>>) -> (tensor<4x!quant.uniform<i8:f32, 0.1:3>>, tensor<4x!quant.uniform<i8:f32, 0.05:-10>>) {
  %0 = quant.dcast %arg0 : tensor<4x!quant.uniform<i8:f32, 0.1:3>> to tensor<4xf32>
  %1 = quant.qcast %0 : tensor<4xf32> to tensor<4x!quant.uniform<i8:f32, 0.1:3>>
  %2 = quant.qcast %0 : tensor<4xf32> to tensor<4x!quant.uniform<i8:f32, 0.05:-10>>
  return %1, %2 : tensor<4x!quant.uniform<i8:f32, 0.1:3>>, tensor<4x!quant.uniform<i8:f32, 0.05:-10>>
}

// -----

!qx = !quant.uniform<i8:f32, 0.0078431372549019607:-1>
!qw = !quant.uniform<i8<-127:127>:f32:0, {0.5}>
!qy = !quant.uniform<i8:f32, 0.02:-128>

// ReLU is a clamp to [0, FLT_MAX]: only the lower bound is fused.
// CHECK-LABEL: func.func @relu
// CHECK: intq.conv2d %{{.+}}, %{{.+}} {clamp_min = 0.000000e+00 : f64, dilation
// CHECK-NOT: clamp_max
func.func @relu(%arg0: tensor<1x4x4x1xf32>) -> tensor<1x4x4x1xf32> {
  %0 = quant.qcast %arg0 : tensor<1x4x4x1xf32> to tensor<1x4x4x1x!qx>
  %1 = quant.dcast %0 : tensor<1x4x4x1x!qx> to tensor<1x4x4x1xf32>
  %w = "tosa.const"() <{values = dense<0.5> : tensor<1x1x1x1xf32>}> : () -> tensor<1x1x1x1xf32>
  %b = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %wq = quant.qcast %w : tensor<1x1x1x1xf32> to tensor<1x1x1x1x!qw>
  %wd = quant.dcast %wq : tensor<1x1x1x1x!qw> to tensor<1x1x1x1xf32>
  %y = tosa.conv2d %1, %wd, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x1xf32>, tensor<1x1x1x1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x1xf32>
  %r = tosa.clamp %y {min_val = 0.0 : f32, max_val = 3.40282347e+38 : f32} : (tensor<1x4x4x1xf32>) -> tensor<1x4x4x1xf32>
  %rq = quant.qcast %r : tensor<1x4x4x1xf32> to tensor<1x4x4x1x!qy>
  %rd = quant.dcast %rq : tensor<1x4x4x1x!qy> to tensor<1x4x4x1xf32>
  return %rd : tensor<1x4x4x1xf32>
}

// -----

!qx = !quant.uniform<i8:f32, 0.023529411764705882:-128>
!qw = !quant.uniform<i8<-127:127>:f32:2, {9.8425196850393699E-4,9.8425196850393699E-4,9.8425196850393699E-4,9.8425196850393699E-4}>
!qb = !quant.uniform<i32:f32:1, {2.3158869847151459E-5,2.3158869847151459E-5,2.3158869847151459E-5,2.3158869847151459E-5}>
!qy = !quant.uniform<i8:f32, 0.054901960784313725:-92>

// The fully-connected sandwich: the reshapes move onto the quantized values
// (builtin tensor reshapes accept quantized element types; a reshape keeps
// the scale) and matmul + reshape + add become one intq.matmul.
// CHECK-LABEL: func.func @fc_sandwich
// CHECK-DAG: %[[B:.+]] = intq.qconst dense<[21590, -21590, 43180, 0]> : tensor<4xi32>
// CHECK-DAG: %[[W:.+]] = intq.qconst dense<127> : tensor<4x12xi8>
// CHECK: %[[X:.+]] = quant.qcast %arg0
// CHECK: %[[C:.+]] = tensor.collapse_shape %[[X]] {{\[\[}}0, 1, 2, 3]]
// CHECK: %[[E:.+]] = tensor.expand_shape %[[C]] {{\[\[}}0, 1, 2]] output_shape [1, 1, 12]
// CHECK: %[[M:.+]] = intq.matmul %[[E]], %[[W]], %[[B]] : {{.*}} -> tensor<1x1x4x!quant.uniform<i8:f32, 0.054901960784313725:-92>>
// CHECK: %[[C2:.+]] = tensor.collapse_shape %[[M]]
// CHECK: %[[E2:.+]] = tensor.expand_shape %[[C2]] {{\[\[}}0, 1]] output_shape [1, 4]
// CHECK: quant.dcast %[[E2]]
// CHECK-NOT: tosa.
func.func @fc_sandwich(%arg0: tensor<1x2x2x3xf32>) -> tensor<1x4xf32> {
  %0 = quant.qcast %arg0 : tensor<1x2x2x3xf32> to tensor<1x2x2x3x!qx>
  %1 = quant.dcast %0 : tensor<1x2x2x3x!qx> to tensor<1x2x2x3xf32>
  %s1 = tosa.const_shape {values = dense<[1, 1, 12]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %2 = tosa.reshape %1, %s1 : (tensor<1x2x2x3xf32>, !tosa.shape<3>) -> tensor<1x1x12xf32>
  %w = "tosa.const"() <{values = dense<1.250000e-01> : tensor<1x12x4xf32>}> : () -> tensor<1x12x4xf32>
  %wq = quant.qcast %w : tensor<1x12x4xf32> to tensor<1x12x4x!qw>
  %wd = quant.dcast %wq : tensor<1x12x4x!qw> to tensor<1x12x4xf32>
  %zp = "tosa.const"() <{values = dense<0.000000e+00> : tensor<1xf32>}> : () -> tensor<1xf32>
  %3 = tosa.matmul %2, %wd, %zp, %zp : (tensor<1x1x12xf32>, tensor<1x12x4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x4xf32>
  %s2 = tosa.const_shape {values = dense<[1, 4]> : tensor<2xindex>} : () -> !tosa.shape<2>
  %4 = tosa.reshape %3, %s2 : (tensor<1x1x4xf32>, !tosa.shape<2>) -> tensor<1x4xf32>
  %b = "tosa.const"() <{values = dense<[[5.000000e-01, -5.000000e-01, 1.000000e+00, 0.000000e+00]]> : tensor<1x4xf32>}> : () -> tensor<1x4xf32>
  %bq = quant.qcast %b : tensor<1x4xf32> to tensor<1x4x!qb>
  %bd = quant.dcast %bq : tensor<1x4x!qb> to tensor<1x4xf32>
  %5 = tosa.add %4, %bd : (tensor<1x4xf32>, tensor<1x4xf32>) -> tensor<1x4xf32>
  %6 = quant.qcast %5 : tensor<1x4xf32> to tensor<1x4x!qy>
  %7 = quant.dcast %6 : tensor<1x4x!qy> to tensor<1x4xf32>
  return %7 : tensor<1x4xf32>
}

// -----

!qa = !quant.uniform<i8:f32, 0.05:-3>
!qb = !quant.uniform<i8:f32, 0.1:10>
!qy = !quant.uniform<i8:f32, 0.12:-20>

// A residual add of two dequantized tensors, then ReLU, quantized: intq.add.
// CHECK-LABEL: func.func @residual
// CHECK: %[[Y:.+]] = intq.add %arg0, %arg1 {clamp_min = 0.000000e+00 : f64}
// CHECK-NEXT: return %[[Y]]
func.func @residual(%a: tensor<1x4x4x2x!qa>, %b: tensor<1x4x4x2x!qb>) -> tensor<1x4x4x2x!qy> {
  %da = quant.dcast %a : tensor<1x4x4x2x!qa> to tensor<1x4x4x2xf32>
  %db = quant.dcast %b : tensor<1x4x4x2x!qb> to tensor<1x4x4x2xf32>
  %s = tosa.add %da, %db : (tensor<1x4x4x2xf32>, tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32>
  %r = tosa.clamp %s {min_val = 0.0 : f32, max_val = 3.40282347e+38 : f32} : (tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32>
  %q = quant.qcast %r : tensor<1x4x4x2xf32> to tensor<1x4x4x2x!qy>
  return %q : tensor<1x4x4x2x!qy>
}

// -----

!qa = !quant.uniform<i8:f32, 0.1:-3>
!qb = !quant.uniform<i8:f32, 0.05:10>

// Pooling keeps the scale: intq pooling on the input's type, then a
// requantize when the annotated output type differs.
// CHECK-LABEL: func.func @pools
// CHECK: %[[M:.+]] = intq.max_pool2d %arg0 {{.*}} -> tensor<1x2x2x2x!quant.uniform<i8:f32, 1.000000e-01:-3>>
// CHECK: %[[A:.+]] = intq.avg_pool2d %arg0 {{.*}} -> tensor<1x2x2x2x!quant.uniform<i8:f32, 1.000000e-01:-3>>
// CHECK: %[[R:.+]] = intq.requantize %[[A]] {{.*}} -> tensor<1x2x2x2x!quant.uniform<i8:f32, 5.000000e-02:10>>
// CHECK: return %[[M]], %[[R]]
func.func @pools(%x: tensor<1x4x4x2x!qa>) -> (tensor<1x2x2x2x!qa>, tensor<1x2x2x2x!qb>) {
  %d = quant.dcast %x : tensor<1x4x4x2x!qa> to tensor<1x4x4x2xf32>
  %m = tosa.max_pool2d %d {kernel = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 2, 2>} : (tensor<1x4x4x2xf32>) -> tensor<1x2x2x2xf32>
  %mq = quant.qcast %m : tensor<1x2x2x2xf32> to tensor<1x2x2x2x!qa>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %d2 = quant.dcast %x : tensor<1x4x4x2x!qa> to tensor<1x4x4x2xf32>
  %a = tosa.avg_pool2d %d2, %zp, %zp {acc_type = f32, kernel = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 2, 2>} : (tensor<1x4x4x2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x2x2x2xf32>
  %aq = quant.qcast %a : tensor<1x2x2x2xf32> to tensor<1x2x2x2x!qb>
  return %mq, %aq : tensor<1x2x2x2x!qa>, tensor<1x2x2x2x!qb>
}

// -----

!qx = !quant.uniform<i8:f32, 0.0078431372549019607:-1>
!qw = !quant.uniform<i8<-127:127>:f32:0, {0.00787401574803149,0.00787401574803149,0.00787401574803149,0.00787401574803149}>
!qy = !quant.uniform<i8:f32, 0.023529411764705882:-1>

// A grouped convolution arrives as a dense one whose weights are zero
// outside the block-diagonal (TOSA has no groups): 2 groups of 2 input
// channels. The pass keeps only the blocks and sets groups = 2.
// CHECK-LABEL: func.func @block_diagonal_conv
// CHECK: %[[W:.+]] = intq.qconst dense<{{\[\[\[\[}}127, 64]]], {{\[\[\[}}-64, 32]]], {{\[\[\[}}127, -127]]], {{\[\[\[}}16, 0]]]]> : tensor<4x1x1x2xi8>
// CHECK: intq.conv2d %{{.+}}, %[[W]] {dilation = array<i64: 1, 1>, groups = 2 : i64, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>}
func.func @block_diagonal_conv(%arg0: tensor<1x3x3x4xf32>) -> tensor<1x3x3x4xf32> {
  %0 = quant.qcast %arg0 : tensor<1x3x3x4xf32> to tensor<1x3x3x4x!qx>
  %1 = quant.dcast %0 : tensor<1x3x3x4x!qx> to tensor<1x3x3x4xf32>
  %2 = "tosa.const"() <{values = dense<[[[[1.0, 0.5, 0.0, 0.0]]], [[[-0.5, 0.25, 0.0, 0.0]]], [[[0.0, 0.0, 1.0, -1.0]]], [[[0.0, 0.0, 0.125, 0.0]]]]> : tensor<4x1x1x4xf32>}> : () -> tensor<4x1x1x4xf32>
  %4 = "tosa.const"() <{values = dense<0.000000e+00> : tensor<1xf32>}> : () -> tensor<1xf32>
  %bias = "tosa.const"() <{values = dense<0.000000e+00> : tensor<4xf32>}> : () -> tensor<4xf32>
  %5 = quant.qcast %2 : tensor<4x1x1x4xf32> to tensor<4x1x1x4x!qw>
  %6 = quant.dcast %5 : tensor<4x1x1x4x!qw> to tensor<4x1x1x4xf32>
  %9 = tosa.conv2d %1, %6, %bias, %4, %4 {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x3x3x4xf32>, tensor<4x1x1x4xf32>, tensor<4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x3x3x4xf32>
  %11 = quant.qcast %9 : tensor<1x3x3x4xf32> to tensor<1x3x3x4x!qy>
  %12 = quant.dcast %11 : tensor<1x3x3x4x!qy> to tensor<1x3x3x4xf32>
  return %12 : tensor<1x3x3x4xf32>
}

// -----

!qx = !quant.uniform<i8:f32, 0.0078431372549019607:-1>
!qw = !quant.uniform<i8<-127:127>:f32, 0.00787401574803149>
!qy = !quant.uniform<i8:f32, 0.023529411764705882:-1>

// One nonzero weight outside the blocks: the convolution stays dense.
// CHECK-LABEL: func.func @almost_block_diagonal_conv
// CHECK: intq.qconst {{.+}} : tensor<2x1x1x2xi8>
// CHECK-NOT: groups
func.func @almost_block_diagonal_conv(%arg0: tensor<1x3x3x2xf32>) -> tensor<1x3x3x2xf32> {
  %0 = quant.qcast %arg0 : tensor<1x3x3x2xf32> to tensor<1x3x3x2x!qx>
  %1 = quant.dcast %0 : tensor<1x3x3x2x!qx> to tensor<1x3x3x2xf32>
  %2 = "tosa.const"() <{values = dense<[[[[1.0, 0.0]]], [[[0.01, 0.5]]]]> : tensor<2x1x1x2xf32>}> : () -> tensor<2x1x1x2xf32>
  %4 = "tosa.const"() <{values = dense<0.000000e+00> : tensor<1xf32>}> : () -> tensor<1xf32>
  %bias = "tosa.const"() <{values = dense<0.000000e+00> : tensor<2xf32>}> : () -> tensor<2xf32>
  %5 = quant.qcast %2 : tensor<2x1x1x2xf32> to tensor<2x1x1x2x!qw>
  %6 = quant.dcast %5 : tensor<2x1x1x2x!qw> to tensor<2x1x1x2xf32>
  %9 = tosa.conv2d %1, %6, %bias, %4, %4 {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x3x3x2xf32>, tensor<2x1x1x2xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x3x3x2xf32>
  %11 = quant.qcast %9 : tensor<1x3x3x2xf32> to tensor<1x3x3x2x!qy>
  %12 = quant.dcast %11 : tensor<1x3x3x2x!qy> to tensor<1x3x3x2xf32>
  return %12 : tensor<1x3x3x2xf32>
}

// -----

!qa = !quant.uniform<i8:f32, 0.02:-128>
!qb = !quant.uniform<i8:f32, 0.05:-128>

// Concat of quantized operands: tensor.concat of the int8 values; an operand
// whose scale differs from the result's is requantized first.
// CHECK-LABEL: func.func @concat
// CHECK: %[[B:.+]] = intq.requantize %{{.+}} : tensor<1x2x2x1x!quant.uniform<i8:f32, 5.000000e-02:-128>> -> tensor<1x2x2x1x!quant.uniform<i8:f32, 2.000000e-02:-128>>
// CHECK: tensor.concat dim(3) %{{.+}}, %[[B]] : (tensor<1x2x2x1x!quant.uniform<i8:f32, 2.000000e-02:-128>>, tensor<1x2x2x1x!quant.uniform<i8:f32, 2.000000e-02:-128>>) -> tensor<1x2x2x2x!quant.uniform<i8:f32, 2.000000e-02:-128>>
// CHECK-NOT: tosa.concat
func.func @concat(%arg0: tensor<1x2x2x1xf32>, %arg1: tensor<1x2x2x1xf32>) -> tensor<1x2x2x2xf32> {
  %0 = quant.qcast %arg0 : tensor<1x2x2x1xf32> to tensor<1x2x2x1x!qa>
  %1 = quant.dcast %0 : tensor<1x2x2x1x!qa> to tensor<1x2x2x1xf32>
  %2 = quant.qcast %arg1 : tensor<1x2x2x1xf32> to tensor<1x2x2x1x!qb>
  %3 = quant.dcast %2 : tensor<1x2x2x1x!qb> to tensor<1x2x2x1xf32>
  %4 = tosa.concat %1, %3 {axis = 3 : i32} : (tensor<1x2x2x1xf32>, tensor<1x2x2x1xf32>) -> tensor<1x2x2x2xf32>
  %5 = quant.qcast %4 : tensor<1x2x2x2xf32> to tensor<1x2x2x2x!qa>
  %6 = quant.dcast %5 : tensor<1x2x2x2x!qa> to tensor<1x2x2x2xf32>
  return %6 : tensor<1x2x2x2xf32>
}
