// ONNX Runtime (npm onnxruntime-node, CPU, one thread) latency of a model at
// batch 1: 200 warm-up runs, then RUNS timed runs; prints the median and
// the 10th percentile in microseconds.
//   node ort_latency.js MODULE_DIR MODEL.onnx RUNS
const path = require('path');
const ort = require(path.join(process.argv[2], 'onnxruntime-node'));

async function main() {
  const model = process.argv[3], runs = parseInt(process.argv[4], 10);
  const session = await ort.InferenceSession.create(model, {
    intraOpNumThreads: 1, interOpNumThreads: 1,
    graphOptimizationLevel: 'all', executionMode: 'sequential'});
  const input = new Float32Array(28 * 28);
  for (let i = 0; i < input.length; ++i) input[i] = ((i * 7919) % 256) / 255;
  const feeds = {};
  feeds[session.inputNames[0]] = new ort.Tensor('float32', input, [1, 1, 28, 28]);
  for (let i = 0; i < 200; ++i) await session.run(feeds);
  const t = [];
  for (let r = 0; r < runs; ++r) {
    const a = process.hrtime.bigint();
    await session.run(feeds);
    t.push(Number(process.hrtime.bigint() - a) / 1e3);
  }
  t.sort((x, y) => x - y);
  console.log(`median ${t[runs >> 1].toFixed(2)} us, p10 ${t[Math.floor(runs / 10)].toFixed(2)} us`);
}
main().catch((e) => { console.error(e.message); process.exit(1); });
