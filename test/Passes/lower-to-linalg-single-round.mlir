// RUN: intq-opt %s -split-input-file --intq-lower-to-linalg --canonicalize | FileCheck %s

// #intq.rounding<single>: the output stage is one rounding of the exact
// product, floor((acc * M0 + 2^(s-1)) / 2^s) with s = 31 - shift, in i64;
// the zero point is added and the clamp applied before narrowing. M =
// 0.05 * 0.01 / 0.1 = 0.005 = 0.64 * 2^-7 (M0 = 1374389535, s = 38) and
// 0.01 = 0.64 * 2^-6 (s = 37).

!qa = !quant.uniform<i8:f32, 0.05:-3>
!qw = !quant.uniform<i8<-127:127>:f32:0, {0.01, 0.02}>
!qo = !quant.uniform<i8:f32, 0.1:2>

// CHECK-LABEL: func.func @matmul_single
// CHECK-DAG: %[[ONE:.+]] = arith.constant 1 : i64
// CHECK-DAG: %[[ZP:.+]] = arith.constant 2 : i64
// CHECK-DAG: %[[HI:.+]] = arith.constant 127 : i64
// CHECK-DAG: %[[S:.+]] = arith.constant dense<[38, 37]> : tensor<2xi32>
// CHECK-DAG: %[[M0:.+]] = arith.constant dense<1374389535> : tensor<2xi32>
// CHECK: linalg.generic {{.*}} ins(%{{.+}}, %{{.+}}, %[[M0]], %[[S]] :
// CHECK-NEXT: ^bb0(%[[ACC:.+]]: i32, %[[BIAS:.+]]: i32, %[[MUL:.+]]: i32, %[[SH:.+]]: i32, %{{.+}}: i8):
// CHECK-NEXT: %[[X:.+]] = arith.addi %[[ACC]], %[[BIAS]] : i32
// CHECK-NEXT: %[[S64:.+]] = arith.extsi %[[SH]] : i32 to i64
// CHECK-NEXT: %[[SM1:.+]] = arith.subi %[[S64]], %[[ONE]] : i64
// CHECK-NEXT: %[[ROUND:.+]] = arith.shli %[[ONE]], %[[SM1]] : i64
// CHECK-NEXT: %[[X64:.+]] = arith.extsi %[[X]] : i32 to i64
// CHECK-NEXT: %[[M64:.+]] = arith.extsi %[[MUL]] : i32 to i64
// CHECK-NEXT: %[[P:.+]] = arith.muli %[[X64]], %[[M64]] : i64
// CHECK-NEXT: %[[PR:.+]] = arith.addi %[[P]], %[[ROUND]] : i64
// CHECK-NEXT: %[[Q:.+]] = arith.shrsi %[[PR]], %[[S64]] : i64
// CHECK-NEXT: %[[QZ:.+]] = arith.addi %[[Q]], %[[ZP]] : i64
// CHECK-NEXT: %[[LO:.+]] = arith.maxsi %[[QZ]], %[[ZP]] : i64
// CHECK-NEXT: %[[C:.+]] = arith.minsi %[[LO]], %[[HI]] : i64
// CHECK-NEXT: %[[R:.+]] = arith.trunci %[[C]] : i64 to i8
// CHECK-NEXT: linalg.yield %[[R]] : i8
func.func @matmul_single(%a: tensor<3x4x!qa>) -> tensor<3x2x!qo> {
  %w = intq.qconst dense<[[1, -2, 3, 4], [5, 6, -7, 8]]> : tensor<2x4xi8> -> tensor<2x4x!qw>
  %r = intq.matmul %a, %w {clamp_min = 0.0 : f64, rounding = #intq.rounding<single>} : (tensor<3x4x!qa>, tensor<2x4x!qw>) -> tensor<3x2x!qo>
  return %r : tensor<3x2x!qo>
}

// -----

// M >= 1 (M = 0.5 * 0.5 / 0.01 = 25 = 0.78125 * 2^5): the left shift is
// part of the one shift, s = 31 - 5 = 26; no saturating left shift.
!qa = !quant.uniform<i8:f32, 0.5:0>
!qw = !quant.uniform<i8<-127:127>:f32, 0.5>
!qo = !quant.uniform<i8:f32, 0.01:0>

// CHECK-LABEL: func.func @conv_multiplier_above_one
// CHECK-DAG: arith.constant dense<26> : tensor<1xi32>
// CHECK-DAG: arith.constant dense<1677721600> : tensor<1xi32>
// CHECK-NOT: arith.shli %{{.+}} : i32
// CHECK: arith.shrsi %{{.+}} : i64
func.func @conv_multiplier_above_one(%x: tensor<1x2x2x1x!qa>) -> tensor<1x2x2x1x!qo> {
  %w = intq.qconst dense<1> : tensor<1x1x1x1xi8> -> tensor<1x1x1x1x!qw>
  %r = intq.conv2d %x, %w {stride = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, dilation = array<i64: 1, 1>, rounding = #intq.rounding<single>} : (tensor<1x2x2x1x!qa>, tensor<1x1x1x1x!qw>) -> tensor<1x2x2x1x!qo>
  return %r : tensor<1x2x2x1x!qo>
}
