// RUN: intq-opt %s -split-input-file --intq-codegen=target=x86-avx512vnni | FileCheck %s --check-prefix=VNNI
// RUN: intq-opt %s -split-input-file --intq-codegen=target=generic | FileCheck %s --check-prefix=GEN
// RUN: intq-opt %s -split-input-file --intq-codegen=target=x86-avx2 | FileCheck %s --check-prefix=AVX2
// RUN: intq-opt %s -split-input-file --intq-codegen=target=aarch64-dotprod | FileCheck %s --check-prefix=ARM
// RUN: intq-opt %s -split-input-file --intq-codegen=target=aarch64-i8mm | FileCheck %s --check-prefix=MMLA
// RUN: intq-opt %s -split-input-file --intq-codegen=target=x86-amx | FileCheck %s --check-prefix=AMX
// RUN: intq-opt %s -split-input-file --intq-codegen="target=x86-amx amx-im2col=0" | FileCheck %s --check-prefix=AMXNOCOL
// RUN: intq-opt %s -split-input-file --intq-codegen="target=x86-avx512vnni x86-vbmi=1 depthwise-ring=0" -cse | FileCheck %s --check-prefix=VBMI
// RUN: not intq-opt %s -split-input-file --intq-codegen=target=avx9 2>&1 | FileCheck %s --check-prefix=BAD

// 6 x 37 by 20 x 37: 4-row register blocks (the last block's rows past 5
// read and write row 5: no padded copies), one panel of two blocks of 16
// output channels (the second masked to 4), K padded to 40 with the x86
// kernels; the packed weights are [panel][K / 4][2 x 64]. The int8 input
// is read as u8 (sign bit flipped); the folded bias
// then includes -128 * sum(q_w): 10 - (-7 + 128) * (37 * 1) = -4467 for the
// all-ones weights of channel 0, -7 - 4477 for channel 1, 3 - 4477 after.
// The x86 AVX-512 kernels' accumulators also carry 2^31 (the output stage's
// unsigned products, RequantParams::roundEven): 2^31 - 4467 =
// 2147479181, 2147479164, 2147479174 (the padded channels 2^31).
!qa = !quant.uniform<i8:f32, 0.02:-7>
!qw = !quant.uniform<i8<-127:127>:f32, 0.01>
!qb = !quant.uniform<i32:f32, 0.0002>
!qo = !quant.uniform<i8:f32, 0.5:3>
// VNNI-LABEL: func.func @matmul
// VNNI: %[[X:.+]] = quant.scast %arg0 : tensor<6x37x!quant.uniform<i8:f32, 2.000000e-02:-7>> to tensor<6x37xi8>
// The sign bits flipped by one pass over the flat input, 64 bytes at a
// time (the last 30 masked), before the kernel:
// VNNI: arith.xori %{{.+}}, %{{.+}} : vector<64xi8>
// VNNI: arith.xori %{{.+}}, %{{.+}} : vector<64xi8>
// VNNI: %[[U8:.+]] = tensor.expand_shape %{{.+}} {{\[\[}}0, 1]] output_shape [6, 37] : tensor<222xi8> into tensor<6x37xi8>
// VNNI: %[[XP:.+]] = tensor.insert_slice %[[U8]] into %{{.+}}[0, 0] [6, 37] [1, 1] : tensor<6x37xi8> into tensor<6x40xi8>
// VNNI: %[[W:.+]] = arith.constant dense<{{.+}}> : tensor<1x10x128xi8>
// VNNI: %[[BIAS:.+]] = arith.constant dense<[2147479181, 2147479164, 2147479174,
// VNNI: scf.for %[[P:.+]] = %c0{{.*}} to %{{.+}} step %c1 iter_args
// VNNI: scf.for %[[M:.+]] = %c0{{.*}} to %c8 step %c4
// The accumulators start at the folded bias of their 16 channels.
// VNNI: %[[B0:.+]] = vector.transfer_read %[[BIAS]][%{{.+}}], %{{.+}} {in_bounds = [true]} : tensor<32xi32>, vector<16xi32>
// VNNI: %[[B1:.+]] = vector.transfer_read %[[BIAS]][%{{.+}}], %{{.+}} {in_bounds = [true]} : tensor<32xi32>, vector<16xi32>
// VNNI: scf.for %[[KB:.+]] = %c0{{.*}} to %c10 step %c1 iter_args(%{{.+}} = %[[B0]], %{{.+}} = %[[B1]], %{{.+}} = %[[B0]], %{{.+}} = %[[B1]], {{.*}}) -> (vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>)
// VNNI: vector.transfer_read %[[W]][%[[P]], %[[KB]], %{{.+}}], %{{.+}} {in_bounds = [true]} : tensor<1x10x128xi8>, vector<64xi8>
// VNNI: vector.transfer_read %[[W]][%[[P]], %[[KB]], %{{.+}}], %{{.+}} {in_bounds = [true]} : tensor<1x10x128xi8>, vector<64xi8>
// VNNI: %[[ROW:.+]] = arith.minui %{{.+}}, %c5{{.*}} : index
// VNNI: vector.transfer_read %[[XP]][%[[ROW]], %{{.+}}], %{{.+}} {in_bounds = [true]} : tensor<6x40xi8>, vector<4xi8>
// VNNI: vector.bitcast %{{.+}} : vector<4xi8> to vector<1xi32>
// VNNI-NOT: arith.xori
// VNNI: vector.broadcast %{{.+}} : i32 to vector<16xi32>
// VNNI: %[[A:.+]] = vector.bitcast %{{.+}} : vector<16xi32> to vector<64xi8>
// VNNI: intq.x86.vpdpbusd %{{.+}}, %[[A]], %{{.+}} : vector<64xi8> -> vector<16xi32>
// The epilogue on the registers: the gemmlowp arithmetic in one rounding
// step on 64-bit lane pairs (the biased accumulator's even and odd lanes,
// zero-extended, times 2 M0, plus their rounding terms, the zero point
// folded in; the high halves gathered by one shuffle), the accumulator's
// top bit added, the right shift; then four such vectors (2 rows x 2
// column blocks) narrowed with saturation to int8's range by one
// intq.x86.pack_bytes, with the ReLU (lo = 3) on the 64 bytes; each row's
// 32 bytes stored at once (masked to the 20 columns).
// VNNI: %[[EVEN:.+]] = vector.bitcast %[[ACC:.+]] : vector<16xi32> to vector<8xi64>
// VNNI: arith.andi %[[EVEN]], %{{.+}} : vector<8xi64>
// VNNI: arith.muli %{{.+}}, %{{.+}} : vector<8xi64>
// VNNI: vector.shuffle %[[ACC]], %[[ACC]] [1, 1, 3, 3, 5, 5, 7, 7, 9, 9, 11, 11, 13, 13, 15, 15] : vector<16xi32>, vector<16xi32>
// VNNI: arith.muli %{{.+}}, %{{.+}} : vector<8xi64>
// VNNI: vector.shuffle %{{.+}}, %{{.+}} [1, 17, 3, 19, 5, 21, 7, 23, 9, 25, 11, 27, 13, 29, 15, 31] : vector<16xi32>, vector<16xi32>
// VNNI: %[[TOP:.+]] = arith.shrui %[[ACC]], %{{.+}} : vector<16xi32>
// VNNI: %[[H:.+]] = arith.addi %{{.+}}, %[[TOP]] : vector<16xi32>
// VNNI: %[[R:.+]] = arith.shrsi %[[H]], %{{.+}} : vector<16xi32>
// VNNI-NOT: arith.minsi
// VNNI-NOT: arith.trunci
// VNNI: %[[P:.+]] = intq.x86.pack_bytes %[[R]], %{{.+}}, %{{.+}}, %{{.+}} : vector<16xi32> -> vector<64xi8>
// VNNI: %[[B:.+]] = arith.maxsi %[[P]], %{{.+}} : vector<64xi8>
// VNNI-DAG: %[[ROW1:.+]] = vector.extract_strided_slice %[[B]] {offsets = [32], sizes = [32], strides = [1]} : vector<64xi8> to vector<32xi8>
// VNNI-DAG: %[[ROW0:.+]] = vector.extract_strided_slice %[[B]] {offsets = [0], sizes = [32], strides = [1]} : vector<64xi8> to vector<32xi8>
// VNNI: %[[WROW:.+]] = arith.minui %{{.+}}, %c5{{.*}} : index
// VNNI: vector.transfer_write %[[ROW0]], %{{.+}}[%[[WROW]], %{{.+}}] : vector<32xi8>, tensor<6x20xi8>
// VNNI: vector.transfer_write %[[ROW1]], %{{.+}} : vector<32xi8>, tensor<6x20xi8>
// VNNI-NOT: tensor.extract_slice
// VNNI: quant.scast %{{.+}} : tensor<6x20xi8> to tensor<6x20x!quant.uniform<i8:f32, 5.000000e-01:3>>
// VNNI-NOT: intq.matmul
//
// The generic kernels read int8 as int8 (no sign flip), weights [block][k][16],
// one broadcast multiply-add per K; the bias is folded with the int8 zero
// point: 10 - (-7) * 37 = 269.
// GEN-LABEL: func.func @matmul
// GEN-NOT: arith.xori
// GEN: arith.constant dense<{{.+}}> : tensor<1x37x32xi8>
// GEN: arith.constant dense<[269, 252, 262,
// GEN: scf.for %{{.+}} = %c0 to %c37 step %c1
// GEN: tensor.extract %{{.+}} : tensor<6x37xi8>
// GEN: arith.extsi %{{.+}} : vector<16xi8> to vector<16xi32>
// GEN: arith.muli %{{.+}}, %{{.+}} : vector<16xi32>
// GEN: arith.muli %{{.+}}, %{{.+}} : vector<16xi64>
// GEN-NOT: intq.matmul
// AArch64 sdot: s8 x s8, so the int8 input is not flipped and the bias is
// folded with the int8 zero point (269 as for generic); K padded to 40 (20
// per iteration, laneSegment's fewest padded groups and loads: 16-byte
// loads per row at 0 and 4 feed 5 sdot steps through lane extracts);
// register blocks of 4 rows x 1 block of 16 outputs (two panels; the
// second row block's rows past 5 read and write row 5).
// ARM-LABEL: func.func @matmul
// ARM-NOT: arith.xori
// ARM: tensor.insert_slice %{{.+}} into %{{.+}}[0, 0] [6, 37] [1, 1] : tensor<6x37xi8> into tensor<6x40xi8>
// ARM: arith.constant dense<{{.+}}> : tensor<2x10x64xi8>
// ARM: arith.constant dense<[269, 252, 262,
// ARM: scf.for %{{.+}} = %c0 to %c2 step %c1 iter_args
// ARM: scf.for %{{.+}} = %c0 to %c8 step %c4
// ARM: scf.for %{{.+}} = %c0 to %c2{{.*}} step %c1 iter_args({{.*}}) -> (vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>)
// ARM: vector.transfer_read %{{.+}} : tensor<6x40xi8>, vector<16xi8>
// ARM: vector.bitcast %{{.+}} : vector<16xi8> to vector<4xi32>
// ARM: vector.extract %{{.+}}[0] : i32 from vector<4xi32>
// ARM-COUNT-20: intq.aarch64.sdot %{{.+}}, %{{.+}}, %{{.+}} : vector<64xi8> -> vector<16xi32>
// ARM-NOT: intq.aarch64.sdot
// ARM: scf.yield
// The output stage in gemmlowp's NEON form: sqrdmulh, the fixup of
// negative values where the right shift is positive ((h & -right) >> 31),
// srshl by -right (the per-channel constant holds -right).
// ARM: %[[H:.+]] = intq.aarch64.sqrdmulh %{{.+}}, %{{.+}} : vector<16xi32>
// ARM: %[[F:.+]] = arith.andi %[[H]], %[[NEG:.+]] : vector<16xi32>
// ARM: %[[S:.+]] = arith.shrsi %[[F]], %{{.+}} : vector<16xi32>
// ARM: %[[X:.+]] = arith.addi %[[H]], %[[S]] : vector<16xi32>
// ARM: intq.aarch64.srshl %[[X]], %[[NEG]] : vector<16xi32>
// ARM-NOT: intq.matmul
// AArch64 i8mm: smmla tiles (2 rows x 2 channels, K by 8): rows padded to 8
// (blocks of 4), K to 40; weights [block of 16][K / 8][8 column pairs x 16
// bytes]. Two panels of 16 channels: the row pairs are packed once, before
// the kernel loops, into [4 pairs][5 K blocks][16 bytes] (8 bytes of each
// row); the accumulators start at the bias arranged as tiles; each step
// loads one packed operand per row pair and issues 16 smmla; after the
// reduction one shuffle per row gathers its 16 channels.
// MMLA-LABEL: func.func @matmul
// MMLA-NOT: arith.xori
// MMLA: %[[XP:.+]] = tensor.insert_slice %{{.+}} into %{{.+}}[0, 0] [6, 37] [1, 1] : tensor<6x37xi8> into tensor<8x40xi8>
// MMLA: %[[W:.+]] = arith.constant dense<{{.+}}> : tensor<2x5x128xi8>
// MMLA: arith.constant dense<[269, 252, 262,
// MMLA: %[[PACK0:.+]] = tensor.empty() : tensor<4x5x16xi8>
// MMLA: %[[PACKED:.+]] = scf.for %{{.+}} = %c0 to %c4 step %c1 iter_args(%{{.+}} = %[[PACK0]]) -> (tensor<4x5x16xi8>)
// MMLA: scf.for %{{.+}} = %c0 to %c5 step %c1
// MMLA: %[[R0:.+]] = vector.transfer_read %[[XP]]{{.+}} : tensor<8x40xi8>, vector<8xi8>
// MMLA: %[[R1:.+]] = vector.transfer_read %[[XP]]{{.+}} : tensor<8x40xi8>, vector<8xi8>
// MMLA: %[[A:.+]] = vector.shuffle %[[R0]], %[[R1]] [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15] : vector<8xi8>, vector<8xi8>
// MMLA: vector.transfer_write %[[A]], %{{.+}} : vector<16xi8>, tensor<4x5x16xi8>
// MMLA: scf.for %{{.+}} = %{{.+}} to %c2 step
// MMLA: scf.for %{{.+}} = %{{.+}} to %c8 step %{{.+}}
// MMLA: %[[B:.+]] = vector.transfer_read %{{.+}} : tensor<32xi32>, vector<16xi32>
// MMLA: vector.shuffle %[[B]], %[[B]] [0, 1, 0, 1, 2, 3, 2, 3, 4, 5, 4, 5, 6, 7, 6, 7] : vector<16xi32>, vector<16xi32>
// MMLA: vector.shuffle %[[B]], %[[B]] [8, 9, 8, 9, 10, 11, 10, 11, 12, 13, 12, 13, 14, 15, 14, 15] : vector<16xi32>, vector<16xi32>
// MMLA: scf.for %{{.+}} = %{{.+}} to %c5 step %{{.+}} iter_args({{.*}}) -> (vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>)
// MMLA-COUNT-8: vector.transfer_read %[[W]]{{.+}} : tensor<2x5x128xi8>, vector<16xi8>
// MMLA-NOT: vector<8xi8>
// MMLA: %[[PA:.+]] = vector.transfer_read %[[PACKED]]{{.+}} : tensor<4x5x16xi8>, vector<16xi8>
// MMLA: intq.aarch64.smmla %{{.+}}, %[[PA]], %{{.+}} : vector<16xi8> -> vector<4xi32>
// MMLA-COUNT-7: intq.aarch64.smmla %{{.+}}, %[[PA]],
// MMLA: %[[PB:.+]] = vector.transfer_read %[[PACKED]]{{.+}} : tensor<4x5x16xi8>, vector<16xi8>
// MMLA-COUNT-8: intq.aarch64.smmla %{{.+}}, %[[PB]],
// MMLA: vector.shuffle %{{.+}}, %{{.+}} [0, 1, 4, 5, 8, 9, 12, 13, 16, 17, 20, 21, 24, 25, 28, 29] : vector<16xi32>, vector<16xi32>
// MMLA: vector.shuffle %{{.+}}, %{{.+}} [2, 3, 6, 7, 10, 11, 14, 15, 18, 19, 22, 23, 26, 27, 30, 31] : vector<16xi32>, vector<16xi32>
// MMLA: intq.aarch64.sqrdmulh
// MMLA: intq.aarch64.srshl
// MMLA: vector.transfer_write %{{.+}} : vector<16xi8>, tensor<8x32xi8>
// MMLA-NOT: intq.matmul
// The x86 AMX kernels pad the input to 32 x 64 multiples and pack it tile by
// tile (each 16 x 64 tile 1 KiB contiguous), read it by tile loads through
// that buffer; 2 x 2 accumulator tiles over K by 64 (two activation and two
// weight tiles per step, tdpbssd for int8), stored to a scratch on the
// stack with room for two blocks (the epilogue of block i runs in block
// i + 1's K loop; the last block's after the loop), then the AVX-512
// epilogue per 16 channels.
// AMX-LABEL: func.func @matmul
// AMX: %[[SCRATCH:.+]] = memref.alloca() {alignment = 64 : i64} : memref<64x32xi32>
// The activations, not whole tiles, are copied into a fresh zero-padded
// buffer (never a tensor's buffer, which bufferization could give to the
// output too).
// AMX: %[[XIN:.+]] = bufferization.to_buffer %{{.+}} read_only : tensor<6x37xi8> to memref<6x37xi8>
// AMX: %[[X:.+]] = memref.alloc() {alignment = 64 : i64} : memref<32x64xi8>
// AMX: linalg.fill ins(%{{.+}} : i8) outs(%[[X]] : memref<32x64xi8>)
// AMX: %[[SUB:.+]] = memref.subview %[[X]][0, 0] [6, 37] [1, 1]
// AMX: memref.copy %[[XIN]], %[[SUB]]
// AMX: %[[W:.+]] = bufferization.to_buffer %{{.+}} read_only : tensor<32x64xi8> to memref<32x64xi8>
// AMX-COUNT-4: amx.tile_zero : !amx.tile<16x16xi32>
// AMX: scf.for {{.+}} -> (!amx.tile<16x16xi32>, !amx.tile<16x16xi32>, !amx.tile<16x16xi32>, !amx.tile<16x16xi32>, tensor<32x32xi8>)
// AMX-COUNT-2: amx.tile_load %[[X]][%{{.+}}, %{{.+}}] : memref<32x64xi8> into !amx.tile<16x64xi8>
// The weights stream past the block's rows: marked for tileloaddt1.
// AMX-COUNT-2: amx.tile_load %[[W]][%{{.+}}, %{{.+}}] {intq.stream} : memref<32x64xi8> into !amx.tile<16x64xi8>
// AMX-COUNT-4: amx.tile_muli %{{.+}}, %{{.+}}, %{{.+}} : !amx.tile<16x64xi8>, !amx.tile<16x64xi8>, !amx.tile<16x16xi32>
// AMX-COUNT-4: amx.tile_store %[[SCRATCH]]
// Two rows of both column tiles narrowed at once, each row's 32 bytes
// stored whole.
// AMX-COUNT-4: vector.load %[[SCRATCH]][%{{.+}}, %{{.+}}] : memref<64x32xi32>, vector<16xi32>
// AMX: intq.x86.pack_bytes %{{.+}}, %{{.+}}, %{{.+}}, %{{.+}} : vector<16xi32> -> vector<64xi8>
// AMX-COUNT-2: vector.transfer_write %{{.+}} : vector<32xi8>, tensor<32x32xi8>
// AMX-NOT: intq.matmul
// AMX-LABEL: func.func @batched_u8
// uint8 activations multiply as u8 (tdpbusd).
// AMX: amx.tile_muli %{{.+}} zext, %{{.+}}, %{{.+}}
// One panel of 16 channels: no packing, each step combines two rows' 8
// bytes into the smmla operand, sign-flipped (u8 input, s8 x s8 smmla).
// MMLA-LABEL: func.func @batched_u8
// MMLA-NOT: tensor<{{[0-9]+}}x{{[0-9]+}}x16xi8>
// MMLA: scf.for %{{.+}} iter_args({{.*}}) -> (vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>)
// MMLA: %[[R0:.+]] = vector.transfer_read %{{.+}} : tensor<8x8xi8>, vector<8xi8>
// MMLA: %[[R1:.+]] = vector.transfer_read %{{.+}} : tensor<8x8xi8>, vector<8xi8>
// MMLA: %[[A:.+]] = vector.shuffle %[[R0]], %[[R1]]
// MMLA: %[[F:.+]] = arith.xori %[[A]], %{{.+}} : vector<16xi8>
// MMLA-COUNT-8: intq.aarch64.smmla %{{.+}}, %[[F]], %{{.+}}
// ARM-LABEL: func.func @batched_u8
// AVX2 on weights in [-64, 64] (here all ones): vpmaddubsw (u8 x s8 pairs
// to i16, exact at |w| <= 64) and vpmaddwd by ones (i16 pairs to i32),
// with the VNNI kernel's data: the int8 input flipped to its u8 view in one
// pass before the kernel (none in the loop), K padded to 40 (K by 4),
// weights [panel][K / 4][16 x 4], the u8 view's folded bias; register
// blocks of 4 rows x 1 block of 16 outputs, one 32-bit load per row.
// The bias carries 2^31 here too (the output stage's unsigned products).
// AVX2-LABEL: func.func @matmul
// AVX2: %[[ONES:.+]] = arith.constant dense<1> : vector<32xi16>
// AVX2: arith.xori %{{.+}}, %{{.+}} : vector<64xi8>
// AVX2: tensor.insert_slice %{{.+}} into %{{.+}}[0, 0] [6, 37] [1, 1] : tensor<6x37xi8> into tensor<6x40xi8>
// AVX2: arith.constant dense<{{.+}}> : tensor<2x10x64xi8>
// AVX2: arith.constant dense<[2147479181, 2147479164, 2147479174,
// AVX2: scf.for %{{.+}} = %{{.+}} to %c10 step %{{.+}} iter_args({{.*}}) -> (vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>)
// AVX2-NOT: arith.xori
// AVX2: vector.transfer_read %{{.+}} : tensor<2x10x64xi8>, vector<64xi8>
// AVX2: vector.transfer_read %{{.+}} : tensor<6x40xi8>, vector<4xi8>
// AVX2: vector.bitcast %{{.+}} : vector<4xi8> to vector<1xi32>
// AVX2-NOT: arith.xori
// AVX2: %[[P16:.+]] = intq.x86.vpmaddubsw %{{.+}}, %{{.+}} : vector<64xi8> -> vector<32xi16>
// AVX2: %[[P:.+]] = intq.x86.vpmaddwd %[[P16]], %[[ONES]] : vector<32xi16> -> vector<16xi32>
// AVX2: arith.addi %{{.+}}, %[[P]] : vector<16xi32>
// AVX2-NOT: intq.x86.vpdpbusd
// AVX2-NOT: intq.matmul
func.func @matmul(%x: tensor<6x37x!qa>) -> tensor<6x20x!qo> {
  %w = intq.qconst dense<1> : tensor<20x37xi8> -> tensor<20x37x!qw>
  %b = intq.qconst dense<[10, -7, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3]> : tensor<20xi32> -> tensor<20x!qb>
  %r = intq.matmul %x, %w, %b {clamp_min = 0.0 : f64} : (tensor<6x37x!qa>, tensor<20x37x!qw>, tensor<20x!qb>) -> tensor<6x20x!qo>
  return %r : tensor<6x20x!qo>
}

