// The VNNI kernel's output stage with #intq.rounding<single> (every shift
// s >= 32): per 16 outputs two vpmuldq on lane pairs, the rounding terms
// (zero point folded in) added in 64 bits, the high halves gathered by one
// vpermt2d and shifted by s - 32 with vpsravd; then a saturating narrow
// of four vectors at a time (intq-compile-saturating-narrow.mlir) and a
// byte-wide max on the 64 bytes. The
// double rounding (gemmlowp) multiplies the accumulator biased by 2^31
// unsigned and adds its top bit (intq-compile-double-round.mlir).
// RUN: intq-compile %s --target=x86_64 --cpu=sapphirerapids --mattr=-amx-int8 --emit=asm -o - | FileCheck %s
// RUN: sed -e 's/, rounding = #intq.rounding<single>//' %s | intq-compile - --target=x86_64 --cpu=sapphirerapids --mattr=-amx-int8 --emit=asm -o - | FileCheck %s --check-prefix=DOUBLE
// AArch64 (sdot and i8mm kernels): sqdmulh (floor(x * M0 / 2^31)), then a
// rounding shift right by s - 31 (srshl): the nested floors compose into
// the single rounding; no 64-bit products.
// RUN: intq-compile %s --target=aarch64 --cpu=neoverse-v1 --emit=asm -o - | FileCheck %s --check-prefix=A64
// RUN: intq-compile %s --target=aarch64 --cpu=neoverse-n1 --emit=asm -o - | FileCheck %s --check-prefix=A64

// CHECK-LABEL: mm:
// CHECK: vpdpbusd
// CHECK-NOT: vpsrad $31
// CHECK: vpmuldq
// CHECK: vpermt2d
// CHECK: vpsravd
// CHECK: vpackssdw
// CHECK: vpacksswb
// CHECK: vpmaxsb %zmm
// CHECK-NOT: vpsrad $31
// CHECK: .Lfunc_end
// A64-LABEL: mm:
// A64-NOT: {{smull|smlal|sqrdmulh}}
// A64: sqdmulh v{{[0-9]+}}.4s
// A64: srshl v{{[0-9]+}}.4s
// A64-NOT: {{smull|smlal|sqrdmulh}}
// A64: .Lfunc_end
// DOUBLE-LABEL: mm:
// DOUBLE-NOT: vpmuldq
// DOUBLE: vpmuludq
// DOUBLE: vpsrld $31
// DOUBLE-NOT: vpmuldq
// DOUBLE: .Lfunc_end
!qa = !quant.uniform<i8:f32, 0.02:-7>
!qw = !quant.uniform<i8<-127:127>:f32, 0.01>
!qo = !quant.uniform<i8:f32, 0.5:3>
func.func @mm(%x: tensor<8x64x!qa>) -> tensor<8x64x!qo> {
  %w = intq.qconst dense<3> : tensor<64x64xi8> -> tensor<64x64x!qw>
  %r = intq.matmul %x, %w {clamp_min = 0.0 : f64, rounding = #intq.rounding<single>} : (tensor<8x64x!qa>, tensor<64x64x!qw>) -> tensor<8x64x!qo>
  return %r : tensor<8x64x!qo>
}
