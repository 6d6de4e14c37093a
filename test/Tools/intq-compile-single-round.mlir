// The VNNI kernel's output stage with #intq.rounding<single> (every shift
// s >= 32): per 16 outputs two vpmuldq on lane pairs, the rounding terms
// (zero point folded in) added in 64 bits, the high halves gathered by one
// vpermt2d and shifted by s - 32 with vpsravd; then a saturating narrow
// (intq-compile-saturating-narrow.mlir) and a byte-wide max. The
// double rounding (gemmlowp) also doubles the accumulator and adds its
// sign (intq-compile-double-round.mlir).
// RUN: intq-compile %s --target=x86_64 --cpu=sapphirerapids --mattr=-amx-int8 --emit=asm -o - | FileCheck %s
// RUN: sed -e 's/, rounding = #intq.rounding<single>//' %s | intq-compile - --target=x86_64 --cpu=sapphirerapids --mattr=-amx-int8 --emit=asm -o - | FileCheck %s --check-prefix=DOUBLE

// CHECK-LABEL: mm:
// CHECK: vpdpbusd
// CHECK-NOT: vpsrad $31
// CHECK: vpmuldq
// CHECK: vpermt2d
// CHECK: vpsravd
// CHECK: vpmovsdb
// CHECK-NEXT: vpmaxsb
// CHECK-NOT: vpsrad $31
// CHECK: .Lfunc_end
// DOUBLE-LABEL: mm:
// DOUBLE: vpmuldq
// DOUBLE: vpsrad $31
!qa = !quant.uniform<i8:f32, 0.02:-7>
!qw = !quant.uniform<i8<-127:127>:f32, 0.01>
!qo = !quant.uniform<i8:f32, 0.5:3>
func.func @mm(%x: tensor<8x64x!qa>) -> tensor<8x64x!qo> {
  %w = intq.qconst dense<3> : tensor<64x64xi8> -> tensor<64x64x!qw>
  %r = intq.matmul %x, %w {clamp_min = 0.0 : f64, rounding = #intq.rounding<single>} : (tensor<8x64x!qa>, tensor<64x64x!qw>) -> tensor<8x64x!qo>
  return %r : tensor<8x64x!qo>
}
