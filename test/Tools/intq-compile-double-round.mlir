// The VNNI kernel's output stage with the default double (gemmlowp)
// rounding. Where every channel's right shift is at least 1 and the
// accumulator bound is under 2^30, both roundings fold into one step on
// lane pairs (QuantLowering.cpp, buildDoubleRoundPairedLanes) with
// unsigned products of the accumulator biased by 2^31 (the bias rides in
// its initial value; RequantParams::roundEven): per 16 outputs two
// vpmuludq by 2 M0 and two vpaddq of the rounding terms (zero point folded
// in), the high halves gathered by one vpermt2d, the accumulator's top bit
// added (vpsrld $31, vpaddd), one vpsravd; then the saturating narrow (the
// packs of intq.x86.pack_bytes, four vectors at a time). No doubling, no
// signed vpmuldq, no sign mask register (vpmovd2m) and no masked add.
// Where a channel has no right shift
// (M >= 0.5) the rounding doubling high multiply stays on its own:
// its bits 31..62 taken by a shift on the even lanes (vpsrlq) and a blend.
// On AArch64 (sdot and i8mm kernels) the double rounding is gemmlowp's NEON
// form: sqrdmulh, the -1 fixup of negative values (and + ssra), srshl by
// minus the right shift: no 64-bit products (smull / smlal).
// The AVX2 kernels (vpmaddwd) take the same unsigned products on ymm
// registers, the gather of the high halves a vpshufd and a vpblendd.
// RUN: intq-compile %s --target=x86_64 --cpu=sapphirerapids --mattr=-amx-int8 --emit=asm -o - | FileCheck %s
// RUN: intq-compile %s --target=x86_64 --cpu=haswell --emit=asm -o - | FileCheck %s --check-prefix=AVX2
// RUN: intq-compile %s --target=aarch64 --cpu=neoverse-v1 --emit=asm -o - | FileCheck %s --check-prefix=A64
// RUN: intq-compile %s --target=aarch64 --cpu=neoverse-n1 --emit=asm -o - | FileCheck %s --check-prefix=A64

!qa = !quant.uniform<i8:f32, 0.02:-7>
!qw = !quant.uniform<i8<-127:127>:f32, 0.01>

// M = 0.0002 / 0.5: right shift 11.
// CHECK-LABEL: one_step:
// CHECK: vpdpbusd
// CHECK-NOT: {{vpmovd2m|vpsrlq|vpmuldq|vpsrad}}
// CHECK: vpmuludq %zmm[[ACC:[0-9]+]], %zmm{{[0-9]+}}, %zmm{{[0-9]+}}
// CHECK: vpaddq
// CHECK: vpshufd $245, %zmm[[ACC]]
// CHECK: vpmuludq
// CHECK: vpermt2d
// CHECK: vpsrld $31, %zmm[[ACC]]
// CHECK: vpsravd
// CHECK: vpackssdw
// CHECK-NOT: {{vpmovd2m|vpsrlq|vpmuldq|vpsrad}}
// CHECK: .Lfunc_end
// AVX2-LABEL: one_step:
// AVX2-NOT: {{vpmuldq|vpsrad}}
// AVX2: vpmaddwd
// AVX2: vpmuludq {{.*}}%ymm
// AVX2: vpsrld $31
// AVX2: vpsravd
// AVX2-NOT: {{vpmuldq|vpsrad}}
// AVX2: .Lfunc_end
// A64-LABEL: one_step:
// A64-NOT: {{smull|smlal}}
// A64: sqrdmulh v{{[0-9]+}}.4s
// A64: and v{{[0-9]+}}.16b
// A64: ssra v{{[0-9]+}}.4s, v{{[0-9]+}}.4s, #31
// A64: srshl v{{[0-9]+}}.4s
// A64-NOT: {{smull|smlal}}
// A64: .Lfunc_end
!qo = !quant.uniform<i8:f32, 0.5:3>
func.func @one_step(%x: tensor<8x64x!qa>) -> tensor<8x64x!qo> {
  %w = intq.qconst dense<3> : tensor<64x64xi8> -> tensor<64x64x!qw>
  %r = intq.matmul %x, %w {clamp_min = 0.0 : f64} : (tensor<8x64x!qa>, tensor<64x64x!qw>) -> tensor<8x64x!qo>
  return %r : tensor<8x64x!qo>
}

// M = 0.0002 / 0.0003: right shift 0.
// CHECK-LABEL: no_right_shift:
// CHECK-NOT: vpermt2d
// CHECK: vpmuldq
// CHECK: vpsrlq $31
// CHECK-NOT: vpermt2d
// CHECK: .Lfunc_end
// A64-LABEL: no_right_shift:
// A64-NOT: smlal
// A64: sqrdmulh
// A64: .Lfunc_end
!qr = !quant.uniform<i8:f32, 0.0003:3>
func.func @no_right_shift(%x: tensor<8x64x!qa>) -> tensor<8x64x!qr> {
  %w = intq.qconst dense<3> : tensor<64x64xi8> -> tensor<64x64x!qw>
  %r = intq.matmul %x, %w {clamp_min = 0.0 : f64} : (tensor<8x64x!qa>, tensor<64x64x!qw>) -> tensor<8x64x!qr>
  return %r : tensor<8x64x!qr>
}
