// RUN: intq-opt %s -split-input-file | FileCheck %s
// RUN: intq-opt %s -split-input-file --mlir-print-op-generic | intq-opt -split-input-file | FileCheck %s

// The output stage rounding of intq.conv2d / intq.matmul: #intq.rounding<double>
// (gemmlowp, the default, not printed) or #intq.rounding<single>.

!qa = !quant.uniform<i8:f32, 0.05:-3>
!qw = !quant.uniform<i8<-127:127>:f32, 0.01>
!qo = !quant.uniform<i8:f32, 0.1:2>

// CHECK-LABEL: func.func @matmul
// CHECK: intq.matmul %{{.+}}, %{{.+}} {rounding = #intq.rounding<single>}
// CHECK: intq.matmul %{{.+}}, %{{.+}} :
func.func @matmul(%a: tensor<4x8x!qa>, %w: tensor<16x8x!qw>) -> (tensor<4x16x!qo>, tensor<4x16x!qo>) {
  %r = intq.matmul %a, %w {rounding = #intq.rounding<single>} : (tensor<4x8x!qa>, tensor<16x8x!qw>) -> tensor<4x16x!qo>
  %s = intq.matmul %a, %w {rounding = #intq.rounding<double>} : (tensor<4x8x!qa>, tensor<16x8x!qw>) -> tensor<4x16x!qo>
  return %r, %s : tensor<4x16x!qo>, tensor<4x16x!qo>
}

// -----

!qa = !quant.uniform<i8:f32, 0.05:-3>
!qw = !quant.uniform<i8<-127:127>:f32, 0.01>
!qo = !quant.uniform<i8:f32, 0.1:2>

// CHECK-LABEL: func.func @conv
// CHECK: intq.conv2d {{.*}}rounding = #intq.rounding<single>
func.func @conv(%x: tensor<1x4x4x2x!qa>, %w: tensor<3x1x1x2x!qw>) -> tensor<1x4x4x3x!qo> {
  %r = intq.conv2d %x, %w {stride = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, dilation = array<i64: 1, 1>, rounding = #intq.rounding<single>} : (tensor<1x4x4x2x!qa>, tensor<3x1x1x2x!qw>) -> tensor<1x4x4x3x!qo>
  return %r : tensor<1x4x4x3x!qo>
}
