// RUN: intq-opt %s -split-input-file --intq-lower-to-linalg --canonicalize | FileCheck %s

// Padding holds the input zero point; the integer conv accumulates in i32;
// the weight-side zero-point term is folded into the bias at compile time:
// 40 = 10 - (-3) * (1 + 2 + 3 + 4), -26 = -20 - (-3) * (-1 + 0 + 5 - 6).
// M = 0.5 * 0.25 / 1 = 2^30 * 2^-31 * 2^-2 (right shift 2); ReLU clamps at
// the output zero point 5.
// CHECK-LABEL: func.func @conv
// CHECK-SAME: (%[[ARG:.+]]: tensor<1x3x3x1xi8>) -> tensor<1x3x3x2xi8>
// CHECK-DAG: %[[SHIFT:.+]] = arith.constant dense<[2, 1]> : tensor<2xi32>
// CHECK-DAG: %[[MULT:.+]] = arith.constant dense<1073741824> : tensor<2xi32>
// CHECK-DAG: %[[BIAS:.+]] = arith.constant dense<[40, -26]> : tensor<2xi32>
// CHECK-DAG: %[[W:.+]] = arith.constant dense<{{.*}}> : tensor<2x2x2x1xi8>
// CHECK-DAG: %[[ZP:.+]] = arith.constant -3 : i8
// CHECK: %[[FILL:.+]] = linalg.fill ins(%[[ZP]] : i8) outs(%{{.+}} : tensor<1x4x4x1xi8>)
// CHECK: %[[PAD:.+]] = tensor.insert_slice %[[ARG]] into %[[FILL]][0, 1, 0, 0] [1, 3, 3, 1] [1, 1, 1, 1]
// CHECK: %[[ACC:.+]] = linalg.conv_2d_nhwc_fhwc {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%[[PAD]], %[[W]] : tensor<1x4x4x1xi8>, tensor<2x2x2x1xi8>) outs(%{{.+}} : tensor<1x3x3x2xi32>)
// CHECK: linalg.generic
// CHECK-SAME: ins(%[[ACC]], %[[BIAS]], %[[MULT]], %[[SHIFT]] : tensor<1x3x3x2xi32>, tensor<2xi32>, tensor<2xi32>, tensor<2xi32>)
// CHECK-SAME: outs(%{{.+}} : tensor<1x3x3x2xi8>)
// CHECK: ^bb0(%[[A:.+]]: i32, %[[B:.+]]: i32, %[[M:.+]]: i32, %[[S:.+]]: i32, %{{.+}}: i8):
// CHECK: %[[X:.+]] = arith.addi %[[A]], %[[B]] : i32
// Saturating rounding doubling high multiply in 64 bits: for M0 >= 0 it is
// floor((x * M0 + 2^30) / 2^31).
// CHECK: %[[X64:.+]] = arith.extsi %[[X]] : i32 to i64
// CHECK: %[[M64:.+]] = arith.extsi %[[M]] : i32 to i64
// CHECK: %[[P:.+]] = arith.muli %[[X64]], %[[M64]] : i64
// CHECK: %[[SUM:.+]] = arith.addi %[[P]], %c1073741824_i64 : i64
// CHECK: %[[Q:.+]] = arith.shrsi %[[SUM]], %c31_i64 : i64
// CHECK: %[[HI:.+]] = arith.trunci %[[Q]] : i64 to i32
// Rounding divide by 2^shift, ties away from zero.
// CHECK: arith.shli %{{.+}}, %[[S]] : i32
// CHECK: arith.shrsi %[[HI]], %[[S]] : i32
// Clamp to [lo - zp, hi - zp] = [0, 122], then add the zero point 5: the
// sum cannot wrap.
// CHECK: arith.maxsi %{{.+}}, %c0_i32 : i32
// CHECK: arith.minsi %{{.+}}, %c122_i32 : i32
// CHECK: arith.addi %{{.+}}, %c5_i32 : i32
// CHECK: %[[OUT:.+]] = arith.trunci %{{.+}} : i32 to i8
// CHECK: linalg.yield %[[OUT]] : i8
!qa = !quant.uniform<i8:f32, 0.5:-3>
!qw = !quant.uniform<i8<-127:127>:f32:0, {0.25, 0.5}>
!qb = !quant.uniform<i32:f32:0, {0.125, 0.25}>
!qo = !quant.uniform<i8:f32, 1.0:5>
func.func @conv(%x: tensor<1x3x3x1x!qa>) -> tensor<1x3x3x2x!qo> {
  %w = intq.qconst dense<[[[[1], [2]], [[3], [4]]], [[[-1], [0]], [[5], [-6]]]]> : tensor<2x2x2x1xi8> -> tensor<2x2x2x1x!qw>
  %b = intq.qconst dense<[10, -20]> : tensor<2xi32> -> tensor<2x!qb>
  %r = intq.conv2d %x, %w, %b {stride = array<i64: 1, 1>, pad = array<i64: 1, 0, 0, 1>, dilation = array<i64: 1, 1>, clamp_min = 0.0 : f64}
      : (tensor<1x3x3x1x!qa>, tensor<2x2x2x1x!qw>, tensor<2x!qb>) -> tensor<1x3x3x2x!qo>
  return %r : tensor<1x3x3x2x!qo>
}

