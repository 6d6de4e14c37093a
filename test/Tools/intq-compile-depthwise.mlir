// The depthwise kernel's vpdpwssd stay vpdpwssd: intq-compile turns off
// LLVM's X86 machine combiner, which splits each into vpmaddwd + vpaddd
// (twice the uops; the depthwise benchmarks ran 10-15 % slower). Given on
// the command line, LLVM's option wins.
// RUN: intq-compile %s --target=x86_64 --cpu=sapphirerapids --emit=asm -o - | FileCheck %s
// RUN: intq-compile %s --target=x86_64 --cpu=sapphirerapids --x86-machine-combiner=true --emit=asm -o - | FileCheck %s --check-prefix=SPLIT

// On AVX2 (znver3: --cpu=native on this project's AMD hosts) the stride-1
// kernel widens input rows once (vpmovsxbw into the ring of rows) and
// multiplies two taps per vpmaddwd, interleaved in-lane with vpunpcklwd /
// vpunpckhwd; no tap is widened to i32 lanes (vpmovsxbd) and there is no
// vpdpwssd.
// RUN: intq-compile %s --target=x86_64 --cpu=znver3 --emit=asm -o - | FileCheck %s --check-prefix=AVX2
// AVX2-LABEL: dw:
// AVX2-NOT: vpmovsxbd
// AVX2-NOT: vpdpwssd
// AVX2: vpmovsxbw
// AVX2-DAG: vpunpcklwd {{.*}}%ymm
// AVX2-DAG: vpunpckhwd {{.*}}%ymm
// AVX2-DAG: vpmaddwd {{.*}}%ymm
// AVX2-NOT: vpmovsxbd
// AVX2-NOT: vpdpwssd
// AVX2: .Lfunc_end

// CHECK-LABEL: dw:
// CHECK-NOT: vpmaddwd
// CHECK: vpdpwssd
// CHECK-NOT: vpmaddwd
// CHECK: .Lfunc_end
// SPLIT-LABEL: dw:
// SPLIT: vpmaddwd
!qa = !quant.uniform<i8:f32, 0.02:-7>
!qw = !quant.uniform<i8<-127:127>:f32, 0.01>
!qo = !quant.uniform<i8:f32, 0.5:3>
func.func @dw(%x: tensor<1x16x16x32x!qa>) -> tensor<1x16x16x32x!qo> {
  %w = intq.qconst dense<3> : tensor<32x3x3x1xi8> -> tensor<32x3x3x1x!qw>
  %r = intq.conv2d %x, %w {stride = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, dilation = array<i64: 1, 1>, groups = 32 : i64} : (tensor<1x16x16x32x!qa>, tensor<32x3x3x1x!qw>) -> tensor<1x16x16x32x!qo>
  return %r : tensor<1x16x16x32x!qo>
}
