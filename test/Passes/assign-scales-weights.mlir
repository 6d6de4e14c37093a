// Sub-8-bit weights, clusters and per-layer choices of --intq-assign-scales.
// RUN: intq-opt %s --intq-assign-scales="weight-bits=4" | FileCheck %s --check-prefix=W4
// RUN: intq-opt %s --intq-assign-scales="weight-bits=4 weight-cluster=2" | FileCheck %s --check-prefix=W4C2
// RUN: intq-opt %s --intq-assign-scales="weight-bits=7" | FileCheck %s --check-prefix=W7
// RUN: intq-opt %s --intq-assign-scales="weight-bits=2" | FileCheck %s --check-prefix=TERN
// RUN: intq-opt %s --intq-assign-scales="weight-bits=2 weight-cluster=2" | FileCheck %s --check-prefix=TERNC2
// RUN: intq-opt %s --intq-assign-scales="layer-weight-bits=conv1=4" | FileCheck %s --check-prefix=W4
// RUN: intq-opt %s --intq-assign-scales="keep-float=conv1" 2>&1 | FileCheck %s --check-prefix=KEEP
// RUN: intq-opt %s --intq-assign-scales="weight-bits=4 bias-correction=true" | FileCheck %s --check-prefix=BC
// RUN: intq-opt %s --intq-assign-scales="weight-bits=4" | FileCheck %s --check-prefix=NOBC
// Bad options: a clear error, never a silent default.
// RUN: not intq-opt %s --intq-assign-scales="keep-float=nope" 2>&1 | FileCheck %s --check-prefix=NOLAYER
// RUN: not intq-opt %s --intq-assign-scales="layer-weight-bits=conv9=4" 2>&1 | FileCheck %s --check-prefix=NOLAYER2
// RUN: not intq-opt %s --intq-assign-scales="layer-weight-bits=conv1" 2>&1 | FileCheck %s --check-prefix=BADENTRY
// RUN: not intq-opt %s --intq-assign-scales="weight-bits=3" 2>&1 | FileCheck %s --check-prefix=BADBITS
// RUN: not intq-opt %s --intq-assign-scales="weight-cluster=0" 2>&1 | FileCheck %s --check-prefix=BADCLUSTER
// Activation types: asymmetric uint8, symmetric int8.
// RUN: intq-opt %s --intq-assign-scales="activation-type=uint8" | FileCheck %s --check-prefix=U8
// RUN: intq-opt %s --intq-assign-scales="activation-type=int8-symmetric" | FileCheck %s --check-prefix=SYM
// RUN: intq-opt %s --intq-assign-scales="activation-type=int16" | FileCheck %s --check-prefix=I16
// RUN: not intq-opt %s --intq-assign-scales="activation-type=int4" 2>&1 | FileCheck %s --check-prefix=BADACT

// 4-bit: all 16 levels [-8, 7]; each channel's scale is max|w| over 7 or 8,
// clipped in steps of 2 %, whichever has the least squared error. Channel 0
// [0.7, 0]: 0.7 / 7 is exact. Channel 1 [1.0, 0.3]: 1/7 (clipping 1.0 costs
// more than 0.3 gains). Channel 3 [-0.4, 0.2]: 0.4 / 8 puts -0.4 at -8 and
// 0.2 at 4, both exact.
// W4-LABEL: func.func @conv
// W4: quant.qcast %{{.+}} : tensor<4x1x1x2xf32> to tensor<4x1x1x2x!quant.uniform<i8<-8:7>:f32:0, {0.099999998297010145,0.14285714285714285,0.071428571428571425,0.05000000074505806}>>

// 7-bit: symmetric [-63, 63], max|w| / 63 per channel (the weights the
// x86-avx2 kernels multiply with vpmaddubsw).
// W7-LABEL: func.func @conv
// W7: quant.qcast %{{.+}} : tensor<4x1x1x2xf32> to tensor<4x1x1x2x!quant.uniform<i8<-63:63>:f32:0, {0.01111111{{[0-9]*}},0.01587301{{[0-9]*}},0.00793650{{[0-9]*}},0.00634920{{[0-9]*}}}>>

// Clusters of 2 output channels share the scale chosen over both.
// W4C2: quant.qcast %{{.+}} : tensor<4x1x1x2xf32> to tensor<4x1x1x2x!quant.uniform<i8<-8:7>:f32:0, {0.14285714285714285,0.14285714285714285,0.068571428571428575,0.068571428571428575}>>

// Ternary: threshold 0.7 mean|w| per channel, scale the mean |w| above it;
// the weights are rewritten to {-a, 0, a} so that they quantize exactly.
// Channel 1 [1.0, 0.3]: threshold 0.455, a = 1.0, 0.3 -> 0.
// TERN: %[[T:.+]] = "tosa.const"() <{values = dense<{{\[\[\[\[}}0.699999988, 0.000000e+00]]], {{\[\[\[}}1.000000e+00, 0.000000e+00]]], {{\[\[\[}}5.000000e-01, 0.000000e+00]]], {{\[\[\[}}-4.000000e-01, 0.000000e+00]]]]>
// TERN: quant.qcast %[[T]] : tensor<4x1x1x2xf32> to tensor<4x1x1x2x!quant.uniform<i8<-1:1>:f32:0, {0.69999998807907104,1.000000e+00,5.000000e-01,0.40000000596046448}>>