// -----

// AVX2 on a weight outside [-64, 64] (65: vpmaddubsw could saturate):
// vpmaddwd on i16 pairs. The input, K padded to 38 (K by 2), is widened
// once to its int8 view in i16 (no sign flip for int8); weights
// [panel][K / 2][16 x 2] as i16; the bias folded with the int8 zero point
// (10 + 7 * 37 * 65 = 16845, plus 2^31 for the output stage's unsigned
// products: -2147466803 as int32); each row broadcasts one pair of
// activations (one 32-bit load).
!qa = !quant.uniform<i8:f32, 0.02:-7>
!qw = !quant.uniform<i8<-127:127>:f32, 0.01>
!qb = !quant.uniform<i32:f32, 0.0002>
!qo = !quant.uniform<i8:f32, 0.5:3>
// AVX2-LABEL: func.func @matmul_pairs
// AVX2-NOT: arith.xori
// AVX2: tensor.insert_slice %{{.+}} into %{{.+}}[0, 0] [6, 37] [1, 1] : tensor<6x37xi8> into tensor<6x38xi8>
// AVX2: arith.extsi %{{.+}} : vector<64xi8> to vector<64xi16>
// AVX2: arith.constant dense<{{.+}}> : tensor<2x19x32xi16>
// AVX2: arith.constant dense<[-2147466803, -2147466820, -2147466810,
// AVX2: scf.for %{{.+}} = %{{.+}} to %c19 step %{{.+}} iter_args({{.*}}) -> (vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>)
// AVX2: vector.transfer_read %{{.+}} : tensor<2x19x32xi16>, vector<32xi16>
// AVX2: vector.transfer_read %{{.+}} : tensor<6x38xi16>, vector<2xi16>
// AVX2: vector.bitcast %{{.+}} : vector<2xi16> to vector<1xi32>
// AVX2: %[[P:.+]] = intq.x86.vpmaddwd %{{.+}}, %{{.+}} : vector<32xi16> -> vector<16xi32>
// AVX2: arith.addi %{{.+}}, %[[P]] : vector<16xi32>
// AVX2-NOT: intq.x86.vpmaddubsw
// AVX2-NOT: intq.matmul
func.func @matmul_pairs(%x: tensor<6x37x!qa>) -> tensor<6x20x!qo> {
  %w = intq.qconst dense<65> : tensor<20x37xi8> -> tensor<20x37x!qw>
  %b = intq.qconst dense<[10, -7, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3]> : tensor<20xi32> -> tensor<20x!qb>
  %r = intq.matmul %x, %w, %b {clamp_min = 0.0 : f64} : (tensor<6x37x!qa>, tensor<20x37x!qw>, tensor<20x!qb>) -> tensor<6x20x!qo>
  return %r : tensor<6x20x!qo>
}

// -----

// AVX2 pairs read the int8 view: a uint8 input is flipped as it is widened
// (weights -64 and -65: the second forces vpmaddwd).
!qa = !quant.uniform<u8:f32, 0.02:100>
!qw = !quant.uniform<i8<-127:127>:f32, 0.01>
!qo = !quant.uniform<u8:f32, 0.5:3>
// AVX2-LABEL: func.func @batched_u8_pairs
// AVX2: %[[F:.+]] = arith.xori %{{.+}}, %{{.+}} : vector<64xi8>
// AVX2: arith.extsi %[[F]] : vector<64xi8> to vector<64xi16>
// AVX2: intq.x86.vpmaddwd
// AVX2-NOT: intq.x86.vpmaddubsw
func.func @batched_u8_pairs(%x: tensor<2x3x8x!qa>) -> tensor<2x3x2x!qo> {
  %w = intq.qconst dense<[[-64, -65, 1, 1, 1, 1, 1, 1], [1, 1, 1, 1, 1, 1, 1, 1]]> : tensor<2x8xi8> -> tensor<2x8x!qw>
  %r = intq.matmul %x, %w : (tensor<2x3x8x!qa>, tensor<2x8x!qw>) -> tensor<2x3x2x!qo>
  return %r : tensor<2x3x2x!qo>
}

// -----

// Batched (3-D) input: rows are collapsed, the result expanded back.
!qa = !quant.uniform<u8:f32, 0.02:100>
!qw = !quant.uniform<i8<-127:127>:f32, 0.01>
!qo = !quant.uniform<u8:f32, 0.5:3>
// VNNI-LABEL: func.func @batched_u8
// VNNI: tensor.collapse_shape %{{.+}} {{\[\[}}0, 1], [2]] : tensor<2x3x8xi8> into tensor<6x8xi8>
// A uint8 input is already the u8 view: no flip.
// VNNI-NOT: arith.xori
// VNNI: intq.x86.vpdpbusd
// VNNI: tensor.expand_shape %{{.+}} {{\[\[}}0, 1], [2]] output_shape [2, 3, 16] : tensor<6x16xi8> into tensor<2x3x16xi8>
// AVX2 on weights in [-64, 64] reads u8 as VNNI does: no flip.
// AVX2-LABEL: func.func @batched_u8
// AVX2-NOT: arith.xori
// AVX2: intq.x86.vpmaddubsw
func.func @batched_u8(%x: tensor<2x3x8x!qa>) -> tensor<2x3x16x!qo> {
  %w = intq.qconst dense<2> : tensor<16x8xi8> -> tensor<16x8x!qw>
  %r = intq.matmul %x, %w : (tensor<2x3x8x!qa>, tensor<16x8x!qw>) -> tensor<2x3x16x!qo>
  return %r : tensor<2x3x16x!qo>
}

// -----

// Not handled here, left to --intq-lower-to-linalg: 16-bit inputs.
!qa = !quant.uniform<i16<-32767:32767>:f32, 0.001>
!qw = !quant.uniform<i8<-127:127>:f32, 0.01>
!qo = !quant.uniform<i16<-32767:32767>:f32, 0.5>
// VNNI-LABEL: func.func @int16_left_alone
// VNNI: intq.matmul
// GEN-LABEL: func.func @int16_left_alone
// GEN: intq.matmul
func.func @int16_left_alone(%x: tensor<2x8x!qa>) -> tensor<2x3x!qo> {
  %w = intq.qconst dense<1> : tensor<3x8xi8> -> tensor<3x8x!qw>
  %r = intq.matmul %x, %w : (tensor<2x8x!qa>, tensor<3x8x!qw>) -> tensor<2x3x!qo>
  return %r : tensor<2x3x!qo>
}

// BAD: error: intq-codegen target must be generic, x86-avx2, x86-avx512vnni, x86-amx, aarch64-dotprod or aarch64-i8mm, got 'avx9'

// -----

