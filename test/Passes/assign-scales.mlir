// RUN: intq-opt %s -split-input-file --intq-assign-scales | FileCheck %s
// RUN: intq-opt %s -split-input-file --intq-assign-scales="per-channel=false" | FileCheck %s --check-prefix=TENSOR

// Activations get per-tensor asymmetric int8 with real 0 exactly
// representable; weights symmetric narrow-range int8 per output channel;
// the bias i32 with scale input x weight per channel and zero point 0.
// CHECK-LABEL: func.func @conv
// CHECK: %[[XQ:.+]] = quant.qcast %arg0 : tensor<1x4x4x2xf32> to tensor<1x4x4x2x!quant.uniform<i8:f32, 0.0078431372549019607:-1>>
// CHECK: %[[X:.+]] = quant.dcast %[[XQ]]
// CHECK: %[[WQ:.+]] = quant.qcast %{{.+}} : tensor<3x1x1x2xf32> to tensor<3x1x1x2x!quant.uniform<i8<-127:127>:f32:0, {0.003937007874015748,0.0078740157480314959,0.015748031496062992}>>
// CHECK: %[[W:.+]] = quant.dcast %[[WQ]]
// CHECK: %[[BQ:.+]] = quant.qcast %{{.+}} : tensor<3xf32> to tensor<3x!quant.uniform<i32:f32:0, {3.0878493129535278E-5,6.1756986259070556E-5,1.2351397251814111E-4}>>
// CHECK: %[[B:.+]] = quant.dcast %[[BQ]]
// CHECK: %[[Y:.+]] = tosa.conv2d %[[X]], %[[W]], %[[B]]
// CHECK: %[[R:.+]] = tosa.clamp %[[Y]]
// CHECK: %[[RQ:.+]] = quant.qcast %[[R]] : tensor<1x4x4x3xf32> to tensor<1x4x4x3x!quant.uniform<i8:f32, 0.023529411764705882:-128>>
// CHECK: %[[RD:.+]] = quant.dcast %[[RQ]]
// CHECK: return %[[RD]]
// CHECK-NOT: intq.stats
// TENSOR-LABEL: func.func @conv
// TENSOR: quant.qcast %{{.+}} : tensor<3x1x1x2xf32> to tensor<3x1x1x2x!quant.uniform<i8<-127:127>:f32, 0.015748031496062992>>
// TENSOR: quant.qcast %{{.+}} : tensor<3xf32> to tensor<3x!quant.uniform<i32:f32, 1.2351397251814111E-4>>
func.func @conv(%arg0: tensor<1x4x4x2xf32>) -> tensor<1x4x4x3xf32> {
  %x = intq.stats %arg0 {min = -1.0 : f64, max = 1.0 : f64} : tensor<1x4x4x2xf32>
  %w = "tosa.const"() {values = dense<[[[[0.5, -0.25]]], [[[1.0, 0.0]]], [[[-2.0, 0.5]]]]> : tensor<3x1x1x2xf32>} : () -> tensor<3x1x1x2xf32>
  %b = "tosa.const"() {values = dense<[0.1, 0.2, -0.3]> : tensor<3xf32>} : () -> tensor<3xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %y = tosa.conv2d %x, %w, %b, %zp, %zp {acc_type = f32, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>} : (tensor<1x4x4x2xf32>, tensor<3x1x1x2xf32>, tensor<3xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x3xf32>
  %r = tosa.clamp %y {min_val = 0.0 : f32, max_val = 6.0 : f32} : (tensor<1x4x4x3xf32>) -> tensor<1x4x4x3xf32>
  %z = intq.stats %r {min = 0.0 : f64, max = 6.0 : f64} : tensor<1x4x4x3xf32>
  return %z : tensor<1x4x4x3xf32>
}

// -----

// A per-channel constant added after the conv is folded into its bias.
// CHECK-LABEL: func.func @bias_add
// CHECK: %[[NB:.+]] = "tosa.const"() <{values = dense<[1.500000e+00, -5.000000e-01]> : tensor<2xf32>}>
// CHECK: quant.qcast %[[NB]] : tensor<2xf32> to tensor<2x!quant.uniform<i32:f32:0
// CHECK: tosa.conv2d
// CHECK-NOT: tosa.add
// CHECK: return
func.func @bias_add(%arg0: tensor<1x4x4x1xf32>) -> tensor<1x4x4x2xf32> {
  %x = intq.stats %arg0 {min = -1.0 : f64, max = 1.0 : f64} : tensor<1x4x4x1xf32>
  %w = "tosa.const"() {values = dense<[[[[0.5]]], [[[1.0]]]]> : tensor<2x1x1x1xf32>} : () -> tensor<2x1x1x1xf32>
  %b = "tosa.const"() {values = dense<[0.5, 0.5]> : tensor<2xf32>} : () -> tensor<2xf32>
  %c = "tosa.const"() {values = dense<[[[[1.0, -1.0]]]]> : tensor<1x1x1x2xf32>} : () -> tensor<1x1x1x2xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %y = tosa.conv2d %x, %w, %b, %zp, %zp {acc_type = f32, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>} : (tensor<1x4x4x1xf32>, tensor<2x1x1x1xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x2xf32>
  %a = tosa.add %y, %c : (tensor<1x4x4x2xf32>, tensor<1x1x1x2xf32>) -> tensor<1x4x4x2xf32>
  %z = intq.stats %a {min = -2.0 : f64, max = 2.0 : f64} : tensor<1x4x4x2xf32>
  return %z : tensor<1x4x4x2xf32>
}

// -----

// Depthwise weights (KH x KW x C x M, M = 1) are quantized along C (axis 2),
// which is the output channel.
// CHECK-LABEL: func.func @depthwise
// CHECK: quant.qcast %{{.+}} : tensor<3x3x2x1xf32> to tensor<3x3x2x1x!quant.uniform<i8<-127:127>:f32:2, {0.0078740157480314959,0.015748031496062992}>>
// CHECK: quant.qcast %{{.+}} : tensor<2xf32> to tensor<2x!quant.uniform<i32:f32:0,
// CHECK: tosa.depthwise_conv2d
func.func @depthwise(%arg0: tensor<1x5x5x2xf32>) -> tensor<1x3x3x2xf32> {
  %x = intq.stats %arg0 {min = 0.0 : f64, max = 1.0 : f64} : tensor<1x5x5x2xf32>
  %w = "tosa.const"() {values = dense<[[[[1.0], [-2.0]], [[0.5], [0.5]], [[0.5], [0.5]]], [[[0.5], [0.5]], [[0.5], [0.5]], [[0.5], [0.5]]], [[[0.5], [0.5]], [[0.5], [0.5]], [[0.5], [0.5]]]]> : tensor<3x3x2x1xf32>} : () -> tensor<3x3x2x1xf32>
  %b = "tosa.const"() {values = dense<[0.0, 0.1]> : tensor<2xf32>} : () -> tensor<2xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %y = tosa.depthwise_conv2d %x, %w, %b, %zp, %zp {acc_type = f32, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>} : (tensor<1x5x5x2xf32>, tensor<3x3x2x1xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x3x3x2xf32>
  %z = intq.stats %y {min = -3.0 : f64, max = 3.0 : f64} : tensor<1x3x3x2xf32>
  return %z : tensor<1x3x3x2xf32>
}

// -----

// The fully-connected form: tosa.matmul with constant 1 x K x N weights
// (quantized along N, axis 2) followed by the add of a 1 x 1 x N bias.
// CHECK-LABEL: func.func @fully_connected
// CHECK: quant.qcast %{{.+}} : tensor<1x3x2xf32> to tensor<1x3x2x!quant.uniform<i8<-127:127>:f32:2, {0.023622047244094488,0.003937007874015748}>>
// CHECK: %[[MM:.+]] = tosa.matmul
// CHECK: %[[BQ:.+]] = quant.qcast %{{.+}} : tensor<1x1x2xf32> to tensor<1x1x2x!quant.uniform<i32:f32:2,
// CHECK: %[[BD:.+]] = quant.dcast %[[BQ]]
// CHECK: tosa.add %[[MM]], %[[BD]]
func.func @fully_connected(%arg0: tensor<1x4x3xf32>) -> tensor<1x4x2xf32> {
  %x = intq.stats %arg0 {min = -1.0 : f64, max = 3.0 : f64} : tensor<1x4x3xf32>
  %w = "tosa.const"() {values = dense<[[[1.0, 0.5], [-3.0, 0.0], [2.0, 0.25]]]> : tensor<1x3x2xf32>} : () -> tensor<1x3x2xf32>
  %b = "tosa.const"() {values = dense<[[[0.5, -0.5]]]> : tensor<1x1x2xf32>} : () -> tensor<1x1x2xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %y = tosa.matmul %x, %w, %zp, %zp : (tensor<1x4x3xf32>, tensor<1x3x2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x2xf32>
  %a = tosa.add %y, %b : (tensor<1x4x2xf32>, tensor<1x1x2xf32>) -> tensor<1x4x2xf32>
  %z = intq.stats %a {min = -10.0 : f64, max = 10.0 : f64} : tensor<1x4x2xf32>
  return %z : tensor<1x4x2xf32>
}

// -----

// The fully-connected form frontends emit: reshape, 3-D matmul, reshape,
// add of a 1 x N bias. The input's scale is found through the reshape.
// CHECK-LABEL: func.func @fc_sandwich
// CHECK: quant.qcast %{{.+}} : tensor<1x12x4xf32> to tensor<1x12x4x!quant.uniform<i8<-127:127>:f32:2,
// CHECK: tosa.matmul
// CHECK: quant.qcast %{{.+}} : tensor<1x4xf32> to tensor<1x4x!quant.uniform<i32:f32:1, {2.3158869847151459E-5,
func.func @fc_sandwich(%arg0: tensor<1x2x2x3xf32>) -> tensor<1x4xf32> {
  %x = intq.stats %arg0 {min = 0.0 : f64, max = 6.0 : f64} : tensor<1x2x2x3xf32>
  %s1 = tosa.const_shape {values = dense<[1, 1, 12]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %x3 = tosa.reshape %x, %s1 : (tensor<1x2x2x3xf32>, !tosa.shape<3>) -> tensor<1x1x12xf32>
  %w = "tosa.const"() {values = dense<0.125> : tensor<1x12x4xf32>} : () -> tensor<1x12x4xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %y = tosa.matmul %x3, %w, %zp, %zp : (tensor<1x1x12xf32>, tensor<1x12x4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x4xf32>
  %s2 = tosa.const_shape {values = dense<[1, 4]> : tensor<2xindex>} : () -> !tosa.shape<2>
  %y2 = tosa.reshape %y, %s2 : (tensor<1x1x4xf32>, !tosa.shape<2>) -> tensor<1x4xf32>
  %b = "tosa.const"() {values = dense<[[0.5, -0.5, 1.0, 0.0]]> : tensor<1x4xf32>} : () -> tensor<1x4xf32>
  %a = tosa.add %y2, %b : (tensor<1x4xf32>, tensor<1x4xf32>) -> tensor<1x4xf32>
  %z = intq.stats %a {min = -2.0 : f64, max = 12.0 : f64} : tensor<1x4xf32>
  return %z : tensor<1x4xf32>
}