// -----

!qa = !quant.uniform<i8:f32, 0.5:-3>
!qw = !quant.uniform<i8<-127:127>:f32:0, {0.25, 0.5, 0.25, 0.5}>
!qo = !quant.uniform<i8:f32, 1.0:5>

// Depthwise with channel multiplier 2: OHWI weights (o = c * 2 + m) become
// the H x W x C x M constant of linalg.depthwise_conv_2d_nhwc_hwcm.
// CHECK-LABEL: func.func @depthwise
// CHECK-DAG: %[[BIAS:.+]] = arith.constant dense<[30, 78, 126, 174]> : tensor<4xi32>
// CHECK-DAG: %[[W:.+]] = arith.constant dense<{{\[\[\[\[}}1, 5], [9, 13]], {{\[\[}}2, 6], [10, 14]]], {{\[\[\[}}3, 7], [11, 15]], {{\[\[}}4, 8], [12, 16]]]]> : tensor<2x2x2x2xi8>
// CHECK: %[[DW:.+]] = linalg.depthwise_conv_2d_nhwc_hwcm {{.*}} ins(%arg0, %[[W]] : tensor<1x4x4x2xi8>, tensor<2x2x2x2xi8>) outs(%{{.+}} : tensor<1x3x3x2x2xi32>)
// CHECK: %[[ACC:.+]] = tensor.collapse_shape %[[DW]] {{\[\[}}0], [1], [2], [3, 4]] : tensor<1x3x3x2x2xi32> into tensor<1x3x3x4xi32>
// CHECK: linalg.generic {{.*}} ins(%[[ACC]], %[[BIAS]]
func.func @depthwise(%x: tensor<1x4x4x2x!qa>) -> tensor<1x3x3x4x!qo> {
  %w = intq.qconst dense<[[[[1], [2]], [[3], [4]]], [[[5], [6]], [[7], [8]]], [[[9], [10]], [[11], [12]]], [[[13], [14]], [[15], [16]]]]> : tensor<4x2x2x1xi8> -> tensor<4x2x2x1x!qw>
  %r = intq.conv2d %x, %w {stride = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, dilation = array<i64: 1, 1>, groups = 2 : i64}
      : (tensor<1x4x4x2x!qa>, tensor<4x2x2x1x!qw>) -> tensor<1x3x3x4x!qo>
  return %r : tensor<1x3x3x4x!qo>
}

// -----

!qa = !quant.uniform<i8:f32, 0.5:-3>
!qw = !quant.uniform<i8<-127:127>:f32:0, {0.25, 0.5, 0.25, 0.5}>
!qo = !quant.uniform<i8:f32, 1.0:5>

