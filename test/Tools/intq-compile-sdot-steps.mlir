// The AArch64 sdot kernels of convolutions whose C is a multiple of 4 but
// not of 16 (laneSegment in passes/Codegen.cpp): each kernel row's run of
// C x KW bytes is read in 16-byte loads whose 4-byte groups feed `sdot` by
// lane, as for matrices, instead of one `ld1r` broadcast per group of 4
// (which takes a vector-pipe slot on Neoverse V1). The same for an RGB
// stem (C = 3): each kernel row's 9 bytes padded to 12 in the reduction
// (ConvRows::group), one 16-byte load per row and kernel row feeding 3
// lanes. Checked in the assembly: the inner loops have lane-indexed
// `sdot`s and no `ld1r`.
// RUN: intq-compile %s --target=aarch64 --cpu=neoverse-n1 --emit=asm -o - | FileCheck %s
// RUN: intq-compile %s --target=aarch64 --cpu=neoverse-v1 --kernels=aarch64-dotprod --emit=asm -o - | FileCheck %s
!qa = !quant.uniform<i8:f32, 0.02:-7>
!qw = !quant.uniform<i8<-127:127>:f32, 0.01>
!qo = !quant.uniform<i8:f32, 0.5:3>
// CHECK-LABEL: conv3x3_c24:
// CHECK-NOT: ld1r
// CHECK: sdot v{{[0-9]+}}.4s, v{{[0-9]+}}.16b, v{{[0-9]+}}.4b[2]
// CHECK-NOT: ld1r
// CHECK: .size conv3x3_c24
func.func @conv3x3_c24(%x: tensor<1x8x8x24x!qa>) -> tensor<1x8x8x32x!qo> {
  %w = intq.qconst dense<5> : tensor<32x3x3x24xi8> -> tensor<32x3x3x24x!qw>
  %r = intq.conv2d %x, %w {stride = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, dilation = array<i64: 1, 1>} : (tensor<1x8x8x24x!qa>, tensor<32x3x3x24x!qw>) -> tensor<1x8x8x32x!qo>
  return %r : tensor<1x8x8x32x!qo>
}

// CHECK-LABEL: stem3x3_c3:
// CHECK-NOT: ld1r
// CHECK: sdot v{{[0-9]+}}.4s, v{{[0-9]+}}.16b, v{{[0-9]+}}.4b[2]
// CHECK-NOT: ld1r
// CHECK-NOT: .4b[3]
// CHECK: .size stem3x3_c3
func.func @stem3x3_c3(%x: tensor<1x16x16x3x!qa>) -> tensor<1x8x8x32x!qo> {
  %w = intq.qconst dense<7> : tensor<32x3x3x3xi8> -> tensor<32x3x3x3x!qw>
  %r = intq.conv2d %x, %w {stride = array<i64: 2, 2>, pad = array<i64: 1, 0, 1, 0>, dilation = array<i64: 1, 1>} : (tensor<1x16x16x3x!qa>, tensor<32x3x3x3x!qw>) -> tensor<1x8x8x32x!qo>
  return %r : tensor<1x8x8x32x!qo>
}
