// The x86 kernels' output stage narrows with saturation where the zero
// point rides in the rounding term: the result is clamped to the storage
// type's own range by the narrowing instructions themselves (on AVX-512 the
// packs of intq.x86.pack_bytes: vpackssdw, then vpacksswb for int8 or
// vpackuswb for uint8, four output vectors at a time), and only the part of
// [lo, hi] inside that range is applied, on the 64 packed bytes. Per 64
// outputs: ReLU with zero point -128 needs no min or max at all; a ReLU with
// another zero point, or ReLU6, one byte-wide max or min instead of four
// dword ones. With 4 blocks of 16 channels (64 outputs), one row's four
// vectors are packed together and stored with one 64-byte store. Where the
// double rounding adds the zero point after the rounding (a left shift:
// M >= 1), the i32 clamp stays before the packs; the single rounding's
// generic form (s < 32 there) adds it in i64 and narrows with vpmovsqb.
// RUN: intq-compile %s --target=x86_64 --cpu=sapphirerapids --mattr=-amx-int8 --emit=asm -o - | FileCheck %s --check-prefixes=CHECK,DOUBLE
// RUN: intq-compile %s --target=x86_64 --cpu=sapphirerapids --emit=asm -o - | FileCheck %s --check-prefixes=CHECK,DOUBLE
// RUN: sed -e 's/{clamp_min/{rounding = #intq.rounding<single>, clamp_min/' %s | intq-compile - --target=x86_64 --cpu=sapphirerapids --mattr=-amx-int8 --emit=asm -o - | FileCheck %s --check-prefixes=CHECK,SINGLE

!qa = !quant.uniform<i8:f32, 0.02:-7>
!qw = !quant.uniform<i8<-127:127>:f32, 0.01>

// ReLU into int8 with zero point -128: [lo, hi] is int8's whole range.
// CHECK-LABEL: relu_zp_min:
// CHECK-NOT: {{vpmaxs|vpmins|vpmov[us]*db}}
// CHECK: vpackssdw
// CHECK: vpacksswb
// CHECK: vperm{{[bd]}}
// CHECK-NEXT: vmovdqu64 %zmm
// CHECK-NOT: {{vpmaxs|vpmins|vpmov[us]*db}}
// CHECK: .Lfunc_end
!qr = !quant.uniform<i8:f32, 0.5:-128>
func.func @relu_zp_min(%x: tensor<8x64x!qa>) -> tensor<8x64x!qr> {
  %w = intq.qconst dense<3> : tensor<64x64xi8> -> tensor<64x64x!qw>
  %r = intq.matmul %x, %w {clamp_min = 0.0 : f64} : (tensor<8x64x!qa>, tensor<64x64x!qw>) -> tensor<8x64x!qr>
  return %r : tensor<8x64x!qr>
}

// ReLU with zero point 3: lo = 3, applied to the bytes.
// CHECK-LABEL: relu_zp3:
// CHECK-NOT: {{vpmaxsd|vpminsd|vpmov[us]*db}}
// CHECK: vpacksswb
// CHECK: vpmaxsb %zmm
// CHECK-NOT: {{vpmaxsd|vpminsd|vpmov[us]*db}}
// CHECK: .Lfunc_end
!q3 = !quant.uniform<i8:f32, 0.5:3>
func.func @relu_zp3(%x: tensor<8x64x!qa>) -> tensor<8x64x!q3> {
  %w = intq.qconst dense<3> : tensor<64x64xi8> -> tensor<64x64x!qw>
  %r = intq.matmul %x, %w {clamp_min = 0.0 : f64} : (tensor<8x64x!qa>, tensor<64x64x!qw>) -> tensor<8x64x!q3>
  return %r : tensor<8x64x!q3>
}

// ReLU6 with zero point -128: hi = 6 / 0.05 - 128 = -8, applied to the
// bytes.
// CHECK-LABEL: relu6:
// CHECK-NOT: {{vpmaxsd|vpminsd|vpmov[us]*db}}
// CHECK: vpacksswb
// CHECK: vpminsb %zmm
// CHECK-NOT: {{vpmaxsd|vpminsd|vpmov[us]*db}}
// CHECK: .Lfunc_end
!q6 = !quant.uniform<i8:f32, 0.05:-128>
func.func @relu6(%x: tensor<8x64x!qa>) -> tensor<8x64x!q6> {
  %w = intq.qconst dense<3> : tensor<64x64xi8> -> tensor<64x64x!qw>
  %r = intq.matmul %x, %w {clamp_min = 0.0 : f64, clamp_max = 6.0 : f64} : (tensor<8x64x!qa>, tensor<64x64x!qw>) -> tensor<8x64x!q6>
  return %r : tensor<8x64x!q6>
}

// uint8 output: vpackuswb saturates the signed words to [0, 255], so no
// max with 0 either (vpmovusdb, one vector at a time, needed one: it reads
// its input as unsigned).
// CHECK-LABEL: u8out:
// CHECK-NOT: {{vpmaxs|vpmins|vpmov[us]*db}}
// CHECK: vpackssdw
// CHECK: vpackuswb
// CHECK-NOT: {{vpmaxs|vpmins|vpmov[us]*db}}
// CHECK: .Lfunc_end
!qu = !quant.uniform<u8:f32, 0.5:0>
func.func @u8out(%x: tensor<8x64x!qa>) -> tensor<8x64x!qu> {
  %w = intq.qconst dense<3> : tensor<64x64xi8> -> tensor<64x64x!qw>
  %r = intq.matmul %x, %w {clamp_min = 0.0 : f64} : (tensor<8x64x!qa>, tensor<64x64x!qw>) -> tensor<8x64x!qu>
  return %r : tensor<8x64x!qu>
}

// M = 0.0002 / 0.0001 = 2 >= 1: the double rounding shifts left first
// and adds the zero point after the rounding: the dword clamp and the
// plain narrow stay.
// CHECK-LABEL: left_shift:
// DOUBLE: vpmaxsd
// DOUBLE: vpminsd
// DOUBLE: vpackssdw
// SINGLE-NOT: {{vpmaxsq|vpminsq|vpmovqb}}
// SINGLE: vpmovsqb
// SINGLE: vpmaxsb
// SINGLE-NOT: {{vpmaxsq|vpminsq|vpmovqb}}
// CHECK: .Lfunc_end
!qb = !quant.uniform<i8:f32, 0.0001:3>
func.func @left_shift(%x: tensor<8x64x!qa>) -> tensor<8x64x!qb> {
  %w = intq.qconst dense<3> : tensor<64x64xi8> -> tensor<64x64x!qw>
  %r = intq.matmul %x, %w {clamp_min = 0.0 : f64} : (tensor<8x64x!qa>, tensor<64x64x!qw>) -> tensor<8x64x!qb>
  return %r : tensor<8x64x!qb>
}