// Ternary per cluster of 2: channels 0-1 threshold 0.35, a = 0.85.
// TERNC2: %[[T:.+]] = "tosa.const"() <{values = dense<{{\[\[\[\[}}8.500000e-01, 0.000000e+00]]], {{\[\[\[}}8.500000e-01, 0.000000e+00]]], {{\[\[\[}}4.500000e-01, 0.000000e+00]]], {{\[\[\[}}-4.500000e-01, 0.000000e+00]]]]>
// TERNC2: quant.qcast %[[T]] : tensor<4x1x1x2xf32> to tensor<4x1x1x2x!quant.uniform<i8<-1:1>:f32:0, {0.84999999403953552,0.84999999403953552,0.45000000298023224,0.45000000298023224}>>

// keep-float: the layer's weights stay float, its input and output keep
// their quant/dequant pairs.
// KEEP: remark: loc("conv1"): stays in float: listed in keep-float
// KEEP-LABEL: func.func @conv
// KEEP: quant.qcast %arg0
// KEEP-NOT: quant.qcast %{{.+}} : tensor<4x1x1x2xf32>
// KEEP: tosa.conv2d
// KEEP: quant.qcast

// Bias correction with the input's channel means [0.5, 2.0]: channel 1
// rounds 0.3 to 2/7 (error -1/70) -> bias + 2/70; channel 2 rounds -0.05 to
// -1/14 (error -3/140) -> bias + 6/140; channels 0 and 3 are exact.
// BC: %[[B:.+]] = "tosa.const"() <{values = dense<[0.000000e+00, {{0.02857[0-9]+}}, {{0.04285[0-9]+}}, 0.000000e+00]> : tensor<4xf32>}>
// BC: quant.qcast %[[B]]
// Off by default: the bias stays.
// NOBC-NOT: 0.02857

// The input range [-1, 2]: uint8 has zero point 85 (real 0 exact), scale
// 3/255; symmetric int8 covers [-2, 2] with zero point 0.
// U8: quant.qcast %arg0 : tensor<1x4x4x2xf32> to tensor<1x4x4x2x!quant.uniform<u8:f32, 0.011764705882352941:85>>
// SYM: quant.qcast %arg0 : tensor<1x4x4x2xf32> to tensor<1x4x4x2x!quant.uniform<i8<-127:127>:f32, 0.015748031496062992>>
// int16: symmetric narrow range, 2 / 32767; the bias scale is S_in * S_w
// (6.1037e-5 * 0.7 / 127 for channel 0).
// I16: quant.qcast %arg0 : tensor<1x4x4x2xf32> to tensor<1x4x4x2x!quant.uniform<i16<-32767:32767>:f32, 6.1037018951994385E-5>>
// I16: quant.qcast %{{.+}} : tensor<4x1x1x2xf32> to tensor<4x1x1x2x!quant.uniform<i8<-127:127>:f32:0,
// I16: quant.qcast %{{.+}} : tensor<4xf32> to tensor<4x!quant.uniform<i32:f32:0, {{.*}}3.36424{{[0-9]+}}E-7
// BADACT: error: activation-type must be int8, uint8, int8-symmetric or int16, got 'int4'

// NOLAYER: error: keep-float names 'nope', which is no quantizable layer of @conv (layers: conv1)
// NOLAYER2: error: layer-weight-bits names 'conv9', which is no quantizable layer of @conv (layers: conv1)
// BADENTRY: error: layer-weight-bits entry 'conv1' is not name=bits with bits 8, 7, 4 or 2
// BADBITS: error: weight-bits must be 8, 7, 4 or 2 (ternary), got 3
// BADCLUSTER: error: weight-cluster must be at least 1, got 0
func.func @conv(%arg0: tensor<1x4x4x2xf32>) -> tensor<1x4x4x4xf32> {
  %x = intq.stats %arg0 {min = -1.0 : f64, max = 2.0 : f64, channel_mean = array<f64: 0.5, 2.0>} : tensor<1x4x4x2xf32>
  %w = "tosa.const"() {values = dense<[[[[0.7, 0.0]]], [[[1.0, 0.3]]], [[[0.5, -0.05]]], [[[-0.4, 0.2]]]]> : tensor<4x1x1x2xf32>} : () -> tensor<4x1x1x2xf32>
  %b = "tosa.const"() {values = dense<0.0> : tensor<4xf32>} : () -> tensor<4xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %y = tosa.conv2d %x, %w, %b, %zp, %zp {acc_type = f32, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>} : (tensor<1x4x4x2xf32>, tensor<4x1x1x2xf32>, tensor<4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x4xf32> loc("conv1")
  %z = intq.stats %y {min = -2.0 : f64, max = 2.0 : f64} : tensor<1x4x4x4xf32>
  return %z : tensor<1x4x4x4xf32>
}