// Grouped convolution (1 < groups < C) through conv_2d_nhwgc_gfhwc.
// CHECK-LABEL: func.func @grouped
// CHECK: %[[IN:.+]] = tensor.expand_shape %arg0 {{\[\[}}0], [1], [2], [3, 4]] output_shape [1, 4, 4, 2, 2]
// CHECK: linalg.conv_2d_nhwgc_gfhwc {{.*}} ins(%[[IN]], %{{.+}} : tensor<1x4x4x2x2xi8>, tensor<2x2x2x2x2xi8>) outs(%{{.+}} : tensor<1x3x3x2x2xi32>)
// CHECK: tensor.collapse_shape
func.func @grouped(%x: tensor<1x4x4x4x!qa>) -> tensor<1x3x3x4x!qo> {
  %w = intq.qconst dense<1> : tensor<4x2x2x2xi8> -> tensor<4x2x2x2x!qw>
  %r = intq.conv2d %x, %w {stride = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, dilation = array<i64: 1, 1>, groups = 2 : i64}
      : (tensor<1x4x4x4x!qa>, tensor<4x2x2x2x!qw>) -> tensor<1x3x3x4x!qo>
  return %r : tensor<1x3x3x4x!qo>
}

// -----

!qa = !quant.uniform<i8:f32, 0.5:-3>
!qw = !quant.uniform<i8<-127:127>:f32:0, {0.25, 0.5, 0.25, 0.5}>
!qo = !quant.uniform<i8:f32, 1.0:5>

// Matmul: batch folded into M, i8 x i8 -> i32 contraction against N x K.
// CHECK-DAG: #[[LHS:.+]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-DAG: #[[RHS:.+]] = affine_map<(d0, d1, d2) -> (d1, d2)>
// CHECK-DAG: #[[OUT:.+]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-LABEL: func.func @matmul
// CHECK: %[[L:.+]] = tensor.collapse_shape %arg0 {{\[\[}}0, 1], [2]] : tensor<1x3x2xi8> into tensor<3x2xi8>
// CHECK: linalg.generic {indexing_maps = [#[[LHS]], #[[RHS]], #[[OUT]]], iterator_types = ["parallel", "parallel", "reduction"]} ins(%[[L]], %{{.+}} : tensor<3x2xi8>, tensor<4x2xi8>) outs(%{{.+}} : tensor<3x4xi32>)
// CHECK: arith.extsi %{{.+}} : i8 to i32
// CHECK: arith.extsi %{{.+}} : i8 to i32
// CHECK: arith.muli
// CHECK: arith.addi
// CHECK: tensor.expand_shape %{{.+}} {{\[\[}}0, 1], [2]] output_shape [1, 3, 4] : tensor<3x4xi8> into tensor<1x3x4xi8>
func.func @matmul(%x: tensor<1x3x2x!qa>) -> tensor<1x3x4x!qo> {
  %w = intq.qconst dense<1> : tensor<4x2xi8> -> tensor<4x2x!qw>
  %r = intq.matmul %x, %w : (tensor<1x3x2x!qa>, tensor<4x2x!qw>) -> tensor<1x3x4x!qo>
  return %r : tensor<1x3x4x!qo>
}

// -----