// Float tosa.matmul with constant weights: the same loop nest, FMA on
// vector<16xf32>, weights packed [panel][k][u x 16] (N = 20: one panel of
// two blocks), rows padded to a multiple of 4.
// VNNI-LABEL: func.func @float_matmul
// VNNI: %[[X:.+]] = tensor.collapse_shape %arg0 {{\[\[}}0, 1], [2]] : tensor<1x6x8xf32> into tensor<6x8xf32>
// VNNI: tensor.insert_slice %[[X]] into %{{.+}}[0, 0] [6, 8] [1, 1] : tensor<6x8xf32> into tensor<8x8xf32>
// VNNI: arith.constant dense<{{.+}}> : tensor<1x8x32xf32>
// VNNI: scf.for
// VNNI: scf.for
// VNNI: scf.for {{.*}} -> (vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>)
// VNNI: vector.fma %{{.+}}, %{{.+}}, %{{.+}} : vector<16xf32>
// VNNI: vector.transfer_write %{{.+}}, %{{.+}}[%{{.+}}, %{{.+}}] {in_bounds = [true]} : vector<16xf32>, tensor<8x32xf32>
// VNNI: tensor.extract_slice %{{.+}}[0, 0] [6, 20] [1, 1] : tensor<8x32xf32> to tensor<6x20xf32>
// VNNI: tensor.expand_shape %{{.+}} {{\[\[}}0, 1], [2]] output_shape [1, 6, 20] : tensor<6x20xf32> into tensor<1x6x20xf32>
// VNNI-NOT: tosa.matmul
// GEN-LABEL: func.func @float_matmul
// GEN: vector.fma
// GEN-NOT: tosa.matmul
// GEN-LABEL: func.func @float_runtime_weights
// On AVX2 the fp32 kernel's register block is 4 x 1 as well (16 ymm).
// AVX2-LABEL: func.func @float_matmul
// AVX2: scf.for {{.*}} -> (vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>) {
// AVX2: vector.fma
func.func @float_matmul(%x: tensor<1x6x8xf32>) -> tensor<1x6x20xf32> {
  %w = "tosa.const"() {values = dense<0.5> : tensor<1x8x20xf32>} : () -> tensor<1x8x20xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %y = tosa.matmul %x, %w, %zp, %zp : (tensor<1x6x8xf32>, tensor<1x8x20xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x6x20xf32>
  return %y : tensor<1x6x20xf32>
}

// -----

// Runtime weights (both operands activations) stay tosa.matmul.
// VNNI-LABEL: func.func @float_runtime_weights
// VNNI: tosa.matmul
// GEN: tosa.matmul
func.func @float_runtime_weights(%x: tensor<1x6x8xf32>, %w: tensor<1x8x20xf32>) -> tensor<1x6x20xf32> {
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %y = tosa.matmul %x, %w, %zp, %zp : (tensor<1x6x8xf32>, tensor<1x8x20xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x6x20xf32>
  return %y : tensor<1x6x20xf32>
}

// -----

// A 3x3 stride-2 padded conv over 3 channels (C % 4 != 0). On VNNI the
// input is padded (and its sign bits flipped: -7 -> 121) once, then read in
// place by grouped runs: each kernel row's KW*C = 9 bytes as 3 groups of 4
// at 0, 4 and 8 (bytes 9..11 are the next pixel's, met by zero weights;
// one column is added past the right edge for the last run of a row: 8
// padded columns, 24 bytes a row); no im2col copy. On sdot, one 12-byte
// step per kernel row, read by one 16-byte load (7 bytes past the run:
// 3 columns added). i8mm (steps of 8 bytes) keeps the im2col: the padded
// input with W and C collapsed, each kernel row's 9 bytes copied as one
// vector per output pixel into the (N*OH*OW) x (KH*KW*C) rows; then the
// int8 kernel; the result is expanded back to NHWC.
!qa = !quant.uniform<i8:f32, 0.02:-7>
!qw = !quant.uniform<i8<-127:127>:f32, 0.01>
!qo = !quant.uniform<i8:f32, 0.5:3>
// VNNI-LABEL: func.func @conv3x3
// VNNI: linalg.fill ins(%c121_i8 : i8) outs(%{{.+}} : tensor<1x7x24xi8>)
// VNNI-NOT: tensor<9x27xi8>
// VNNI: tensor.collapse_shape %{{.+}} {{\[\[}}0, 1, 2, 3]] : tensor<1x7x8x3xi8> into tensor<168xi8>
// VNNI: arith.constant dense<[0, 4, 8, 24, 28, 32, 48, 52, 56]> : tensor<9xi32>
// VNNI-NOT: tensor<9x27xi8>
// VNNI: intq.x86.vpdpbusd
// VNNI: tensor.expand_shape %{{.+}} {{\[\[}}0, 1, 2], [3]] output_shape [1, 3, 3, 8] : tensor<9x8xi8> into tensor<1x3x3x8xi8>
// VNNI-NOT: intq.conv2d
// ARM-LABEL: func.func @conv3x3
// ARM: tensor.collapse_shape %{{.+}} {{\[\[}}0, 1, 2, 3]] : tensor<1x7x10x3xi8> into tensor<210xi8>
// ARM: arith.constant dense<[0, 30, 60]> : tensor<3xi32>
// ARM: scf.for %{{.+}} = %{{.+}} to %c3 step %{{.+}} iter_args({{.*}}) -> (vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>)
// ARM-COUNT-4: vector.transfer_read %{{.+}} {in_bounds = [true]} : tensor<210xi8>, vector<16xi8>
// ARM-NOT: vector.transfer_read %{{.+}} : tensor<210xi8>
// ARM-COUNT-12: intq.aarch64.sdot
// ARM-NOT: intq.aarch64.sdot
// ARM: scf.yield
// MMLA-LABEL: func.func @conv3x3
// MMLA: linalg.fill ins(%c-7_i8 : i8) outs(%{{.+}} : tensor<1x7x7x3xi8>)
// MMLA: tensor.collapse_shape %{{.+}} {{\[\[}}0, 1], [2, 3]] : tensor<1x7x7x3xi8> into tensor<7x21xi8>
// MMLA: tensor.empty() : tensor<9x27xi8>
// MMLA-COUNT-3: scf.for
// MMLA-NOT: linalg.generic
// MMLA: vector.transfer_read %{{.+}} {in_bounds = [true]} : tensor<7x21xi8>, vector<9xi8>
// MMLA-NEXT: vector.transfer_write %{{.+}} {in_bounds = [true]} : vector<9xi8>, tensor<9x27xi8>
// MMLA: vector.transfer_read %{{.+}} {in_bounds = [true]} : tensor<7x21xi8>, vector<9xi8>
// MMLA-NEXT: vector.transfer_write %{{.+}} {in_bounds = [true]} : vector<9xi8>, tensor<9x27xi8>
// MMLA: vector.transfer_read %{{.+}} {in_bounds = [true]} : tensor<7x21xi8>, vector<9xi8>
// MMLA-NEXT: vector.transfer_write %{{.+}} {in_bounds = [true]} : vector<9xi8>, tensor<9x27xi8>
// MMLA-NOT: vector.transfer_read %{{.+}} : tensor<7x21xi8>
// MMLA: intq.aarch64.smmla
// MMLA: tensor.expand_shape %{{.+}} {{\[\[}}0, 1, 2], [3]] output_shape [1, 3, 3, 8] : tensor<9x8xi8> into tensor<1x3x3x8xi8>
// AMX reads C % 64 != 0 through the im2col copy; with amx-im2col=0 the
// conv goes to the VNNI kernel's grouped runs instead.
// AMX-LABEL: func.func @conv3x3
// AMX: tensor.empty() : tensor<9x27xi8>
// AMX: amx.tile_muli
// AMXNOCOL-LABEL: func.func @conv3x3
// AMXNOCOL-NOT: amx.
// AMXNOCOL: arith.constant dense<[0, 4, 8, 24, 28, 32, 48, 52, 56]> : tensor<9xi32>
// AMXNOCOL: intq.x86.vpdpbusd
// AMXNOCOL-NOT: amx.
// AMXNOCOL: return
func.func @conv3x3(%x: tensor<1x5x5x3x!qa>) -> tensor<1x3x3x8x!qo> {
  %w = intq.qconst dense<1> : tensor<8x3x3x3xi8> -> tensor<8x3x3x3x!qw>
  %r = intq.conv2d %x, %w {stride = array<i64: 2, 2>, pad = array<i64: 1, 1, 1, 1>, dilation = array<i64: 1, 1>} : (tensor<1x5x5x3x!qa>, tensor<8x3x3x3x!qw>) -> tensor<1x3x3x8x!qo>
  return %r : tensor<1x3x3x8x!qo>
}

// -----

// Dilated along W: the taps of a kernel row are not contiguous. On VNNI one
// run per tap (C = 3 bytes), read as one group of 4 that takes a byte of
// the next pixel (a zero weight): the unpadded input gets one column past
// its right edge for the last tap's. i8mm: the im2col is a linalg.generic
// with the affine input map (n, oh, ow, kh, kw, c) -> (n, oh*s + kh*d,
// ow*s + kw*d, c).
!qa = !quant.uniform<i8:f32, 0.02:-7>
!qw = !quant.uniform<i8<-127:127>:f32, 0.01>
!qo = !quant.uniform<i8:f32, 0.5:3>
// VNNI-LABEL: func.func @dilated_conv
// VNNI-NOT: linalg.generic
// VNNI: tensor.collapse_shape %{{.+}} {{\[\[}}0, 1, 2, 3]] : tensor<1x5x6x3xi8> into tensor<90xi8>
// VNNI: arith.constant dense<[0, 6, 12, 18, 24, 30, 36, 42, 48]> : tensor<9xi32>
// VNNI: intq.x86.vpdpbusd
// MMLA-DAG: #[[IM2COL:.+]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1 + d3, d2 + d4 * 2, d5)>
// MMLA-LABEL: func.func @dilated_conv
// MMLA: linalg.generic {indexing_maps = [#[[IM2COL]], #{{.+}}], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "parallel"]} ins(%{{.+}} : tensor<1x5x5x3xi8>) outs(%{{.+}} : tensor<1x3x1x3x3x3xi8>)
// MMLA: tensor.collapse_shape %{{.+}} {{\[\[}}0, 1, 2], [3, 4, 5]] : tensor<1x3x1x3x3x3xi8> into tensor<3x27xi8>
// MMLA: intq.aarch64.smmla
func.func @dilated_conv(%x: tensor<1x5x5x3x!qa>) -> tensor<1x3x1x8x!qo> {
  %w = intq.qconst dense<1> : tensor<8x3x3x3xi8> -> tensor<8x3x3x3x!qw>
  %r = intq.conv2d %x, %w {stride = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, dilation = array<i64: 1, 2>} : (tensor<1x5x5x3x!qa>, tensor<8x3x3x3x!qw>) -> tensor<1x3x1x8x!qo>
  return %r : tensor<1x3x1x8x!qo>
}

// -----

// OW = 8 and M = 64 are multiples of the 8-row block: no block crosses an
// output row, so only a block's first row is addressed by divisions (by
// OH x OW and OW); rows 1..7 add 8 bytes each (ConvRows::blockRowBase).
// Checked after CSE (the VBMI run line).
!qa = !quant.uniform<i8:f32, 0.02:-7>
!qw = !quant.uniform<i8<-127:127>:f32, 0.01>
!qo = !quant.uniform<i8:f32, 0.5:3>
// VBMI-LABEL: func.func @conv_block_rows
// VBMI: scf.for %{{.+}} = %c0 to %c64 step %c8
// VBMI: scf.for %{{.+}} = %c0 to %c18 step %c1
// VBMI: arith.divui %{{.+}}, %c64 : index
// VBMI: arith.divui %{{.+}}, %c8 : index
// VBMI: intq.x86.vpdpbusd
// VBMI-NOT: arith.divui
// VBMI: scf.yield
func.func @conv_block_rows(%x: tensor<1x8x8x8x!qa>) -> tensor<1x8x8x16x!qo> {
  %w = intq.qconst dense<1> : tensor<16x3x3x8xi8> -> tensor<16x3x3x8x!qw>
  %r = intq.conv2d %x, %w {stride = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, dilation = array<i64: 1, 1>} : (tensor<1x8x8x8x!qa>, tensor<16x3x3x8x!qw>) -> tensor<1x8x8x16x!qo>
  return %r : tensor<1x8x8x16x!qo>
}

// -----

// 1x1 stride 2 unpadded (a ResNet shortcut): the im2col copies the pixels
// it reads, one 16-byte vector per pixel, into a 16 x 16 matrix; no
// implicit GEMM (which read a flipped copy of the whole input).
!qa = !quant.uniform<i8:f32, 0.02:-7>
!qw = !quant.uniform<i8<-127:127>:f32, 0.01>
!qo = !quant.uniform<i8:f32, 0.5:3>
// VNNI-LABEL: func.func @conv1x1_strided
// VNNI: tensor.collapse_shape %{{.+}} {{\[\[}}0, 1], [2, 3]] : tensor<1x8x8x16xi8> into tensor<8x128xi8>
// VNNI: tensor.empty() : tensor<16x16xi8>
// VNNI: vector.transfer_read %{{.+}} {in_bounds = [true]} : tensor<8x128xi8>, vector<16xi8>
// VNNI-NEXT: vector.transfer_write %{{.+}} {in_bounds = [true]} : vector<16xi8>, tensor<16x16xi8>
// VNNI-NOT: tensor<1024xi8>
// VNNI: intq.x86.vpdpbusd
func.func @conv1x1_strided(%x: tensor<1x8x8x16x!qa>) -> tensor<1x4x4x32x!qo> {
  %w = intq.qconst dense<2> : tensor<32x1x1x16xi8> -> tensor<32x1x1x16x!qw>
  %r = intq.conv2d %x, %w {stride = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, dilation = array<i64: 1, 1>} : (tensor<1x8x8x16x!qa>, tensor<32x1x1x16x!qw>) -> tensor<1x4x4x32x!qo>
  return %r : tensor<1x4x4x32x!qo>
}

// -----

// 1x1 stride 1 unpadded: the NHWC input is already the matmul's rows.
!qa = !quant.uniform<i8:f32, 0.02:-7>
!qw = !quant.uniform<i8<-127:127>:f32, 0.01>
!qo = !quant.uniform<i8:f32, 0.5:3>
// VNNI-LABEL: func.func @conv1x1
// VNNI-NOT: linalg.generic
// VNNI: tensor.collapse_shape %{{.+}} {{\[\[}}0, 1, 2], [3]] : tensor<2x4x4x16xi8> into tensor<32x16xi8>
// VNNI: intq.x86.vpdpbusd
// VNNI-NOT: intq.conv2d
func.func @conv1x1(%x: tensor<2x4x4x16x!qa>) -> tensor<2x4x4x32x!qo> {
  %w = intq.qconst dense<1> : tensor<32x1x1x16xi8> -> tensor<32x1x1x16x!qw>
  %r = intq.conv2d %x, %w {stride = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, dilation = array<i64: 1, 1>} : (tensor<2x4x4x16x!qa>, tensor<32x1x1x16x!qw>) -> tensor<2x4x4x32x!qo>
  return %r : tensor<2x4x4x32x!qo>
}

// -----

// Depthwise (groups = C, multiplier 1): channels are the lanes; 20
// channels are one whole block of 16 and a masked block of 4 (padded to 32
// where the kernel keeps its own copy). VNNI at stride 1 reads a ring of
// the 3 padded rows an output row reads, each i32 a pair of widened pixels
// of one row (pixel px's channel in the low i16, px + 1's in the high one:
// 3 x 13 x 32 i32), the channel blocks outermost: for each block, before
// each output row the rows it reads first are written into their slots
// (row % 3), every column, the pieces of the row where px or px + 1 is
// padding taking the zero point for that half (columns [0, 1), [1, 11)
// where both are inside and each pixel is widened once, carried to the
// next column, [11, 12), [12, 13)); a row outside the input is filled
// whole. Each kernel row's taps go two at a time, a lone third tap against
// a zero high weight: 6 groups of i16 weight pairs [6][32 x 2], one
// vpdpwssd per group with the ring's i32 as it is, no shuffle, no check:
// 8 columns per step, 48 vpdpwssd.
!qa = !quant.uniform<i8:f32, 0.02:-7>
!qw = !quant.uniform<i8<-127:127>:f32, 0.01>
!qo = !quant.uniform<i8:f32, 0.5:3>
// VNNI-LABEL: func.func @depthwise
// VNNI-NOT: linalg.fill
// VNNI: arith.constant dense<"0x{{((01000100){20}(00000000){12}(01000000){20}(00000000){12}){3}0*}}"> : tensor<6x64xi16>
// VNNI: %[[RING:.+]] = memref.alloc() {alignment = 64 : i64} : memref<3x13x32xi32>
// VNNI: scf.for %[[CH:.+]] = %c0{{.*}} to %c16{{.*}} step %c16
// VNNI: scf.for %{{.+}} = %c0{{.*}} to %c5{{.*}} step %c1
// VNNI: scf.for %[[PR:.+]] = %{{[0-9]+}} to %{{[0-9]+}} step %c1
// VNNI: %[[SLOT:.+]] = arith.remui %[[PR]], %c3{{.*}} : index
// VNNI: scf.if
// Column 0: the low pixel is padding (the zero point), the high one input.
// VNNI: scf.for %[[PX:.+]] = %c0{{.*}} to %c1{{.*}} step %c1
// VNNI: %[[HI8:.+]] = vector.transfer_read %{{.+}} {in_bounds = [true]} : tensor<1x5x11x20xi8>, vector<16xi8>
// VNNI: %[[HI:.+]] = arith.extsi %[[HI8]] : vector<16xi8> to vector<16xi32>
// VNNI: %[[LO:.+]] = arith.andi %{{.+}}, %{{.+}} : vector<16xi32>
// VNNI: %[[SH:.+]] = arith.shli %[[HI]], %{{.+}} : vector<16xi32>
// VNNI: %[[PAIR:.+]] = arith.ori %[[LO]], %[[SH]] : vector<16xi32>
// VNNI: vector.transfer_write %[[PAIR]], %[[RING]][%[[SLOT]], %[[PX]], %[[CH]]] {in_bounds = [true]} : vector<16xi32>, memref<3x13x32xi32>
// VNNI: scf.for %{{.+}} = %c1{{.*}} to %c11{{.*}} step %c1{{.*}} iter_args(%[[PREV:.+]] = %{{.+}}) -> (vector<16xi32>)
// VNNI: %[[NEXT:.+]] = arith.extsi %{{.+}} : vector<16xi8> to vector<16xi32>
// VNNI: arith.andi %[[PREV]], %{{.+}} : vector<16xi32>
// VNNI: scf.yield %[[NEXT]] : vector<16xi32>
// VNNI: scf.for %{{.+}} = %c11{{.*}} to %c12{{.*}} step %c1
// VNNI: scf.for %{{.+}} = %c12{{.*}} to %c13{{.*}} step %c1
// VNNI: } else {
// VNNI: scf.for %{{.+}} = %c0{{.*}} to %c13{{.*}} step %c1
// VNNI: scf.for %{{.+}} = %c0{{.*}} to %c8{{.*}} step %c8
// VNNI-NOT: arith.select {{.+}} : vector
// VNNI: %[[T:.+]] = vector.transfer_read %[[RING]][%{{.+}}, %{{.+}}, %{{.+}}], %{{.+}} {in_bounds = [true]} : memref<3x13x32xi32>, vector<16xi32>
// VNNI: %[[T16:.+]] = vector.bitcast %[[T]] : vector<16xi32> to vector<32xi16>
// VNNI: intq.x86.vpdpwssd %{{.+}}, %[[T16]], %{{.+}} : vector<32xi16> -> vector<16xi32>
// VNNI-COUNT-47: intq.x86.vpdpwssd
// VNNI-NOT: intq.x86.vpdpwssd
// VNNI-COUNT-8: vector.transfer_write %{{.+}} {in_bounds = [true]} : vector<16xi8>, tensor<1x5x11x20xi8>
// VNNI-NOT: arith.select {{.+}} : vector
// VNNI-NOT: vector.shuffle {{.+}} : vector<16xi16>
// VNNI-NOT: arith.muli %{{.+}}, %{{.+}} : vector<16xi32>
// VNNI-NOT: intq.conv2d
// VNNI: return
// The generic kernel multiplies and adds in i32 lanes (weights stay i8).
// There is no AMX depthwise kernel: target x86-amx takes the VNNI one.
// AMX-LABEL: func.func @depthwise
// AMX: arith.constant dense<{{.+}}> : tensor<6x64xi16>
// AMX: intq.x86.vpdpwssd
// AMX-NOT: arith.muli %{{.+}}, %{{.+}} : vector<16xi32>
// AMX-LABEL: func.func @depthwise_multiplier_left_alone
// GEN-LABEL: func.func @depthwise
// GEN: arith.constant dense<{{.+}}> : tensor<9x32xi8>
// GEN: arith.muli %{{.+}}, %{{.+}} : vector<16xi32>
// GEN-NOT: intq.x86
// On AVX2 (stride 1) two taps per vpmaddwd, on the input widened to i16
// once into a ring of the 3 padded rows an output row reads (3 x 13 x 32:
// 11 columns and their padding, 20 channels padded to 32), the channel
// blocks outermost: before each output row the rows it reads first are
// widened into their slots (row % 3), one block; the padding columns hold the zero point (filled once), a row outside
// the input is filled whole. Taps t and t + 1 of the nine (row-major) are
// interleaved in-lane (the vpunpcklwd / vpunpckhwd order: channels 0-3 and
// 8-11, then 4-7 and 12-15), the weights stored as i16 pairs in that order
// [5 pairs][32 x 2] (channels past 20 zero), the ninth tap's pair (w, 0);
// the bias is put into that order and the accumulators back before the
// epilogue. No tap is checked: 4 columns per step, 20 vpmaddwd.
// AVX2-LABEL: func.func @depthwise
// AVX2: arith.constant dense<"0x{{((01000100){20}(00000000){12}){4}(01000000){20}(00000000){12}0*}}"> : tensor<5x64xi16>
// AVX2: %[[RING:.+]] = memref.alloc() {alignment = 64 : i64} : memref<3x13x32xi16>
// AVX2: vector.transfer_write %{{.+}}, %[[RING]][%c0{{.*}}, %{{.+}}, %c0{{.*}}] {in_bounds = [true]} : vector<16xi16>, memref<3x13x32xi16>
// The channel blocks outermost, then the output rows.
// AVX2: scf.for %[[CH:.+]] = %c0{{.*}} to %c16{{.*}} step %c16
// AVX2: scf.for %{{.+}} = %c0{{.*}} to %c5{{.*}} step %c1
// AVX2: scf.for %[[PR:.+]] = %{{[0-9]+}} to %{{[0-9]+}} step %c1
// AVX2: %[[SLOT:.+]] = arith.remui %[[PR]], %c3{{.*}} : index
// AVX2: scf.if
// AVX2: %[[X8:.+]] = vector.transfer_read %{{.+}} {in_bounds = [true]} : tensor<1x5x11x20xi8>, vector<16xi8>
// AVX2: %[[X16:.+]] = arith.extsi %[[X8]] : vector<16xi8> to vector<16xi16>
// AVX2: vector.transfer_write %[[X16]], %[[RING]][%[[SLOT]], %{{.+}}, %[[CH]]] {in_bounds = [true]} : vector<16xi16>, memref<3x13x32xi16>
// AVX2: } else {
// AVX2: scf.for %{{.+}} = %c0{{.*}} to %c13{{.*}} step %c1
// AVX2: scf.for %{{.+}} = %c0{{.*}} to %c8{{.*}} step %c4
// AVX2: vector.shuffle %{{.+}}, %{{.+}} [0, 1, 2, 3, 8, 9, 10, 11, 4, 5, 6, 7, 12, 13, 14, 15] : vector<16xi32>, vector<16xi32>
// AVX2-NOT: arith.select {{.+}} : vector
// AVX2: vector.transfer_read %[[RING]][%{{.+}}, %{{.+}}, %{{.+}}], %{{.+}} {in_bounds = [true]} : memref<3x13x32xi16>, vector<16xi16>
// AVX2: %[[PAIR:.+]] = vector.shuffle %{{.+}}, %{{.+}} [0, 16, 1, 17, 2, 18, 3, 19, 8, 24, 9, 25, 10, 26, 11, 27, 4, 20, 5, 21, 6, 22, 7, 23, 12, 28, 13, 29, 14, 30, 15, 31] : vector<16xi16>, vector<16xi16>
// AVX2: %[[P:.+]] = intq.x86.vpmaddwd %[[PAIR]], %{{.+}} : vector<32xi16> -> vector<16xi32>
// AVX2: arith.addi %{{.+}}, %[[P]] : vector<16xi32>
// AVX2-COUNT-19: intq.x86.vpmaddwd
// AVX2-NOT: intq.x86.vpmaddwd
// AVX2: vector.shuffle %{{.+}}, %{{.+}} [0, 1, 2, 3, 8, 9, 10, 11, 4, 5, 6, 7, 12, 13, 14, 15] : vector<16xi32>, vector<16xi32>
// AVX2: vector.transfer_write %{{.+}} {in_bounds = [true]} : vector<16xi8>, tensor<1x5x11x20xi8>
// AVX2-NOT: arith.select {{.+}} : vector
// AVX2-NOT: arith.xori
// AVX2-NOT: arith.muli %{{.+}}, %{{.+}} : vector<16xi32>
// AVX2-NOT: intq.x86.vpdpwssd
// AVX2: return
func.func @depthwise(%x: tensor<1x5x11x20x!qa>) -> tensor<1x5x11x20x!qo> {
  %w = intq.qconst dense<1> : tensor<20x3x3x1xi8> -> tensor<20x3x3x1x!qw>
  %r = intq.conv2d %x, %w {stride = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, dilation = array<i64: 1, 1>, groups = 20 : i64} : (tensor<1x5x11x20x!qa>, tensor<20x3x3x1x!qw>) -> tensor<1x5x11x20x!qo>
  return %r : tensor<1x5x11x20x!qo>
}

// -----

// Depthwise by whole kernel rows (x86-vbmi): W * C = 1024 and 8 * C = 256
// are multiples of 64, so every step of 8 interior columns reads each
// kernel row from the same 64-byte chunks of the flat input (sign bits
// flipped: the u8 view), and one byte shuffle per row, output column and
// channel block gathers each channel's 3 taps (and a 4th byte, whose
// weight is 0) into its i32 lane for one vpdpbusd: 3 x 8 x 2 = 48 per step
// instead of 144 vpdpwssd. Columns 1..24 go by rows; 25..28 (whose chunks
// would leave the row) and the border per tap, on the u8 view too. (At
// stride 1 the pair ring is taken by default: depthwise-ring=0 here.)
// Without the option (VNNI) the kernel is the per-tap one.
!qa = !quant.uniform<i8:f32, 0.02:-7>
!qw = !quant.uniform<i8<-127:127>:f32, 0.01>
!qo = !quant.uniform<i8:f32, 0.5:3>
// VBMI-LABEL: func.func @depthwise_rows
// VBMI: %[[FLAT:.+]] = tensor.collapse_shape %{{.+}} {{\[\[}}0, 1, 2, 3]] : tensor<1x5x32x32xi8> into tensor<5120xi8>
// VBMI: arith.constant dense<"0x01010100{{(01010100)+}}"> : tensor<3x128xi8>
// Border row 0: the taps zero-extended from the u8 view.
// VBMI: %[[SEL:.+]] = arith.select %{{.+}}, %{{.+}}, %{{.+}} : vector<16xi8>
// VBMI: %[[U8:.+]] = arith.xori %[[SEL]], %{{.+}} : vector<16xi8>
// VBMI: arith.extui %[[U8]] : vector<16xi8> to vector<16xi32>
// VBMI: intq.x86.vpdpwssd
// (Its interior columns also go 8 at a time, per tap.) The interior rows:
// VBMI: scf.for %{{.+}} = %c1{{.*}} to %c4{{.*}} step %c1
// VBMI: scf.for %{{.+}} = %c1{{.*}} to %c25{{.*}} step %c8
// VBMI-NOT: arith.select
// VBMI: %[[C0:.+]] = vector.transfer_read %[[FLAT]][%{{.+}}], %{{.+}} {in_bounds = [true]} : tensor<5120xi8>, vector<64xi8>
// VBMI: %[[F0:.+]] = arith.xori %[[C0]], %{{.+}} : vector<64xi8>
// VBMI: %[[C1:.+]] = vector.transfer_read %[[FLAT]][%{{.+}}], %{{.+}} {in_bounds = [true]} : tensor<5120xi8>, vector<64xi8>
// VBMI: %[[F1:.+]] = arith.xori %[[C1]], %{{.+}} : vector<64xi8>
// VBMI: %[[T:.+]] = vector.shuffle %[[F0]], %[[F1]] [0, 32, 64, 0, 1, 33, 65, 1, {{.+}}, 15, 47, 79, 15] : vector<64xi8>, vector<64xi8>
// VBMI: %[[W:.+]] = vector.transfer_read %{{.+}}[%c0{{.*}}, %c0{{.*}}], %{{.+}} {in_bounds = [true]} : tensor<3x128xi8>, vector<64xi8>
// VBMI: intq.x86.vpdpbusd %{{.+}}, %[[T]], %[[W]] : vector<64xi8> -> vector<16xi32>
// Column 1 reads from byte 32 of the same chunk.
// VBMI: vector.shuffle %[[F0]], %[[F1]] [32, 64, 96, 32, {{.+}}] : vector<64xi8>, vector<64xi8>
// VBMI-COUNT-23: intq.x86.vpdpbusd
// VBMI-NOT: intq.x86.vpdpwssd
// VBMI-COUNT-8: vector.transfer_write %{{.+}} {in_bounds = [true]} : vector<16xi8>, tensor<1x5x32x32xi8>
// The second channel block: the same chunks, from byte 16.
// VBMI-NOT: vector.transfer_read %[[FLAT]]
// VBMI: vector.shuffle %[[F0]], %[[F1]] [16, 48, 80, 16, {{.+}}] : vector<64xi8>, vector<64xi8>
// VBMI-COUNT-24: intq.x86.vpdpbusd
// VBMI-NOT: intq.x86.vpdpwssd
// VBMI-COUNT-8: vector.transfer_write %{{.+}} {in_bounds = [true]} : vector<16xi8>, tensor<1x5x32x32xi8>
// Columns 25..28: one step of 4 columns (no loop), per tap.
// VBMI-NOT: scf.for %{{.+}} = %c25
// VBMI-COUNT-36: intq.x86.vpdpwssd
// VBMI: intq.x86.pack_bytes
// VNNI-LABEL: func.func @depthwise_rows
// VNNI-NOT: vector.shuffle %{{.+}} : vector<64xi8>
// VNNI-NOT: intq.x86.vpdpbusd
// VNNI: intq.x86.vpdpwssd
func.func @depthwise_rows(%x: tensor<1x5x32x32x!qa>) -> tensor<1x5x32x32x!qo> {
  %w = intq.qconst dense<1> : tensor<32x3x3x1xi8> -> tensor<32x3x3x1x!qw>
  %r = intq.conv2d %x, %w {stride = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, dilation = array<i64: 1, 1>, groups = 32 : i64} : (tensor<1x5x32x32x!qa>, tensor<32x3x3x1x!qw>) -> tensor<1x5x32x32x!qo>
  return %r : tensor<1x5x32x32x!qo>
}

// -----

// AVX2, uint8 input: the ring's rows zero-extended (no sign flip), its
// padding the zero point 120. Strided, the per-tap kernel (the ring would
// widen more pixels than the kernel writes): the taps widened to i32 lanes,
// one vpmaddwd each against i32 weight lanes.
!qa = !quant.uniform<u8:f32, 0.02:120>
!qw = !quant.uniform<i8<-127:127>:f32, 0.01>
!qo = !quant.uniform<u8:f32, 0.5:3>
// AVX2-LABEL: func.func @depthwise_u8
// AVX2: memref.alloc() {alignment = 64 : i64} : memref<3x8x16xi16>
// AVX2: arith.constant 120 : i16
// AVX2-NOT: arith.xori
// AVX2: arith.extui %{{.+}} : vector<16xi8> to vector<16xi16>
// AVX2-NOT: arith.extsi %{{.+}} : vector<16xi8> to vector<16xi16>
// AVX2-NOT: arith.xori
// AVX2: return
// AVX2-LABEL: func.func @depthwise_u8_strided
// AVX2-NOT: memref.alloc
// AVX2: arith.constant dense<{{.+}}> : tensor<9x16xi32>
// AVX2: arith.xori %{{.+}}, %{{.+}} : vector<16xi8>
// AVX2: arith.extsi %{{.+}} : vector<16xi8> to vector<16xi32>
// AVX2: intq.x86.vpmaddwd %{{.+}}, %{{.+}} : vector<32xi16> -> vector<16xi32>
// AVX2: return
func.func @depthwise_u8(%x: tensor<1x4x6x16x!qa>) -> tensor<1x4x6x16x!qo> {
  %w = intq.qconst dense<-3> : tensor<16x3x3x1xi8> -> tensor<16x3x3x1x!qw>
  %r = intq.conv2d %x, %w {stride = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, dilation = array<i64: 1, 1>, groups = 16 : i64} : (tensor<1x4x6x16x!qa>, tensor<16x3x3x1x!qw>) -> tensor<1x4x6x16x!qo>
  return %r : tensor<1x4x6x16x!qo>
}
func.func @depthwise_u8_strided(%x: tensor<1x4x6x16x!qa>) -> tensor<1x2x3x16x!qo> {
  %w = intq.qconst dense<-3> : tensor<16x3x3x1xi8> -> tensor<16x3x3x1x!qw>
  %r = intq.conv2d %x, %w {stride = array<i64: 2, 2>, pad = array<i64: 1, 1, 1, 1>, dilation = array<i64: 1, 1>, groups = 16 : i64} : (tensor<1x4x6x16x!qa>, tensor<16x3x3x1x!qw>) -> tensor<1x2x3x16x!qo>
  return %r : tensor<1x2x3x16x!qo>
}

// -----

// Depthwise with a channel multiplier of 2 is left to --intq-lower-to-linalg.
!qa = !quant.uniform<i8:f32, 0.02:-7>
!qw = !quant.uniform<i8<-127:127>:f32, 0.01>
!qo = !quant.uniform<i8:f32, 0.5:3>
// VNNI-LABEL: func.func @depthwise_multiplier_left_alone
// VNNI: intq.conv2d
func.func @depthwise_multiplier_left_alone(%x: tensor<1x5x5x4x!qa>) -> tensor<1x3x3x8x!qo> {
  %w = intq.qconst dense<1> : tensor<8x3x3x1xi8> -> tensor<8x3x3x1x!qw>
  %r = intq.conv2d %x, %w {stride = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, dilation = array<i64: 1, 1>, groups = 4 : i64} : (tensor<1x5x5x4x!qa>, tensor<8x3x3x1x!qw>) -> tensor<1x3x3x8x!qo>
  return %r : tensor<1x3x3x8x!qo>
}

// -----

// Float tosa.conv2d: an implicit GEMM as for int8 (any C: one offset per
// element of the reduction, 21 floats a padded row) on the input padded
// with 0.0, no im2col copy; the fp32 kernel with the accumulators starting
// at the bias.
// VNNI-LABEL: func.func @float_conv
// VNNI: linalg.fill ins(%{{.+}} : f32) outs(%{{.+}} : tensor<1x7x7x3xf32>)
// VNNI: %[[FLAT:.+]] = tensor.collapse_shape %{{.+}} {{\[\[}}0, 1, 2, 3]] : tensor<1x7x7x3xf32> into tensor<147xf32>
// VNNI: arith.constant dense<[0, 1, 2, 3, 4, 5, 6, 7, 8, 21, 22, 23, 24, 25, 26, 27, 28, 29, 42, 43, 44, 45, 46, 47, 48, 49, 50]> : tensor<27xi32>
// VNNI-NOT: vector<9xf32>
// VNNI: %[[B:.+]] = vector.transfer_read %{{.+}}[%{{.+}}], %{{.+}} {in_bounds = [true]} : tensor<16xf32>, vector<16xf32>
// VNNI: scf.for {{.*}} iter_args(%{{.+}} = %[[B]],
// VNNI: tensor.extract %[[FLAT]]
// VNNI: vector.fma
// VNNI-NOT: arith.addf
// VNNI: tensor.expand_shape %{{.+}} {{\[\[}}0, 1, 2], [3]] output_shape [1, 5, 5, 8] : tensor<25x8xf32> into tensor<1x5x5x8xf32>
// VNNI-NOT: tosa.conv2d
func.func @float_conv(%x: tensor<1x5x5x3xf32>) -> tensor<1x5x5x8xf32> {
  %w = "tosa.const"() {values = dense<0.25> : tensor<8x3x3x3xf32>} : () -> tensor<8x3x3x3xf32>
  %b = "tosa.const"() {values = dense<1.0> : tensor<8xf32>} : () -> tensor<8xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %y = tosa.conv2d %x, %w, %b, %zp, %zp {acc_type = f32, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>} : (tensor<1x5x5x3xf32>, tensor<8x3x3x3xf32>, tensor<8xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x5x5x8xf32>
  return %y : tensor<1x5x5x8xf32>
}

// -----

// Register blocks of 6 rows x 4 blocks of 16 outputs on VNNI (24
// accumulators) where the reduction is long (K >= 128) and the rows many
// (M = 100: 17 blocks, 102 rows, at most about 3 % more than 4-row blocks
// would pad); 4 x 4 at K = 64 (epilogue-bound) and at M = 50 (54 rows
// against 52).
!qa = !quant.uniform<i8:f32, 0.02:-7>
!qw = !quant.uniform<i8<-127:127>:f32, 0.01>
!qo = !quant.uniform<i8:f32, 0.5:3>
// VNNI-LABEL: func.func @matmul_rows6
// VNNI: scf.for %{{.+}} = %c0{{.*}} to %c102 step %c6
// VNNI: scf.for %{{.+}} = %c0{{.*}} to %c32 step %c1 iter_args
// VNNI-COUNT-24: intq.x86.vpdpbusd
// VNNI-NOT: intq.x86.vpdpbusd
// VNNI: scf.yield
// VNNI-LABEL: func.func @matmul_rows4_short_k
// VNNI: scf.for %{{.+}} = %c0{{.*}} to %c100 step %c4
// VNNI-COUNT-16: intq.x86.vpdpbusd
// VNNI-NOT: intq.x86.vpdpbusd
// VNNI: scf.yield
// VNNI-LABEL: func.func @matmul_rows4_few_rows
// VNNI: scf.for %{{.+}} = %c0{{.*}} to %c52 step %c4
// VNNI-COUNT-16: intq.x86.vpdpbusd
// VNNI-NOT: intq.x86.vpdpbusd
// VNNI: scf.yield
func.func @matmul_rows6(%x: tensor<100x128x!qa>) -> tensor<100x64x!qo> {
  %w = intq.qconst dense<1> : tensor<64x128xi8> -> tensor<64x128x!qw>
  %r = intq.matmul %x, %w : (tensor<100x128x!qa>, tensor<64x128x!qw>) -> tensor<100x64x!qo>
  return %r : tensor<100x64x!qo>
}
func.func @matmul_rows4_short_k(%x: tensor<100x64x!qa>) -> tensor<100x64x!qo> {
  %w = intq.qconst dense<1> : tensor<64x64xi8> -> tensor<64x64x!qw>
  %r = intq.matmul %x, %w : (tensor<100x64x!qa>, tensor<64x64x!qw>) -> tensor<100x64x!qo>
  return %r : tensor<100x64x!qo>
}
func.func @matmul_rows4_few_rows(%x: tensor<50x128x!qa>) -> tensor<50x64x!qo> {
  %w = intq.qconst dense<1> : tensor<64x128xi8> -> tensor<64x128x!qw>
  %r = intq.matmul %x, %w : (tensor<50x128x!qa>, tensor<64x128x!qw>) -> tensor<50x64x!qo>
  return %r : tensor<50x64x!qo>
}

// -----

// The fp32 kernel takes 6-row blocks for a convolution with a kernel
// window over 16 channels or more (here 3x3 x 16: K = 144, 10 x 10 = 100
// output rows, 64 outputs), 4-row blocks for a matrix.
// VNNI-LABEL: func.func @float_conv_rows6
// VNNI: scf.for %{{.+}} = %c0{{.*}} to %c102 step %c6
// VNNI: scf.for %{{.+}} iter_args
// VNNI-COUNT-24: vector.fma
// VNNI-NOT: vector.fma
// VNNI: scf.yield
// VNNI-LABEL: func.func @float_matmul_rows4
// VNNI: scf.for %{{.+}} = %c0{{.*}} to %c100 step %c4
// 144 outputs: panels of 3 blocks of 16 (blocksPerPanel, as in the int8
// kernels), which compute exactly the result and write it in place, where
// panels of 4 computed 192 columns into a padded tensor.
// VNNI-LABEL: func.func @float_matmul_144
// VNNI: arith.constant dense<{{.+}}> : tensor<3x24x48xf32>
// VNNI: tensor.empty() : tensor<1x8x144xf32>
// VNNI-NOT: tensor.extract_slice
// VNNI: return
func.func @float_conv_rows6(%x: tensor<1x10x10x16xf32>) -> tensor<1x10x10x64xf32> {
  %w = "tosa.const"() {values = dense<0.25> : tensor<64x3x3x16xf32>} : () -> tensor<64x3x3x16xf32>
  %b = "tosa.const"() {values = dense<1.0> : tensor<64xf32>} : () -> tensor<64xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %y = tosa.conv2d %x, %w, %b, %zp, %zp {acc_type = f32, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>} : (tensor<1x10x10x16xf32>, tensor<64x3x3x16xf32>, tensor<64xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x10x10x64xf32>
  return %y : tensor<1x10x10x64xf32>
}
func.func @float_matmul_rows4(%x: tensor<1x100x144xf32>) -> tensor<1x100x64xf32> {
  %w = "tosa.const"() {values = dense<0.25> : tensor<1x144x64xf32>} : () -> tensor<1x144x64xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %y = tosa.matmul %x, %w, %zp, %zp : (tensor<1x100x144xf32>, tensor<1x144x64xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x100x64xf32>
  return %y : tensor<1x100x64xf32>
}
func.func @float_matmul_144(%x: tensor<1x8x24xf32>) -> tensor<1x8x144xf32> {
  %w = "tosa.const"() {values = dense<0.25> : tensor<1x24x144xf32>} : () -> tensor<1x24x144xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %y = tosa.matmul %x, %w, %zp, %zp : (tensor<1x8x24xf32>, tensor<1x24x144xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x8x144xf32>
  return %y : tensor<1x8x144xf32>
}

// -----

// Implicit GEMM (C % 4 == 0 for VNNI): no im2col copy; the padded input is
// flattened and the kernel reads row (n, oh, ow) at its pixel plus a
// per-step offset from a constant table: for 3x3 over a 7x7x4 padded input,
// step kb covers channels 0-3 of tap kb: offsets (kh * 7 + kw) * 4.
!qa = !quant.uniform<i8:f32, 0.02:-7>
!qw = !quant.uniform<i8<-127:127>:f32, 0.01>
!qo = !quant.uniform<i8:f32, 0.5:3>
// The int8 input is padded and sign-flipped (the u8 view) in one pass: the
// padded rows filled with the zero point's u8 view (-7 ^ 0x80 = 121), each
// input row of 5 x 4 bytes read as 64 lanes (past 20: the zero point),
// flipped and written at pixel 1 of its padded row (masked at its 28
// bytes: the lanes past 20 write the right padding's 121). Then read in
// place:
// VNNI-LABEL: func.func @conv3x3_implicit
// VNNI-NOT: tensor.insert_slice
// VNNI: %[[SRC:.+]] = tensor.collapse_shape %{{.+}} {{\[\[}}0], [1], [2, 3]] : tensor<1x5x5x4xi8> into tensor<1x5x20xi8>
// VNNI: %[[FILL:.+]] = arith.constant 121 : i8
// VNNI: linalg.fill ins(%[[FILL]] : i8) outs(%{{.+}} : tensor<1x7x28xi8>)
// VNNI: scf.for %[[IMG:.+]] = %c0{{.*}} to %c1
// VNNI: scf.for %[[ROW:.+]] = %c0{{.*}} to %c5
// VNNI: %[[OUTROW:.+]] = arith.addi %[[ROW]], %c1{{.*}} : index
// VNNI: %[[V:.+]] = vector.transfer_read %[[SRC]][%[[IMG]], %[[ROW]], %c0{{.*}}], %c-7_i8{{.*}} : tensor<1x5x20xi8>, vector<64xi8>
// VNNI: %[[U:.+]] = arith.xori %[[V]], %{{.+}} : vector<64xi8>
// VNNI: vector.transfer_write %[[U]], %{{.+}}[%[[IMG]], %[[OUTROW]], %{{.+}}] : vector<64xi8>, tensor<1x7x28xi8>
// VNNI: tensor.expand_shape %{{.+}} {{\[\[}}0], [1], [2, 3]] output_shape [1, 7, 7, 4] : tensor<1x7x28xi8> into tensor<1x7x7x4xi8>
// VNNI: %[[FLAT:.+]] = tensor.collapse_shape %{{.+}} {{\[\[}}0, 1, 2, 3]] : tensor<1x7x7x4xi8> into tensor<196xi8>
// VNNI-NOT: arith.xori
// VNNI: arith.constant dense<[0, 4, 8, 28, 32, 36, 56, 60, 64]> : tensor<9xi32>
// VNNI-NOT: linalg.generic
// VNNI: vector.transfer_read %{{.+}}[%{{.+}}], %{{.+}} {in_bounds = [true]} : tensor<196xi8>, vector<4xi8>
// VNNI: intq.x86.vpdpbusd
// GEN-LABEL: func.func @conv3x3_implicit
// GEN: tensor.collapse_shape %{{.+}} {{\[\[}}0, 1, 2, 3]] : tensor<1x7x7x4xi8> into tensor<196xi8>
// GEN: arith.constant dense<[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 28,
// AArch64 sdot: a kernel row's 12 bytes are one step, read by one 16-byte
// load per row that takes 4 bytes of the next pixel (zero weights): the
// padded input gets a column past its right edge (8 columns) for the last
// run of a row.
// ARM-LABEL: func.func @conv3x3_implicit
// ARM: tensor.collapse_shape %{{.+}} {{\[\[}}0, 1, 2, 3]] : tensor<1x7x8x4xi8> into tensor<224xi8>
// ARM: arith.constant dense<[0, 32, 64]> : tensor<3xi32>
// ARM-NOT: vector<4xi8>
// ARM-COUNT-4: vector.transfer_read %{{.+}} {in_bounds = [true]} : tensor<224xi8>, vector<16xi8>
// ARM-COUNT-12: intq.aarch64.sdot
// AVX2 (C % 2 == 0; weights 100, outside vpmaddubsw's [-64, 64]): the
// flat input widened to i16, offsets per pair of channels.
// AVX2-LABEL: func.func @conv3x3_implicit
// AVX2: arith.extsi %{{.+}} : vector<64xi8> to vector<64xi16>
// AVX2: arith.constant dense<[0, 2, 4, 6, 8, 10, 28, 30, 32, 34, 36, 38, 56, 58, 60, 62, 64, 66]> : tensor<18xi32>
// AVX2: vector.transfer_read %{{.+}} : tensor<196xi16>, vector<2xi16>
// AVX2: intq.x86.vpmaddwd
func.func @conv3x3_implicit(%x: tensor<1x5x5x4x!qa>) -> tensor<1x5x5x8x!qo> {
  %w = intq.qconst dense<100> : tensor<8x3x3x4xi8> -> tensor<8x3x3x4x!qw>
  %r = intq.conv2d %x, %w {stride = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, dilation = array<i64: 1, 1>} : (tensor<1x5x5x4x!qa>, tensor<8x3x3x4x!qw>) -> tensor<1x5x5x8x!qo>
  return %r : tensor<1x5x5x8x!qo>
}

// -----

// AArch64 sdot, runs of 4 bytes (3x1 kernel, C = 4): shorter than any
// lane-indexed step; 4 bytes per row and step, broadcast to the lanes
// (ld1r), 2 rows x 2 blocks; no columns added.
!qa = !quant.uniform<i8:f32, 0.02:-7>
!qw = !quant.uniform<i8<-127:127>:f32, 0.01>
!qo = !quant.uniform<i8:f32, 0.5:3>
// ARM-LABEL: func.func @conv3x1_broadcast
// ARM: tensor.collapse_shape %{{.+}} {{\[\[}}0, 1, 2, 3]] : tensor<1x7x5x4xi8> into tensor<140xi8>
// ARM: arith.constant dense<[0, 20, 40]> : tensor<3xi32>
// ARM: vector.transfer_read %{{.+}} : tensor<140xi8>, vector<4xi8>
// ARM: intq.aarch64.sdot
func.func @conv3x1_broadcast(%x: tensor<1x5x5x4x!qa>) -> tensor<1x5x5x20x!qo> {
  %w = intq.qconst dense<3> : tensor<20x3x1x4xi8> -> tensor<20x3x1x4x!qw>
  %r = intq.conv2d %x, %w {stride = array<i64: 1, 1>, pad = array<i64: 1, 1, 0, 0>, dilation = array<i64: 1, 1>} : (tensor<1x5x5x4x!qa>, tensor<20x3x1x4x!qw>) -> tensor<1x5x5x20x!qo>
  return %r : tensor<1x5x5x20x!qo>
}

// -----

// AArch64 sdot with C % 16 == 0: a kernel row's 3 pixels are 48
// contiguous bytes, one step per row and kernel row (laneSegment): three
// 16-byte loads per row, each feeding four lane-indexed sdot steps (as for
// matrices), 4 rows x 1 block; the offset table has one entry per kernel
// row, kh * 7 * 16 over the 7x7x16 padded input.
!qa = !quant.uniform<i8:f32, 0.02:-7>
!qw = !quant.uniform<i8<-127:127>:f32, 0.01>
!qo = !quant.uniform<i8:f32, 0.5:3>
// ARM-LABEL: func.func @conv3x3_lanes
// ARM: %[[FLAT:.+]] = tensor.collapse_shape %{{.+}} {{\[\[}}0, 1, 2, 3]] : tensor<1x7x7x16xi8> into tensor<784xi8>
// ARM: arith.constant dense<[0, 112, 224]> : tensor<3xi32>
// ARM: scf.for %{{.+}} = %{{.+}} to %c3 step %{{.+}} iter_args({{.*}}) -> (vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>)
// ARM-NOT: vector<4xi8>
// ARM-COUNT-4: vector.transfer_read %[[FLAT]][%{{.+}}], %{{.+}} {in_bounds = [true]} : tensor<784xi8>, vector<16xi8>
// ARM-COUNT-16: intq.aarch64.sdot
// ARM-COUNT-4: vector.transfer_read %[[FLAT]][%{{.+}}], %{{.+}} {in_bounds = [true]} : tensor<784xi8>, vector<16xi8>
// ARM-COUNT-16: intq.aarch64.sdot
// ARM-COUNT-4: vector.transfer_read %[[FLAT]][%{{.+}}], %{{.+}} {in_bounds = [true]} : tensor<784xi8>, vector<16xi8>
// ARM-COUNT-16: intq.aarch64.sdot
// ARM-NOT: intq.aarch64.sdot
// ARM: scf.yield
func.func @conv3x3_lanes(%x: tensor<1x5x5x16x!qa>) -> tensor<1x5x5x8x!qo> {
  %w = intq.qconst dense<1> : tensor<8x3x3x16xi8> -> tensor<8x3x3x16x!qw>
  %r = intq.conv2d %x, %w {stride = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, dilation = array<i64: 1, 1>} : (tensor<1x5x5x16x!qa>, tensor<8x3x3x16x!qw>) -> tensor<1x5x5x8x!qo>
  return %r : tensor<1x5x5x8x!qo>
}

// -----

// AArch64 sdot with C = 8 (C % 4 == 0, not 16): a kernel row's 3 pixels
// are 24 contiguous bytes, one lane-indexed step per row (laneSegment):
// loads at 0 and at 8 (the second ends at the step's end, no byte outside
// it is read), groups 0-3 from lanes 0-3 of the first, 4-5 from lanes 2-3
// of the second, 6 x 4 sdot. Each load of the 4 rows comes right before
// the groups it feeds. The offset table has one entry per kernel row,
// kh * 7 * 8 over the 7x7x8 padded input; no 4-byte broadcasts.
!qa = !quant.uniform<i8:f32, 0.02:-7>
!qw = !quant.uniform<i8<-127:127>:f32, 0.01>
!qo = !quant.uniform<i8:f32, 0.5:3>
// ARM-LABEL: func.func @conv3x3_row_steps
// ARM: %[[FLAT:.+]] = tensor.collapse_shape %{{.+}} {{\[\[}}0, 1, 2, 3]] : tensor<1x7x7x8xi8> into tensor<392xi8>
// ARM: arith.constant dense<[0, 56, 112]> : tensor<3xi32>
// ARM: scf.for %{{.+}} = %{{.+}} to %c3 step %{{.+}} iter_args({{.*}}) -> (vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>)
// ARM-NOT: vector<4xi8>
// ARM: %[[A:.+]] = vector.transfer_read %[[FLAT]][%[[BASE:.+]]], %{{.+}} {in_bounds = [true]} : tensor<392xi8>, vector<16xi8>
// ARM: %[[LA:.+]] = vector.bitcast %[[A]] : vector<16xi8> to vector<4xi32>
// ARM-COUNT-3: vector.transfer_read %[[FLAT]]
// ARM-NOT: vector.transfer_read %[[FLAT]]
// ARM: vector.extract %[[LA]][0] : i32 from vector<4xi32>
// ARM: vector.extract %[[LA]][1] : i32 from vector<4xi32>
// ARM: vector.extract %[[LA]][2] : i32 from vector<4xi32>
// ARM: vector.extract %[[LA]][3] : i32 from vector<4xi32>
// ARM: %[[OFF:.+]] = arith.addi %[[BASE]], %c8{{.*}} : index
// ARM: %[[B:.+]] = vector.transfer_read %[[FLAT]][%[[OFF]]], %{{.+}} {in_bounds = [true]} : tensor<392xi8>, vector<16xi8>
// ARM: %[[LB:.+]] = vector.bitcast %[[B]] : vector<16xi8> to vector<4xi32>
// ARM-COUNT-3: vector.transfer_read %[[FLAT]]
// ARM: vector.extract %[[LB]][2] : i32 from vector<4xi32>
// ARM: vector.extract %[[LB]][3] : i32 from vector<4xi32>
// ARM-COUNT-4: intq.aarch64.sdot
// ARM-NOT: intq.aarch64.sdot
// ARM: scf.yield
func.func @conv3x3_row_steps(%x: tensor<1x5x5x8x!qa>) -> tensor<1x5x5x8x!qo> {
  %w = intq.qconst dense<1> : tensor<8x3x3x8xi8> -> tensor<8x3x3x8x!qw>
  %r = intq.conv2d %x, %w {stride = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, dilation = array<i64: 1, 1>} : (tensor<1x5x5x8x!qa>, tensor<8x3x3x8x!qw>) -> tensor<1x5x5x8x!qo>
  return %r : tensor<1x5x5x8x!qo>
}

// -----

// AArch64 sdot, a matrix with K = 24 (K % 16 != 0, so the input is copied
// to pad K anyway): two steps of 12 bytes, one 16-byte load per row each
// (lanes 0-2; the copy has 4 bytes of slack past K for the last one),
// 6 groups in all instead of 8 over K padded to 32.
!qa = !quant.uniform<i8:f32, 0.02:-7>
!qw = !quant.uniform<i8<-127:127>:f32, 0.01>
!qo = !quant.uniform<i8:f32, 0.5:3>
// ARM-LABEL: func.func @matmul_k12_steps
// ARM: tensor.insert_slice %{{.+}} into %{{.+}}[0, 0] [5, 24] [1, 1] : tensor<5x24xi8> into tensor<5x28xi8>
// ARM: arith.constant dense<{{.+}}> : tensor<1x6x64xi8>
// ARM: scf.for %[[KQ:.+]] = %c0 to %c2 step %c1 iter_args({{.*}}) -> (vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>)
// ARM: %[[K0:.+]] = arith.muli %[[KQ]], %c12{{.*}} : index
// ARM: vector.transfer_read %{{.+}}[%{{.+}}, %[[K0]]], %{{.+}} {in_bounds = [true]} : tensor<5x28xi8>, vector<16xi8>
// ARM-NOT: vector.extract %{{.+}}[3] : i32
// ARM-COUNT-12: intq.aarch64.sdot
// ARM-NOT: intq.aarch64.sdot
// ARM: scf.yield
func.func @matmul_k12_steps(%x: tensor<5x24x!qa>) -> tensor<5x16x!qo> {
  %w = intq.qconst dense<3> : tensor<16x24xi8> -> tensor<16x24x!qw>
  %r = intq.matmul %x, %w : (tensor<5x24x!qa>, tensor<16x24x!qw>) -> tensor<5x16x!qo>
  return %r : tensor<5x16x!qo>
}

// -----

// AArch64 sdot, a matrix with K % 32 == 0: 32 bytes per row and step (two
// 16-byte loads, 8 groups), 2 steps for K = 64.
!qa = !quant.uniform<i8:f32, 0.02:-7>
!qw = !quant.uniform<i8<-127:127>:f32, 0.01>
!qo = !quant.uniform<i8:f32, 0.5:3>
// ARM-LABEL: func.func @matmul_k32_steps
// ARM: scf.for %[[KQ:.+]] = %c0 to %c2 step %c1 iter_args({{.*}}) -> (vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>)
// ARM: %[[K0:.+]] = arith.muli %[[KQ]], %c32{{.*}} : index
// ARM: vector.transfer_read %{{.+}}[%{{.+}}, %[[K0]]], %{{.+}} {in_bounds = [true]} : tensor<5x64xi8>, vector<16xi8>
// ARM: %[[K1:.+]] = arith.addi %[[K0]], %c16{{.*}} : index
// ARM: vector.transfer_read %{{.+}}[%{{.+}}, %[[K1]]], %{{.+}} {in_bounds = [true]} : tensor<5x64xi8>, vector<16xi8>
// ARM-COUNT-32: intq.aarch64.sdot
// ARM-NOT: intq.aarch64.sdot
// ARM: scf.yield
func.func @matmul_k32_steps(%x: tensor<5x64x!qa>) -> tensor<5x16x!qo> {
  %w = intq.qconst dense<3> : tensor<16x64xi8> -> tensor<16x64x!qw>
  %r = intq.matmul %x, %w : (tensor<5x64x!qa>, tensor<16x64x!qw>) -> tensor<5x16x!qo>
  return %r : tensor<5x16x!qo>
}

// -----

// Float tosa.depthwise_conv2d (multiplier 1): the depthwise loop nest with
// FMA on 16 channels (3 real: masked) from the bias; no padded copy of the
// input and no cropped copy of the output.
// VNNI-LABEL: func.func @float_depthwise
// VNNI-NOT: linalg.fill
// VNNI: arith.constant dense<{{.+}}> : tensor<9x16xf32>
// VNNI: %[[B:.+]] = vector.transfer_read %{{.+}}[%{{.+}}], %{{.+}} {in_bounds = [true]} : tensor<16xf32>, vector<16xf32>
// VNNI: arith.select %{{.+}}, %{{.+}}, %{{.+}} : vector<16xf32>
// VNNI: vector.fma %{{.+}}, %{{.+}}, %[[B]]
// VNNI-NOT: arith.addf
// VNNI: vector.transfer_write %{{.+}}, %{{.+}}[%{{.+}}, %{{.+}}, %{{.+}}, %c0{{.*}}] : vector<16xf32>, tensor<1x5x5x3xf32>
// Interior rows 1..3: column 0 checked, 1..3 unchecked as one step of 3
// columns (fewer than 8), column 4 checked.
// VNNI: scf.for %{{.+}} = %c1{{.*}} to %c4{{.*}} step %c1
// VNNI: scf.for %{{.+}} = %c0{{.*}} to %c1{{.*}} step %c1
// VNNI: arith.select
// VNNI: scf.yield
// VNNI-NOT: arith.select
// VNNI-COUNT-27: vector.fma
// VNNI-COUNT-3: vector.transfer_write
// VNNI-NEXT: arith.constant 4 : index
// VNNI: scf.for %{{.+}} = %c4{{.*}} to %c5{{.*}} step %c1
// VNNI: arith.select
// VNNI-NOT: tensor.extract_slice
// VNNI-NOT: tosa.depthwise_conv2d
func.func @float_depthwise(%x: tensor<1x5x5x3xf32>) -> tensor<1x5x5x3xf32> {
  %w = "tosa.const"() {values = dense<0.5> : tensor<3x3x3x1xf32>} : () -> tensor<3x3x3x1xf32>
  %b = "tosa.const"() {values = dense<1.0> : tensor<3xf32>} : () -> tensor<3xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %y = tosa.depthwise_conv2d %x, %w, %b, %zp, %zp {acc_type = f32, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>} : (tensor<1x5x5x3xf32>, tensor<3x3x3x1xf32>, tensor<3xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x5x5x3xf32>
  return %y : tensor<1x5x5x3xf32>
}

// -----

// 80 outputs are 5 blocks of 16: 2 panels of 3 blocks (one padded block,
// its stores masked away) rather than 2 of 4 (three padded blocks).
!qa = !quant.uniform<i8:f32, 0.02:-7>
!qw = !quant.uniform<i8<-127:127>:f32, 0.01>
!qo = !quant.uniform<i8:f32, 0.5:3>
// VNNI-LABEL: func.func @five_blocks
// VNNI: arith.constant dense<{{.+}}> : tensor<2x2x192xi8>
// VNNI: scf.for %{{.+}} = %c0{{.*}} to %c2 step %c1
// VNNI: scf.for {{.+}} -> (vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>)
// VNNI: vector.transfer_write %{{.+}}, %{{.+}}[%{{.+}}, %{{.+}}] : vector<16xi8>, tensor<4x80xi8>
func.func @five_blocks(%x: tensor<4x8x!qa>) -> tensor<4x80x!qo> {
  %w = intq.qconst dense<1> : tensor<80x8xi8> -> tensor<80x8x!qw>
  %r = intq.matmul %x, %w : (tensor<4x8x!qa>, tensor<80x8x!qw>) -> tensor<4x80x!qo>
  return %r : tensor<4x80x!qo>
}

// -----

// A tosa.clamp that is the only user of a float kernel is applied on its
// registers (maximumf / minimumf: NaN propagates as in tosa.clamp), as the
// int8 kernels apply their fused activation: no second pass over the
// output.
// VNNI-LABEL: func.func @float_conv_relu6
// VNNI: vector.fma
// VNNI: %[[LO:.+]] = arith.maximumf %{{.+}}, %cst{{.*}} : vector<16xf32>
// VNNI: arith.minimumf %[[LO]], %cst{{.*}} : vector<16xf32>
// VNNI-NOT: tosa.clamp
// GEN-LABEL: func.func @float_conv_relu6
// GEN: arith.maximumf
// GEN-LABEL: func.func @float_conv_two_users
func.func @float_conv_relu6(%x: tensor<1x5x5x3xf32>) -> tensor<1x5x5x8xf32> {
  %w = "tosa.const"() {values = dense<0.25> : tensor<8x3x3x3xf32>} : () -> tensor<8x3x3x3xf32>
  %b = "tosa.const"() {values = dense<1.0> : tensor<8xf32>} : () -> tensor<8xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %y = tosa.conv2d %x, %w, %b, %zp, %zp {acc_type = f32, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>} : (tensor<1x5x5x3xf32>, tensor<8x3x3x3xf32>, tensor<8xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x5x5x8xf32>
  %r = tosa.clamp %y {min_val = 0.0 : f32, max_val = 6.0 : f32} : (tensor<1x5x5x8xf32>) -> tensor<1x5x5x8xf32>
  return %r : tensor<1x5x5x8xf32>
}

// -----

// A clamp that is not the kernel's only user stays a separate op.
// VNNI-LABEL: func.func @float_conv_two_users
// VNNI: vector.fma
// VNNI-NOT: arith.maximumf
// VNNI: tosa.clamp
func.func @float_conv_two_users(%x: tensor<1x5x5x3xf32>) -> (tensor<1x5x5x8xf32>, tensor<1x5x5x8xf32>) {
  %w = "tosa.const"() {values = dense<0.25> : tensor<8x3x3x3xf32>} : () -> tensor<8x3x3x3xf32>
  %b = "tosa.const"() {values = dense<1.0> : tensor<8xf32>} : () -> tensor<8xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %y = tosa.conv2d %x, %w, %b, %zp, %zp {acc_type = f32, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>} : (tensor<1x5x5x3xf32>, tensor<8x3x3x3xf32>, tensor<8xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x5x5x8xf32>
  %r = tosa.clamp %y {min_val = 0.0 : f32, max_val = 6.0 : f32} : (tensor<1x5x5x8xf32>) -> tensor<1x5x5x8xf32>
  return %r, %y : tensor<1x5x5x8xf32>, tensor<1x5x5x8xf32>
}

// -----

// A conv with one output channel writes whole blocks of 16 into a padded
// tensor and cuts channel 0 out (n % 16 == 1); its result, collapsed, is the
// next matmul's activation matrix. In its buffer the rows' 4 bytes lie 16
// apart, which the matmul's 4-byte vector reads cannot use: the kernel
// reads a contiguous copy (found by intq-ptq-fuzzer: translation to LLVM IR
// used to fail). Kernels are rewritten in program order, so the matmul
// sees the conv's slice.
!qa = !quant.uniform<i8:f32, 0.5:-1>
!qw = !quant.uniform<i8<-127:127>:f32, 0.25>
!qb = !quant.uniform<i8:f32, 1.0:3>
!qc = !quant.uniform<i8:f32, 2.0:0>
// VNNI-LABEL: func.func @sliced_activations
// VNNI: %[[SLICE:.+]] = tensor.extract_slice %{{.+}}[0, 0] [8, 1] [1, 1] : tensor<8x16xi8> to tensor<8x1xi8>
// VNNI: %[[X:.+]] = quant.scast %{{.+}} : tensor<2x4x!quant.uniform<i8:f32, 1.000000e+00:3>> to tensor<2x4xi8>
// VNNI: %[[EMPTY:.+]] = tensor.empty() : tensor<2x4xi8>
// VNNI: %[[COPY:.+]] = linalg.copy ins(%[[X]] : tensor<2x4xi8>) outs(%[[EMPTY]] : tensor<2x4xi8>)
// (then the sign-flip pass reads the copy, flattened)
// VNNI: tensor.collapse_shape %[[COPY]]
// VNNI-NOT: vector.transfer_read %[[X]]
// A function argument needs no copy.
// VNNI-LABEL: func.func @matmul_of_argument
// VNNI-NOT: linalg.copy
// VNNI: intq.x86.vpdpbusd
func.func @sliced_activations(%x: tensor<2x1x4x4x!qa>) -> tensor<2x10x!qc> {
  %w = intq.qconst dense<1> : tensor<1x1x1x4xi8> -> tensor<1x1x1x4x!qw>
  %c = intq.conv2d %x, %w {dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<2x1x4x4x!qa>, tensor<1x1x1x4x!qw>) -> tensor<2x1x4x1x!qb>
  %f = tensor.collapse_shape %c [[0], [1, 2, 3]] : tensor<2x1x4x1x!qb> into tensor<2x4x!qb>
  %m = intq.qconst dense<1> : tensor<10x4xi8> -> tensor<10x4x!qw>
  %y = intq.matmul %f, %m : (tensor<2x4x!qb>, tensor<10x4x!qw>) -> tensor<2x10x!qc>
  return %y : tensor<2x10x!qc>
}
func.func @matmul_of_argument(%f: tensor<2x4x!qb>) -> tensor<2x10x!qc> {
  %m = intq.qconst dense<1> : tensor<10x4xi8> -> tensor<10x4x!qw>
  %y = intq.matmul %f, %m : (tensor<2x4x!qb>, tensor<10x4x!qw>) -> tensor<2x10x!qc>
  return %y : tensor<2x10x!qc>
}

// -----

// An AMX convolution with C % 64 == 0 is an implicit GEMM: the input is
// padded with its zero point into a flat buffer with slack for the last
// tiles (1x7x8x64 + (16 + 2 + 1) x 64 bytes), and each tile reads 16
// pixels of the padded width in place at stride C (stride 1: "virtual"
// rows; rows past the output width are computed and their stores masked
// off). No im2col copy.
!qa = !quant.uniform<i8:f32, 0.02:-7>
!qw = !quant.uniform<i8<-127:127>:f32, 0.01>
!qo = !quant.uniform<i8:f32, 0.5:3>
// AMX-LABEL: func.func @conv_amx_implicit
// AMX: %[[X:.+]] = memref.alloc() {alignment = 64 : i64} : memref<4800xi8>
// AMX: linalg.fill ins(%{{.+}} : i8) outs(%[[X]] : memref<4800xi8>)
// AMX: %[[GRID:.+]] = memref.reinterpret_cast %[[X]] to offset: [0], sizes: [1, 7, 8, 64], strides: [3584, 512, 64, 1]
// AMX: %[[SUB:.+]] = memref.subview %[[GRID]][0, 1, 1, 0] [1, 5, 6, 64] [1, 1, 1, 1]
// AMX: memref.copy %{{.+}}, %[[SUB]]
// AMX-NOT: linalg.generic
// AMX: scf.for
// AMX: %[[T:.+]] = memref.reinterpret_cast %[[X]] to offset: [%{{.+}}], sizes: [16, 64], strides: [64, 1] : memref<4800xi8> to memref<16x64xi8, strided<[64, 1], offset: ?>>
// AMX: amx.tile_load %[[T]][%{{.+}}, %{{.+}}] : memref<16x64xi8, strided<[64, 1], offset: ?>> into !amx.tile<16x64xi8>
// AMX: %[[MASK:.+]] = vector.broadcast %{{.+}} : i1 to vector<32xi1>
// AMX: vector.transfer_write %{{.+}}, %{{.+}}[%{{.+}}, %{{.+}}], %[[MASK]] {in_bounds = [true]} : vector<32xi8>, tensor<30x32xi8>
// AMX-NOT: intq.conv2d
func.func @conv_amx_implicit(%x: tensor<1x5x6x64x!qa>) -> tensor<1x5x6x20x!qo> {
  %w = intq.qconst dense<2> : tensor<20x3x3x64xi8> -> tensor<20x3x3x64x!qw>
  %r = intq.conv2d %x, %w {pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>} : (tensor<1x5x6x64x!qa>, tensor<20x3x3x64x!qw>) -> tensor<1x5x6x20x!qo>
  return %r : tensor<1x5x6x20x!qo>
}

// -----

// Stride 2: each tile reads 16 pixels of one output row at stride s1 * C.
!qa = !quant.uniform<i8:f32, 0.02:-7>
!qw = !quant.uniform<i8<-127:127>:f32, 0.01>
!qo = !quant.uniform<i8:f32, 0.5:3>
// AMX-LABEL: func.func @conv_amx_strided
// AMX: memref.reinterpret_cast %{{.+}} to offset: [%{{.+}}], sizes: [16, 64], strides: [256, 1] : memref<{{[0-9]+}}xi8> to memref<16x64xi8, strided<[256, 1], offset: ?>>
func.func @conv_amx_strided(%x: tensor<1x9x9x128x!qa>) -> tensor<1x4x4x16x!qo> {
  %w = intq.qconst dense<2> : tensor<16x3x3x128xi8> -> tensor<16x3x3x128x!qw>
  %r = intq.conv2d %x, %w {pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 2, 2>, dilation = array<i64: 1, 1>} : (tensor<1x9x9x128x!qa>, tensor<16x3x3x128x!qw>) -> tensor<1x4x4x16x!qo>
  return %r : tensor<1x4x4x16x!qo>
}

// -----

// Three row blocks (one panel: three items): item i's epilogue rows are
// requantized inside item i + 1's K loop (K = 256: 4 steps of 4 row pairs
// of both column tiles, 2 stores of 32 bytes a pair), the last item's
// after the loop over items.
!qa = !quant.uniform<i8:f32, 0.02:-7>
!qw = !quant.uniform<i8<-127:127>:f32, 0.01>
!qo = !quant.uniform<i8:f32, 0.5:3>
// AMX-LABEL: func.func @matmul_amx_pipelined
// AMX: scf.for
// AMX: amx.tile_muli
// AMX: amx.tile_store
// The loop over items 1 and 2, its K loop carrying the output:
// AMX: scf.for %{{.+}} = %{{.+}} to %{{.+}} step %{{.+}} iter_args(%{{.+}} = %{{.+}}) -> (tensor<96x32xi8>)
// AMX: scf.for {{.+}} -> (!amx.tile<16x16xi32>, !amx.tile<16x16xi32>, !amx.tile<16x16xi32>, !amx.tile<16x16xi32>, tensor<96x32xi8>)
// AMX-COUNT-4: amx.tile_muli
// AMX-COUNT-8: vector.transfer_write
// AMX: scf.yield
// AMX-COUNT-4: amx.tile_store
// AMX-COUNT-32: vector.transfer_write
// AMX-NOT: vector.transfer_write
// AMX: return
func.func @matmul_amx_pipelined(%x: tensor<70x256x!qa>) -> tensor<70x20x!qo> {
  %w = intq.qconst dense<3> : tensor<20x256xi8> -> tensor<20x256x!qw>
  %r = intq.matmul %x, %w : (tensor<70x256x!qa>, tensor<20x256x!qw>) -> tensor<70x20x!qo>
  return %r : tensor<70x20x!qo>
}

// -----

// A matrix of whole tiles (64 rows, K = 128) is read in place, no copy:
// tile (u, kb) at row 16u, byte 64kb of the input's buffer. Its result
// goes to a fresh buffer (bufferization.alloc_tensor: a tensor.empty could
// be CSE'd with the one an earlier kernel wrote this input into). Two
// blocks x two panels: block-major items, item t's block t / 2, panel t % 2.
!qa = !quant.uniform<i8:f32, 0.02:-7>
!qw = !quant.uniform<i8<-127:127>:f32, 0.01>
!qo = !quant.uniform<i8:f32, 0.5:3>
// AMX-LABEL: func.func @matmul_amx_in_place
// AMX-NOT: memref.alloc() {{.+}} : memref<{{.+}}xi8>
// AMX-NOT: memref.copy
// AMX: %[[OUT:.+]] = bufferization.alloc_tensor() : tensor<64x64xi8>
// AMX: %[[X:.+]] = bufferization.to_buffer %{{.+}} read_only : tensor<64x128xi8> to memref<64x128xi8>
// AMX-NOT: memref.copy
// AMX: %[[ROW:.+]] = arith.muli %{{.+}}, %c16{{.*}} : index
// AMX: %[[COL:.+]] = arith.muli %{{.+}}, %c64{{.*}} : index
// AMX: amx.tile_load %[[X]][%[[ROW]], %[[COL]]] : memref<64x128xi8> into !amx.tile<16x64xi8>
// AMX: scf.for %[[T:.+]] = %c1{{.*}} to %c4{{.*}} step %c1{{.*}} iter_args(%{{.+}} = %{{.+}}) -> (tensor<64x64xi8>)
// AMX: arith.divui %[[T]], %c2{{.*}} : index
// AMX: arith.remui %[[T]], %c2{{.*}} : index
func.func @matmul_amx_in_place(%x: tensor<64x128x!qa>) -> tensor<64x64x!qo> {
  %w = intq.qconst dense<3> : tensor<64x128xi8> -> tensor<64x128x!qw>
  %r = intq.matmul %x, %w : (tensor<64x128x!qa>, tensor<64x128x!qw>) -> tensor<64x64x!qo>
  return %r : tensor<64x64x!qo>
}

// -----

// VNNI with int8 activations read by more than one column panel (8 x 64
// by 128 outputs: two panels of 4 x 16): one pass flips the input's sign
// bits (u8 view) before the kernel, whose broadcasts then need no xor. The
// pass is a vector loop over the flat input, 64 bytes a step.
!qa = !quant.uniform<i8:f32, 0.02:-7>
!qw = !quant.uniform<i8<-127:127>:f32, 0.01>
!qo = !quant.uniform<i8:f32, 0.5:3>
// VNNI-LABEL: func.func @vnni_flip_first
// VNNI-NOT: memref.alloca
// VNNI: %[[FLAT:.+]] = tensor.collapse_shape %{{.+}} {{\[\[}}0, 1]] : tensor<8x64xi8> into tensor<512xi8>
// VNNI: scf.for %[[I:.+]] = %c0{{.*}} to %c512{{.*}} step %c64
// VNNI: %[[V:.+]] = vector.transfer_read %[[FLAT]][%[[I]]], %{{.+}} {in_bounds = [true]} : tensor<512xi8>, vector<64xi8>
// VNNI: %[[X:.+]] = arith.xori %[[V]], %{{.+}} : vector<64xi8>
// VNNI: vector.transfer_write %[[X]], %{{.+}}[%[[I]]] {in_bounds = [true]} : vector<64xi8>, tensor<512xi8>
// VNNI: tensor.expand_shape %{{.+}} {{\[\[}}0, 1]] output_shape [8, 64] : tensor<512xi8> into tensor<8x64xi8>
// VNNI: scf.for {{.*}} to %c2
// VNNI-NOT: arith.xori
// VNNI: intq.x86.vpdpbusd
// VNNI-NOT: arith.xori
// VNNI: return
func.func @vnni_flip_first(%x: tensor<8x64x!qa>) -> tensor<8x128x!qo> {
  %w = intq.qconst dense<3> : tensor<128x64xi8> -> tensor<128x64x!qw>
  %r = intq.matmul %x, %w : (tensor<8x64x!qa>, tensor<128x64x!qw>) -> tensor<8x128x!qo>
  return %r : tensor<8x128x!qo>
}

// -----

// VNNI with int8 activations that one column panel reads once (32
// outputs: one panel of 8 rows x 2 blocks) and rows of at least 64 bytes:
// no pass over the whole input; each row block's 8 rows are flipped into
// a 64-byte aligned stack buffer right before its reduction, 64 bytes at a
// time (K = 100: the second vector of a row masked to 36 bytes; the last
// block's rows past 19 read row 19), and the kernel broadcasts from there.
!qa = !quant.uniform<i8:f32, 0.02:-7>
!qw = !quant.uniform<i8<-127:127>:f32, 0.01>
!qo = !quant.uniform<i8:f32, 0.5:3>
// VNNI-LABEL: func.func @vnni_flip_per_block
// VNNI: %[[BUF:.+]] = memref.alloca() {alignment = 64 : i64} : memref<8x128xi8>
// VNNI: %[[X:.+]] = quant.scast %arg0 : {{.+}} to tensor<20x100xi8>
// VNNI-NOT: tensor.collapse_shape
// The folded bias includes -128 * sum(q_w) for the u8 view: 3 * 100 *
// (-7 + 128), and 2^31 (the biased accumulator): 2^31 - 36300.
// VNNI: arith.constant dense<2147447348> : tensor<32xi32>
// VNNI: scf.for %{{.+}} = %c0{{.*}} to %c24{{.*}} step %c8
// VNNI: %[[ROW0:.+]] = arith.minui %{{.+}}, %c19{{.*}} : index
// VNNI: %[[V0:.+]] = vector.transfer_read %[[X]][%[[ROW0]], %c0{{.*}}], %{{.+}} {in_bounds = [true]} : tensor<20x100xi8>, vector<64xi8>
// VNNI: %[[F0:.+]] = arith.xori %[[V0]], %{{.+}} : vector<64xi8>
// VNNI: vector.transfer_write %[[F0]], %[[BUF]][%c0{{.*}}, %c0{{.*}}] {in_bounds = [true]} : vector<64xi8>, memref<8x128xi8>
// VNNI: %[[V1:.+]] = vector.transfer_read %[[X]][%[[ROW0]], %c64{{.*}}], %{{.+}} : tensor<20x100xi8>, vector<64xi8>
// VNNI: arith.xori %[[V1]]
// VNNI: vector.transfer_write %{{.+}}, %[[BUF]][%c0{{.*}}, %c64{{.*}}] {in_bounds = [true]}
// VNNI-COUNT-14: vector.transfer_write %{{.+}}, %[[BUF]]
// VNNI: scf.for %[[KB:.+]] = %c0{{.*}} to %c25{{.*}} step %c1
// VNNI-NOT: arith.xori
// VNNI: %[[K:.+]] = arith.muli %[[KB]], %c4{{.*}} : index
// VNNI: vector.transfer_read %[[BUF]][%c0{{.*}}, %[[K]]], %{{.+}} {in_bounds = [true]} : memref<8x128xi8>, vector<4xi8>
// VNNI-NOT: arith.xori
// VNNI: intq.x86.vpdpbusd
// VNNI: vector.transfer_read %[[BUF]][%c7{{.*}}, %[[K]]]
// VNNI-NOT: arith.xori
// VNNI: intq.x86.pack_bytes
func.func @vnni_flip_per_block(%x: tensor<20x100x!qa>) -> tensor<20x32x!qo> {
  %w = intq.qconst dense<3> : tensor<32x100xi8> -> tensor<32x100x!qw>
  %r = intq.matmul %x, %w : (tensor<20x100x!qa>, tensor<32x100x!qw>) -> tensor<20x32x!qo>
  return %r : tensor<20x32x!qo>
}

// -----

// The same with rows of 2304 bytes: 8 of them would take 18 KiB of stack
// (more than 16 KiB), so the whole input is flipped by the pass instead.
!qa = !quant.uniform<i8:f32, 0.02:-7>
!qw = !quant.uniform<i8<-127:127>:f32, 0.01>
!qo = !quant.uniform<i8:f32, 0.5:3>
// VNNI-LABEL: func.func @vnni_flip_long_rows
// VNNI-NOT: memref.alloca
// VNNI: tensor.collapse_shape %{{.+}} {{\[\[}}0, 1]] : tensor<16x2304xi8> into tensor<36864xi8>
// VNNI: arith.xori %{{.+}}, %{{.+}} : vector<64xi8>
// VNNI: intq.x86.vpdpbusd
func.func @vnni_flip_long_rows(%x: tensor<16x2304x!qa>) -> tensor<16x16x!qo> {
  %w = intq.qconst dense<1> : tensor<16x2304xi8> -> tensor<16x2304x!qw>
  %r = intq.matmul %x, %w : (tensor<16x2304x!qa>, tensor<16x2304x!qw>) -> tensor<16x16x!qo>
  return %r : tensor<16x16x!qo>
}

// -----

// One row (a fully connected layer at batch 1) has one accumulator per
// block of 16 columns: the reduction is split over 8 independent
// accumulator sets (K = 512: 16 iterations of 8 steps; the first set starts
// at the bias, the others at 0), summed before the epilogue. Without it the
// loop is one chain of 128 dependent vpdpbusd.
!qa = !quant.uniform<i8:f32, 0.02:-7>
!qw = !quant.uniform<i8<-127:127>:f32, 0.01>
!qo = !quant.uniform<i8:f32, 0.5:3>
// VNNI-LABEL: func.func @fc_batch1
// VNNI: %[[Z:.+]] = arith.constant dense<0> : vector<16xi32>
// VNNI: %[[R:.+]]:8 = scf.for %{{.+}} = %{{.+}} to %c16{{.*}} step %{{.+}} iter_args(%[[A0:.+]] = %{{.+}}, %[[A1:.+]] = %[[Z]], {{.*}}) -> (vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>)
// VNNI: intq.x86.vpdpbusd %[[A0]],
// VNNI: intq.x86.vpdpbusd %[[A1]],
// VNNI-COUNT-6: intq.x86.vpdpbusd
// VNNI-NOT: intq.x86.vpdpbusd
// VNNI: arith.addi %[[R]]#0, %[[R]]#1 : vector<16xi32>
// VNNI-COUNT-6: arith.addi {{.*}} : vector<16xi32>
// GEN-LABEL: func.func @fc_batch1
// GEN: scf.for {{.*}} -> (vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>)
func.func @fc_batch1(%x: tensor<1x512x!qa>) -> tensor<1x16x!qo> {
  %w = intq.qconst dense<1> : tensor<16x512xi8> -> tensor<16x512x!qw>
  %r = intq.matmul %x, %w : (tensor<1x512x!qa>, tensor<16x512x!qw>) -> tensor<1x16x!qo>
  return %r : tensor<1x16x!qo>
}

// -----

// The fp32 kernel splits a one-row reduction the same way (K = 100 padded
// to 104 = 13 iterations of 8; the weights zero-padded), summing the 8 sets
// with arith.addf.
// VNNI-LABEL: func.func @float_fc_batch1
// VNNI: tensor.insert_slice %{{.+}} into %{{.+}}[0, 0] [1, 100] [1, 1] : tensor<1x100xf32> into tensor<1x104xf32>
// VNNI: arith.constant dense<{{.+}}> : tensor<1x104x16xf32>
// VNNI: %[[R:.+]]:8 = scf.for %{{.+}} = %{{.+}} to %c13{{.*}} step %{{.+}} iter_args({{.*}}) -> (vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>)
// VNNI-COUNT-8: vector.fma
// VNNI-NOT: vector.fma
// VNNI: arith.addf %[[R]]#0, %[[R]]#1 : vector<16xf32>
// VNNI-COUNT-6: arith.addf {{.*}} : vector<16xf32>
func.func @float_fc_batch1(%x: tensor<1x1x100xf32>) -> tensor<1x1x10xf32> {
  %w = "tosa.const"() {values = dense<0.5> : tensor<1x100x10xf32>} : () -> tensor<1x100x10xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %y = tosa.matmul %x, %w, %zp, %zp : (tensor<1x1x100xf32>, tensor<1x100x10xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x10xf32>
  return %y : tensor<1x1x10xf32>
}

// -----

// K = 1000 by 64 outputs: a panel of weights is 250 steps x 256 bytes =
// 62.5 KiB, more than the 48 KiB L1 data cache, so the VNNI kernel runs
// the reduction in two passes of 125 steps over the two row blocks;
// between them each block's 16 accumulators wait in a [rows][4][16] i32
// scratch carried by the panel loop. The last pass reads them back,
// finishes the reduction and stores the output. The generic kernels keep
// one pass.
!qa = !quant.uniform<i8:f32, 0.02:-7>
!qw = !quant.uniform<i8<-127:127>:f32, 0.01>
!qo = !quant.uniform<i8:f32, 0.5:3>
// VNNI-LABEL: func.func @reduction_passes
// VNNI: %[[SCRATCH:.+]] = tensor.empty() : tensor<8x4x16xi32>
// VNNI: scf.for {{.+}} iter_args(%{{.+}} = %{{.+}}, %{{.+}} = %[[SCRATCH]]) -> (tensor<8x64xi8>, tensor<8x4x16xi32>)
// VNNI: scf.for {{.+}} -> (tensor<8x4x16xi32>)
// VNNI: scf.for %{{.+}} = %{{.+}} to %c125 step
// VNNI-COUNT-16: vector.transfer_write {{.+}} : vector<16xi32>, tensor<8x4x16xi32>
// VNNI: scf.for {{.+}} -> (tensor<8x64xi8>)
// VNNI-COUNT-16: vector.transfer_read {{.+}} : tensor<8x4x16xi32>, vector<16xi32>
// VNNI: scf.for %{{.+}} = %c125 to %c250 step
// VNNI: vector.transfer_write {{.+}} : vector<64xi8>, tensor<8x64xi8>
// GEN-LABEL: func.func @reduction_passes
// GEN-NOT: tensor<8x4x16xi32>
func.func @reduction_passes(%x: tensor<8x1000x!qa>) -> tensor<8x64x!qo> {
  %w = intq.qconst dense<1> : tensor<64x1000xi8> -> tensor<64x1000x!qw>
  %r = intq.matmul %x, %w : (tensor<8x1000x!qa>, tensor<64x1000x!qw>) -> tensor<8x64x!qo>
  return %r : tensor<8x64x!qo>
}

// -----

// The same panel with a single row block: its weights are read once
// whatever the order, so the reduction stays in one pass (no scratch).
!qa = !quant.uniform<i8:f32, 0.02:-7>
!qw = !quant.uniform<i8<-127:127>:f32, 0.01>
!qo = !quant.uniform<i8:f32, 0.5:3>
// VNNI-LABEL: func.func @reduction_one_row_block
// VNNI-NOT: tensor<4x4x16xi32>
// VNNI: scf.for %{{.+}} = %{{.+}} to %c250 step
// VNNI-NOT: tensor<4x4x16xi32>
// VNNI: return
func.func @reduction_one_row_block(%x: tensor<4x1000x!qa>) -> tensor<4x64x!qo> {
  %w = intq.qconst dense<1> : tensor<64x1000xi8> -> tensor<64x1000x!qw>
  %r = intq.matmul %x, %w : (tensor<4x1000x!qa>, tensor<64x1000x!qw>) -> tensor<4x64x!qo>
  return %r : tensor<4x64x!qo>
}

// -----

// intq.add of 8-bit operands on x86: loops over 16-lane vectors of the
// flattened operands (2 x 3 x 5 x 3 = 90 elements), each input extended,
// offset and rescaled in i32 lanes, the sum requantized in one rounding
// step on i64 lane pairs (the sum plus 2^31, zero-extended, times 2 M0:
// RequantParams::roundEven; the high halves gathered
// by one shuffle, the top bit added). On AVX-512, 64 elements a step first
// (four sums narrowed by one intq.x86.pack_bytes, unclamped before it: the
// packs saturate), then 16 (one step here), then a masked step of 10
// lanes; on AVX2, five 16-lane steps and the masked one. Elsewhere it is
// left to the integer lowering.
!qa = !quant.uniform<i8:f32, 0.05:-3>
!qb = !quant.uniform<u8:f32, 0.1:130>
!qo = !quant.uniform<i8:f32, 0.12:-20>
// VNNI-LABEL: func.func @add
// VNNI: tensor.collapse_shape %{{.+}} {{\[\[}}0, 1, 2, 3]] : tensor<2x3x5x3xi8> into tensor<90xi8>
// VNNI: tensor.collapse_shape %{{.+}} {{\[\[}}0, 1, 2, 3]] : tensor<2x3x5x3xi8> into tensor<90xi8>
// VNNI: scf.for %{{.+}} = %c0{{.*}} to %c64{{.*}} step %c64
// VNNI-COUNT-8: vector.transfer_read {{.+}} : tensor<90xi8>, vector<16xi8>
// VNNI-NOT: arith.minsi
// VNNI: %[[P:.+]] = intq.x86.pack_bytes %{{.+}}, %{{.+}}, %{{.+}}, %{{.+}} : vector<16xi32> -> vector<64xi8>
// VNNI: vector.transfer_write %[[P]], %{{.+}} {in_bounds = [true]} : vector<64xi8>, tensor<90xi8>
// VNNI: scf.for %[[I:.+]] = %c64{{.*}} to %c80{{.*}} step %c16
// VNNI: %[[A:.+]] = vector.transfer_read %{{.+}}[%[[I]]], %{{.+}} {in_bounds = [true]} : tensor<90xi8>, vector<16xi8>
// VNNI: arith.extsi %[[A]] : vector<16xi8> to vector<16xi32>
// VNNI: %[[B:.+]] = vector.transfer_read %{{.+}}[%[[I]]], %{{.+}} {in_bounds = [true]} : tensor<90xi8>, vector<16xi8>
// VNNI: arith.extui %[[B]] : vector<16xi8> to vector<16xi32>
// VNNI: arith.addi %{{.+}}, %{{.+}} : vector<16xi32>
// VNNI: arith.andi %{{.+}}, %{{.+}} : vector<8xi64>
// VNNI: arith.muli %{{.+}}, %{{.+}} : vector<8xi64>
// VNNI: arith.muli %{{.+}}, %{{.+}} : vector<8xi64>
// VNNI: vector.shuffle %{{.+}}, %{{.+}} [1, 17, 3, 19, 5, 21, 7, 23, 9, 25, 11, 27, 13, 29, 15, 31] : vector<16xi32>, vector<16xi32>
// VNNI: arith.shrui %{{.+}}, %{{.+}} : vector<16xi32>
// VNNI: arith.trunci %{{.+}} : vector<16xi32> to vector<16xi8>
// VNNI: vector.transfer_write %{{.+}}, %{{.+}}[%[[I]]] {in_bounds = [true]} : vector<16xi8>, tensor<90xi8>
// The last 10 lanes: masked.
// VNNI: vector.transfer_read %{{.+}}[%c80{{.*}}], %{{.+}} : tensor<90xi8>, vector<16xi8>
// VNNI: vector.transfer_write %{{.+}}, %{{.+}}[%c80{{.*}}] : vector<16xi8>, tensor<90xi8>
// VNNI: tensor.expand_shape %{{.+}} {{\[\[}}0, 1, 2, 3]] output_shape [2, 3, 5, 3] : tensor<90xi8> into tensor<2x3x5x3xi8>
// VNNI-NOT: intq.add
// VNNI: return
// AVX2-LABEL: func.func @add
// AVX2: scf.for %{{.+}} = %c0{{.*}} to %c80{{.*}} step %c16
// AVX2-NOT: intq.add
// AVX2: return
// GEN-LABEL: func.func @add
// GEN-NOT: scf.for
// GEN: intq.add
// ARM-LABEL: func.func @add
// ARM: intq.add
func.func @add(%a: tensor<2x3x5x3x!qa>, %b: tensor<2x3x5x3x!qb>) -> tensor<2x3x5x3x!qo> {
  %r = intq.add %a, %b : (tensor<2x3x5x3x!qa>, tensor<2x3x5x3x!qb>) -> tensor<2x3x5x3x!qo>
  return %r : tensor<2x3x5x3x!qo>
}

// -----

// A 16-bit input: left to the integer lowering.
!qa = !quant.uniform<i16:f32, 0.05>
!qb = !quant.uniform<i8:f32, 0.1:1>
!qo = !quant.uniform<i8:f32, 0.12:-20>
// VNNI-LABEL: func.func @add_i16
// VNNI-NOT: scf.for
// VNNI: intq.add
func.func @add_i16(%a: tensor<4x8x!qa>, %b: tensor<4x8x!qb>) -> tensor<4x8x!qo> {
  %r = intq.add %a, %b : (tensor<4x8x!qa>, tensor<4x8x!qb>) -> tensor<4x8x!qo>
  return %r : tensor<4x8x!qo>
}

// -----

// A rank-0 add: left to the integer lowering.
!qa = !quant.uniform<i8:f32, 0.05:-3>
!qo = !quant.uniform<i8:f32, 0.12:-20>
// VNNI-LABEL: func.func @add_rank0
// VNNI-NOT: scf.for
// VNNI: intq.add
func.func @add_rank0(%a: tensor<!qa>, %b: tensor<!qa>) -> tensor<!qo> {
  %r = intq.add %a, %b : (tensor<!qa>, tensor<!qa>) -> tensor<!qo>
  return %r : tensor<!qo>
}

// -----

// 32 output channels (two blocks of 16) and 16 rows or more: VNNI takes
// 8-row register blocks (16 accumulators): rows 0..23 by 8, the last
// block's rows past 19 reading and writing row 19.
!qa = !quant.uniform<i8:f32, 0.02:-7>
!qw = !quant.uniform<i8<-127:127>:f32, 0.01>
!qo = !quant.uniform<i8:f32, 0.5:3>
// VNNI-LABEL: func.func @matmul_8_rows
// VNNI: scf.for %{{.+}} = %c0{{.*}} to %c24 step %c8
// VNNI: scf.for %{{.+}} = %c0{{.*}} to %c16{{.*}} step %c1 iter_args({{.+}}) -> ({{(vector<16xi32>, ){15}vector<16xi32>}})
// VNNI-COUNT-16: intq.x86.vpdpbusd
// VNNI: arith.minui %{{.+}}, %c19{{.*}} : index
// AVX2-LABEL: func.func @matmul_8_rows
// AVX2-NOT: step %c8
// AVX2: return
func.func @matmul_8_rows(%x: tensor<20x64x!qa>) -> tensor<20x32x!qo> {
  %w = intq.qconst dense<1> : tensor<32x64xi8> -> tensor<32x64x!qw>
  %r = intq.matmul %x, %w : (tensor<20x64x!qa>, tensor<32x64x!qw>) -> tensor<20x32x!qo>
  return %r : tensor<20x32x!qo>
}

// -----

// quant.qcast of a static f32 tensor to a per-tensor 8-bit type, on x86:
// one loop over 16-lane vectors of the flattened input with the integer
// lowering's arithmetic per lane (divide, clamp to [qmin - Z, qmax - Z],
// round half to even with 1.5 * 2^23, add Z, convert), the rest of 5
// masked. Other targets keep it for --intq-lower-to-linalg.
!qs = !quant.uniform<i8:f32, 0.3:-3>
// AVX2-LABEL: func.func @quantize
// AVX2: %[[X:.+]] = tensor.collapse_shape %arg0 {{\[\[}}0, 1]] : tensor<1x37xf32> into tensor<37xf32>
// AVX2: scf.for %[[I:.+]] = %c0{{.*}} to %c32{{.*}} step %c16
// AVX2: %[[V:.+]] = vector.transfer_read %[[X]][%[[I]]], %{{.+}} {in_bounds = [true]} : tensor<37xf32>, vector<16xf32>
// AVX2: %[[D:.+]] = arith.divf %[[V]], %{{.+}} : vector<16xf32>
// AVX2: %[[L:.+]] = arith.maxnumf %[[D]], %{{.+}} : vector<16xf32>
// AVX2: %[[H:.+]] = arith.minnumf %[[L]], %{{.+}} : vector<16xf32>
// AVX2: %[[M:.+]] = arith.addf %[[H]], %{{.+}} : vector<16xf32>
// AVX2: %[[R:.+]] = arith.subf %[[M]], %{{.+}} : vector<16xf32>
// AVX2: %[[Z:.+]] = arith.addf %[[R]], %{{.+}} : vector<16xf32>
// AVX2: %[[Q:.+]] = arith.fptosi %[[Z]] : vector<16xf32> to vector<16xi32>
// AVX2: arith.trunci %[[Q]] : vector<16xi32> to vector<16xi8>
// AVX2: vector.transfer_read %[[X]][%c32{{.*}}], %{{.+}} : tensor<37xf32>, vector<16xf32>
// AVX2-NOT: quant.qcast
// AVX2: quant.scast %{{.+}} : tensor<1x37xi8> to tensor<1x37x!quant.uniform<i8:f32, 3.000000e-01:-3>>
// GEN-LABEL: func.func @quantize
// GEN: quant.qcast
func.func @quantize(%x: tensor<1x37xf32>) -> tensor<1x37x!qs> {
  %q = quant.qcast %x : tensor<1x37xf32> to tensor<1x37x!qs>
  return %q : tensor<1x37x!qs>
}

// -----

// A transpose that moves only unit dimensions (a 1-channel NCHW input to
// NHWC) becomes a reshape (upstream's TransposeIsReshape, applied to the
// transposes alone); a transpose that moves data stays.
// VNNI-LABEL: func.func @transpose_unit_dims
// VNNI-NOT: tosa.transpose
// VNNI: tosa.reshape %arg0, %{{.+}} : (tensor<1x1x4x4xf32>, !tosa.shape<4>) -> tensor<1x4x4x1xf32>
// VNNI: tosa.transpose %arg1 {perms = array<i32: 0, 2, 3, 1>} : (tensor<1x2x4x4xf32>) -> tensor<1x4x4x2xf32>
// GEN-LABEL: func.func @transpose_unit_dims
// GEN: tosa.reshape %arg0
func.func @transpose_unit_dims(%x: tensor<1x1x4x4xf32>, %y: tensor<1x2x4x4xf32>) -> (tensor<1x4x4x1xf32>, tensor<1x4x4x2xf32>) {
  %a = tosa.transpose %x {perms = array<i32: 0, 2, 3, 1>} : (tensor<1x1x4x4xf32>) -> tensor<1x4x4x1xf32>
  %b = tosa.transpose %y {perms = array<i32: 0, 2, 3, 1>} : (tensor<1x2x4x4xf32>) -> tensor<1x4x4x2xf32>
  return %a, %b : tensor<1x4x4x1xf32>, tensor<1x4x4x2xf32>
}
