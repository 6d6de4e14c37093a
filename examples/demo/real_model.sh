#!/usr/bin/env bash
# The second half of `./intq demo`: a trained reference model end to end.
# ONNX import -> batch-norm folding -> calibration on 500 training images ->
# int8 post-training quantization -> compiled in process -> accuracy on the
# 10 000 Fashion-MNIST test images, float vs int8.
#   examples/demo/real_model.sh BUILD_DIR [MODEL]
set -euo pipefail
BUILD="$1"
MODEL="${2:-cnn}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BIN="$BUILD/bin"
OUT="$BUILD/demo"
DATA=/usr/share/datasets/fashion-mnist
mkdir -p "$OUT"
echo "== reference model '$MODEL' (models/$MODEL.onnx, trained with torch on Fashion-MNIST)"
echo "   import:    intq-import-onnx models/$MODEL.onnx --input-shape input=100x1x28x28"
"$BIN/intq-import-onnx" "$ROOT/models/$MODEL.onnx" --input-shape input=100x1x28x28 -o "$OUT/$MODEL.mlir"
echo "   fold:      intq-opt --intq-fold-batchnorm"
"$BIN/intq-opt" "$OUT/$MODEL.mlir" --intq-fold-batchnorm -o "$OUT/$MODEL.folded.mlir"
echo "   calibrate: intq-calibrate --images=500 --method=mse (training set)"
"$BIN/intq-calibrate" "$OUT/$MODEL.folded.mlir" --fashion-mnist="$DATA" --images=500 --method=mse \
  -o "$OUT/$MODEL.calibrated.mlir" 2>/dev/null
printf "   float:     "
"$BIN/intq-run" "$OUT/$MODEL.calibrated.mlir" --fashion-mnist="$DATA"
printf "   int8:      "
"$BIN/intq-run" "$OUT/$MODEL.calibrated.mlir" --ptq --fashion-mnist="$DATA"
echo "   (torch float top-1 for this model is in models/README.md)"