// quant.qcast: divide, clamp in float to [qmin - Z, qmax - Z] (NaN -> qmin),
// round half to even (the 1.5 * 2^23 trick: no libm), add the zero point,
// convert. quant.dcast: (q - Z) * S. The pair is never folded away.
// CHECK-LABEL: func.func @casts
// CHECK-DAG: %[[MAGIC:.+]] = arith.constant 0x4B400000 : f32
// CHECK-DAG: %[[LO:.+]] = arith.constant -1.250000e+02 : f32
// CHECK-DAG: %[[HI:.+]] = arith.constant 1.300000e+02 : f32
// CHECK: linalg.generic
// CHECK: %[[D:.+]] = arith.divf %{{.+}}, %{{.+}} : f32
// CHECK: %[[C1:.+]] = arith.maxnumf %[[D]], %[[LO]] : f32
// CHECK: %[[C2:.+]] = arith.minnumf %[[C1]], %[[HI]] : f32
// CHECK: %[[R1:.+]] = arith.addf %[[C2]], %[[MAGIC]] : f32
// CHECK: %[[R2:.+]] = arith.subf %[[R1]], %[[MAGIC]] : f32
// CHECK: %[[Z:.+]] = arith.addf %[[R2]], %{{.+}} : f32
// CHECK: arith.fptosi %[[Z]] : f32 to i32
// CHECK: linalg.generic
// CHECK: arith.extsi %{{.+}} : i8 to i32
// CHECK: arith.subi
// CHECK: arith.sitofp %{{.+}} : i32 to f32
// CHECK: arith.mulf
func.func @casts(%x: tensor<4xf32>) -> tensor<4xf32> {
  %q = quant.qcast %x : tensor<4xf32> to tensor<4x!quant.uniform<i8:f32, 0.5:-3>>
  %d = quant.dcast %q : tensor<4x!quant.uniform<i8:f32, 0.5:-3>> to tensor<4xf32>
  return %d : tensor<4xf32>
}

// -----

// Requantize with M = 0.5 / 0.125 = 4 >= 1: a saturating left shift first.
// CHECK-LABEL: func.func @requantize_up
// CHECK: linalg.generic
// CHECK: %[[X:.+]] = arith.extsi %{{.+}} : i8 to i32
// CHECK: arith.subi %[[X]], %c-3_i32
// CHECK: arith.shli %{{.+}}, %c3_i64 : i64
// CHECK: arith.maxsi %{{.+}}, %c-2147483648_i64 : i64
// CHECK: arith.minsi %{{.+}}, %c2147483647_i64 : i64
// CHECK: arith.addi %{{.+}}, %c7_i32
func.func @requantize_up(%x: tensor<4x!quant.uniform<i8:f32, 0.5:-3>>) -> tensor<4x!quant.uniform<i8:f32, 0.125:7>> {
  %r = intq.requantize %x : tensor<4x!quant.uniform<i8:f32, 0.5:-3>> -> tensor<4x!quant.uniform<i8:f32, 0.125:7>>
  return %r : tensor<4x!quant.uniform<i8:f32, 0.125:7>>
}

// -----

// Per-axis quant casts index their scale and zero point by the axis.
// CHECK-DAG: #[[ID:.+]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[AX:.+]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @per_axis
// CHECK: linalg.generic {indexing_maps = [#[[ID]], #[[AX]], #[[AX]], #[[ID]]]
func.func @per_axis(%x: tensor<3x2xf32>) -> tensor<3x2x!quant.uniform<i8:f32:1, {0.5:1, 0.25:-2}>> {
  %q = quant.qcast %x : tensor<3x2xf32> to tensor<3x2x!quant.uniform<i8:f32:1, {0.5:1, 0.25:-2}>>
  return %q : tensor<3x2x!quant.uniform<i8:f32:1, {0.5:1, 0.25:-2}>>
}

// -----

// Reshapes of quantized tensors become reshapes of their storage.
// CHECK-LABEL: func.func @reshape
// CHECK-SAME: (%[[A:.+]]: tensor<1x2x3xi8>) -> tensor<6x1xi8>
// CHECK: %[[C:.+]] = tensor.collapse_shape %[[A]] {{\[\[}}0, 1, 2]] : tensor<1x2x3xi8> into tensor<6xi8>
// CHECK: %[[E:.+]] = tensor.expand_shape %[[C]] {{\[\[}}0, 1]] output_shape [6, 1] : tensor<6xi8> into tensor<6x1xi8>
// CHECK: return %[[E]]
func.func @reshape(%x: tensor<1x2x3x!quant.uniform<i8:f32, 0.5:-3>>) -> tensor<6x1x!quant.uniform<i8:f32, 0.5:-3>> {
  %c = tensor.collapse_shape %x [[0, 1, 2]] : tensor<1x2x3x!quant.uniform<i8:f32, 0.5:-3>> into tensor<6x!quant.uniform<i8:f32, 0.5:-3>>
  %e = tensor.expand_shape %c [[0, 1]] output_shape [6, 1] : tensor<6x!quant.uniform<i8:f32, 0.5:-3>> into tensor<6x1x!quant.uniform<i8:f32, 0.5:-3>>
  return %e : tensor<6x1x!quant.uniform<i8:f32, 0.5:-3>>
}

