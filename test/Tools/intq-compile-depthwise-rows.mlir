// Depthwise by whole kernel rows on x86 CPUs with AVX512-VBMI (intq-compile
// sets --intq-codegen's x86-vbmi from the CPU): the interior of a strided
// 3x3 depthwise conv over 32 channels (at stride 1 the pair ring is
// faster: test/Passes/codegen.mlir) multiplies each kernel row with one
// vpdpbusd on the bytes one vpermt2b (or vpermi2b) gathered from two
// 64-byte chunks of the row (or one vpermb where the taps lie in one
// chunk), 3 per 16 outputs; the chunks are loaded aligned, shared by the
// columns and channel blocks of a step. Without VBMI (Cascade Lake) the
// kernel multiplies tap by tap (vpdpwssd) and has no byte shuffle.
// RUN: intq-compile %s --target=x86_64 --cpu=sapphirerapids --mattr=-amx-int8 --emit=asm -o - | FileCheck %s --check-prefix=VBMI
// RUN: intq-compile %s --target=x86_64 --cpu=sapphirerapids --emit=asm -o - | FileCheck %s --check-prefix=VBMI
// RUN: intq-compile %s --target=x86_64 --cpu=cascadelake --emit=asm -o - | FileCheck %s --check-prefix=CLX

!qa = !quant.uniform<i8:f32, 0.02:-7>
!qw = !quant.uniform<i8<-127:127>:f32, 0.01>
!qo = !quant.uniform<i8:f32, 0.05:-128>

// VBMI-LABEL: dw32:
// VBMI: vpdpwssd
// VBMI: vperm{{t|i}}2b
// VBMI: vpdpbusd
// VBMI: .Lfunc_end
// CLX-LABEL: dw32:
// CLX-NOT: {{vpermt2b|vpermi2b|vpermb}}
// CLX-NOT: vpdpbusd
// CLX: vpdpwssd
// CLX-NOT: {{vpermt2b|vpermi2b|vpermb}}
// CLX: .Lfunc_end
func.func @dw32(%x: tensor<1x12x64x32x!qa>) -> tensor<1x6x32x32x!qo> {
  %w = intq.qconst dense<"0x0102FD04FB06F708090AF50C0D0EF1100102FD04FB06F708090AF50C0D0EF1100102FD04FB06F708090AF50C0D0EF1100102FD04FB06F708090AF50C0D0EF1100102FD04FB06F708090AF50C0D0EF1100102FD04FB06F708090AF50C0D0EF1100102FD04FB06F708090AF50C0D0EF1100102FD04FB06F708090AF50C0D0EF1100102FD04FB06F708090AF50C0D0EF1100102FD04FB06F708090AF50C0D0EF1100102FD04FB06F708090AF50C0D0EF1100102FD04FB06F708090AF50C0D0EF1100102FD04FB06F708090AF50C0D0EF1100102FD04FB06F708090AF50C0D0EF1100102FD04FB06F708090AF50C0D0EF1100102FD04FB06F708090AF50C0D0EF1100102FD04FB06F708090AF50C0D0EF1100102FD04FB06F708090AF50C0D0EF110"> : tensor<32x3x3x1xi8> -> tensor<32x3x3x1x!qw>
  %r = intq.conv2d %x, %w {stride = array<i64: 2, 2>, pad = array<i64: 1, 1, 1, 1>, dilation = array<i64: 1, 1>, groups = 32 : i64, clamp_min = 0.0 : f64} : (tensor<1x12x64x32x!qa>, tensor<32x3x3x1x!qw>) -> tensor<1x6x32x32x!qo>
  return %r : tensor<1x6x32x32x!qo>
}