// -----

!qa = !quant.uniform<u8:f32, 0.5:130>
!qw = !quant.uniform<i8<-127:127>:f32:0, {0.25, 0.5}>
!qo = !quant.uniform<u8:f32, 1.0:5>

// uint8 input: the sign bit is flipped (q - 128 as int8) and the zero
// point moves by -128 (130 -> 2): bias' = -2 * sum(w) = -2 * 2, -2 * 4.
// uint8 output: clamped to [0, 255] before narrowing.
// CHECK-LABEL: func.func @unsigned_input
// CHECK-DAG: %[[BIAS:.+]] = arith.constant dense<[-4, -8]> : tensor<2xi32>
// CHECK: linalg.generic
// CHECK: arith.xori %{{.+}}, %c-128_i8 : i8
// CHECK: linalg.conv_2d_nhwc_fhwc
// CHECK: linalg.generic {{.*}} ins(%{{.+}}, %[[BIAS]]
// CHECK: arith.maxsi %{{.+}}, %c0_i32 : i32
// CHECK: arith.minsi %{{.+}}, %c250_i32 : i32
// CHECK: arith.addi %{{.+}}, %c5_i32 : i32
func.func @unsigned_input(%x: tensor<1x4x4x2x!qa>) -> tensor<1x4x4x2x!qo> {
  %w = intq.qconst dense<[[[[1, 1]]], [[[2, 2]]]]> : tensor<2x1x1x2xi8> -> tensor<2x1x1x2x!qw>
  %r = intq.conv2d %x, %w {stride = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, dilation = array<i64: 1, 1>, clamp_min = 0.0 : f64}
      : (tensor<1x4x4x2x!qa>, tensor<2x1x1x2x!qw>) -> tensor<1x4x4x2x!qo>
  return %r : tensor<1x4x4x2x!qo>
}

// -----

// intq.add: offsets shifted left by 20, each rescaled by S / (2 max(S_a,
// S_b)) (0.25 -> M0 2^30, right shift 1; 0.5 -> right shift 0), summed,
// requantized by 2 max / (2^20 S_out).
// CHECK-LABEL: func.func @add
// CHECK: linalg.generic
// CHECK: arith.subi %{{.+}}, %c-3_i32
// CHECK: arith.shli %{{.+}}, %c20_i32
// CHECK: arith.subi %{{.+}}, %c10_i32
// CHECK: arith.shli %{{.+}}, %c20_i32
// CHECK: arith.addi
// CHECK: arith.addi %{{.+}}, %c-20_i32
func.func @add(%a: tensor<4x!quant.uniform<i8:f32, 0.05:-3>>, %b: tensor<4x!quant.uniform<i8:f32, 0.1:10>>) -> tensor<4x!quant.uniform<i8:f32, 0.12:-20>> {
  %y = intq.add %a, %b : (tensor<4x!quant.uniform<i8:f32, 0.05:-3>>, tensor<4x!quant.uniform<i8:f32, 0.1:10>>) -> tensor<4x!quant.uniform<i8:f32, 0.12:-20>>
  return %y : tensor<4x!quant.uniform<i8:f32, 0.12:-20>>
}

// -----

!qa = !quant.uniform<i8:f32, 1.0:-3>
!qw = !quant.uniform<i8<-8:7>:f32:0, {0.5, 0.25}>
!qb = !quant.uniform<i32:f32:0, {0.5, 0.25}>
!qo = !quant.uniform<i8:f32, 1.0:5>

// 4-bit weights ([-8, 7]) are stored packed, two per byte, low nibble
// first, and unpacked (shift up, arithmetic shift down) when the function
// runs: 8 weights in 4 bytes, e.g. 0x21 = (1, 2), 0xC5 = (5, -4).
// CHECK-LABEL: func.func @conv_4bit
// CHECK-DAG: %[[P:.+]] = arith.constant dense<[33, 67, 15, -59]> : tensor<4xi8>
// CHECK: %[[U:.+]] = linalg.generic {{.+}} outs(%{{.+}} : tensor<8xi8>)
// CHECK: linalg.index 0
// CHECK: tensor.extract %[[P]]
// CHECK: arith.shli
// CHECK: arith.shrsi
// CHECK: %[[W:.+]] = tensor.expand_shape %[[U]] {{.+}} into tensor<2x2x2x1xi8>
// CHECK: linalg.conv_2d_nhwc_fhwc {{.+}} ins(%{{.+}}, %[[W]] :
func.func @conv_4bit(%x: tensor<1x3x3x1x!qa>) -> tensor<1x2x2x2x!qo> {
  %w = intq.qconst dense<[[[[1], [2]], [[3], [4]]], [[[-1], [0]], [[5], [-4]]]]> : tensor<2x2x2x1xi8> -> tensor<2x2x2x1x!qw>
  %b = intq.qconst dense<[10, -20]> : tensor<2xi32> -> tensor<2x!qb>
  %r = intq.conv2d %x, %w, %b {stride = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, dilation = array<i64: 1, 1>}
       : (tensor<1x3x3x1x!qa>, tensor<2x2x2x1x!qw>, tensor<2x!qb>) -> tensor<1x2x2x2x!qo>
  return %r : tensor<1x2x2x2x!qo>
}

// -----

// int16 activations: the input is read as i16 (padding holds its zero point
// as i16). The accumulator bound max|q_in| * sum|q_w| + |bias| =
// 32767 * 6 + 10 fits int32, so the conv accumulates in i32 as for int8.
!qa = !quant.uniform<i16<-32767:32767>:f32, 0.001>
!qw = !quant.uniform<i8<-127:127>:f32:0, {0.25, 0.5}>
!qb = !quant.uniform<i32:f32:0, {0.00025, 0.0005}>
!qo = !quant.uniform<i16<-32767:32767>:f32, 0.002>
// CHECK-LABEL: func.func @conv_int16
// CHECK-SAME: (%[[ARG:.+]]: tensor<1x3x3x1xi16>) -> tensor<1x3x3x2xi16>
// CHECK: linalg.fill ins(%{{.+}} : i16) outs(%{{.+}} : tensor<1x4x4x1xi16>)
// CHECK: linalg.conv_2d_nhwc_fhwc {{.*}} ins(%{{.+}}, %{{.+}} : tensor<1x4x4x1xi16>, tensor<2x2x2x1xi8>) outs(%{{.+}} : tensor<1x3x3x2xi32>)
// CHECK: arith.minsi %{{.+}}, %c32767_i32 : i32
// CHECK: arith.trunci %{{.+}} : i32 to i16
func.func @conv_int16(%x: tensor<1x3x3x1x!qa>) -> tensor<1x3x3x2x!qo> {
  %w = intq.qconst dense<[[[[1], [2]], [[-3], [0]]], [[[-1], [0]], [[0], [1]]]]> : tensor<2x2x2x1xi8> -> tensor<2x2x2x1x!qw>
  %b = intq.qconst dense<[10, -2]> : tensor<2xi32> -> tensor<2x!qb>
  %r = intq.conv2d %x, %w, %b {stride = array<i64: 1, 1>, pad = array<i64: 1, 0, 0, 1>, dilation = array<i64: 1, 1>}
      : (tensor<1x3x3x1x!qa>, tensor<2x2x2x1x!qw>, tensor<2x!qb>) -> tensor<1x3x3x2x!qo>
  return %r : tensor<1x3x3x2x!qo>
}

// -----

// int16 x int8 over K = 600 with |q_w| = 127: the bound 32767 * 76200 =
// 2.5e9 exceeds int32, so the matmul accumulates in i64 (bias i64) and the
// output stage runs in i128 (x * M0 cannot overflow there).
!qa = !quant.uniform<i16<-32767:32767>:f32, 0.001>
!qw = !quant.uniform<i8<-127:127>:f32, 0.01>
!qo = !quant.uniform<i16<-32767:32767>:f32, 0.5>
// CHECK-LABEL: func.func @matmul_int16_wide
// CHECK: linalg.generic {{.*}} ins(%{{.+}}, %{{.+}} : tensor<2x600xi16>, tensor<3x600xi8>) outs(%{{.+}} : tensor<2x3xi64>)
// CHECK: arith.extsi %{{.+}} : i16 to i64
// CHECK: arith.extsi %{{.+}} : i8 to i64
// CHECK: linalg.generic
// CHECK-SAME: ins(%{{.+}}, %{{.+}}, %{{.+}}, %{{.+}} : tensor<2x3xi64>, tensor<3xi64>, tensor<3xi32>, tensor<3xi32>)
// CHECK: arith.addi %{{.+}}, %{{.+}} : i64
// CHECK: arith.extsi %{{.+}} : i64 to i128
// CHECK: arith.muli %{{.+}}, %{{.+}} : i128
// CHECK: arith.shrsi %{{.+}}, %{{.+}} : i128
// CHECK: arith.trunci %{{.+}} : i128 to i16
func.func @matmul_int16_wide(%x: tensor<2x600x!qa>) -> tensor<2x3x!qo> {
  %w = intq.qconst dense<127> : tensor<3x600xi8> -> tensor<3x600x!qw>
  %r = intq.matmul %x, %w : (tensor<2x600x!qa>, tensor<3x600x!qw>) -> tensor<2x3x!qo>
  return %r : tensor<2x3x!qo>
}

// -----

// The int8 boundary: |q_in| <= 128, q_w = 127, no bias. K = 132104 gives
// the bound 128 * 127 * 132104 = 2147482624 <= 2^31 - 1 (i32); one more
// term exceeds it and the accumulator widens to i64.
!qa = !quant.uniform<i8:f32, 0.01>
!qw = !quant.uniform<i8<-127:127>:f32, 0.01>
!qo = !quant.uniform<i8:f32, 1000.0>
// CHECK-LABEL: func.func @matmul_int8_last_i32
// CHECK: outs(%{{.+}} : tensor<1x1xi32>)
// CHECK-NOT: xi64>
// CHECK-LABEL: func.func @matmul_int8_first_i64
// CHECK: outs(%{{.+}} : tensor<1x1xi64>)
func.func @matmul_int8_last_i32(%x: tensor<1x132104x!qa>) -> tensor<1x1x!qo> {
  %w = intq.qconst dense<127> : tensor<1x132104xi8> -> tensor<1x132104x!qw>
  %r = intq.matmul %x, %w : (tensor<1x132104x!qa>, tensor<1x132104x!qw>) -> tensor<1x1x!qo>
  return %r : tensor<1x1x!qo>
}
func.func @matmul_int8_first_i64(%x: tensor<1x132105x!qa>) -> tensor<1x1x!qo> {
  %w = intq.qconst dense<127> : tensor<1x132105xi8> -> tensor<1x132105x!qw>
  %r = intq.matmul %x, %w : (tensor<1x132105x!qa>, tensor<1x132105x!qw>) -> tensor<1x1x!qo>
  return %r : tensor<1x1x!qo>
}
