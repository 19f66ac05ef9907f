// Runs the committed onnx-qdq exports (tests/data/onnx/qdq/NAME-qdq.onnx) in ONNX Runtime
// (onnxruntime-node) on NAME_input.pb and writes NAME-qdq_ort_output.pb beside them: the
// independent runtime's outputs tst_onnxexport compares its own exports with (docs/onnx.md
// section 5). Called by make_onnx_fixtures.py --onnxruntime with NODE_PATH set to a temporary
// `npm install --ignore-scripts onnxruntime-node`; the test run never needs Node.
'use strict';
const fs = require('fs');
const path = require('path');
const ort = require('onnxruntime-node');

const dir = process.argv[2];
const names = process.argv.slice(3);

// A minimal onnx.TensorProto reader/writer: dims (1), data_type (2), float_data (4), raw_data (9).
function varint(buf, pos) {
    let v = 0n, shift = 0n;
    for (;;) {
        const b = buf[pos++];
        v |= BigInt(b & 0x7f) << shift;
        shift += 7n;
        if (!(b & 0x80)) return [v, pos];
    }
}
function readTensor(file) {
    const buf = fs.readFileSync(file);
    const dims = [];
    let type = 0, data = null, floats = [];
    for (let pos = 0; pos < buf.length;) {
        let key;
        [key, pos] = varint(buf, pos);
        const field = Number(key >> 3n), wire = Number(key & 7n);
        if (wire === 0) {
            let v;
            [v, pos] = varint(buf, pos);
            if (field === 1) dims.push(Number(v));
            if (field === 2) type = Number(v);
        } else if (wire === 2) {
            let len;
            [len, pos] = varint(buf, pos);
            const bytes = buf.subarray(pos, pos + Number(len));
            pos += Number(len);
            if (field === 1) // packed dims
                for (let p = 0; p < bytes.length;) { let v; [v, p] = varint(bytes, p); dims.push(Number(v)); }
            if (field === 9) data = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
            if (field === 4) data = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
        } else if (wire === 5) {
            floats.push(buf.readFloatLE(pos));
            pos += 4;
        } else if (wire === 1) {
            pos += 8;
        } else {
            throw new Error(file + ': unexpected wire type ' + wire);
        }
    }
    if (type !== 1) throw new Error(file + ': not a float tensor');
    return new ort.Tensor('float32', data || Float32Array.from(floats), dims);
}
function varintBytes(v) {
    const out = [];
    do { let b = v & 0x7f; v = Math.floor(v / 128); if (v) b |= 0x80; out.push(b); } while (v);
    return out;
}
function writeTensor(file, tensor) {
    const parts = [];
    for (const d of tensor.dims) parts.push(0x08, ...varintBytes(d));
    parts.push(0x10, 1);
    const raw = Buffer.from(tensor.data.buffer, tensor.data.byteOffset, tensor.data.byteLength);
    parts.push(0x4a, ...varintBytes(raw.length));
    fs.writeFileSync(file, Buffer.concat([Buffer.from(parts), raw]));
}

(async () => {
    for (const name of names) {
        // 'basic' graph optimizations: at 'all', ONNX Runtime runs a weight-only
        // DequantizeLinear -> MatMul/Gemm as a dynamic int8 matmul (the activations quantized
        // on the fly), a few 1e-4 to 1e-3 off the exported model's arithmetic (docs/onnx.md).
        const session = await ort.InferenceSession.create(path.join(dir, 'qdq', name + '-qdq.onnx'),
                                                          {graphOptimizationLevel: 'basic'});
        const input = readTensor(path.join(dir, name + '_input.pb'));
        const out = await session.run({[session.inputNames[0]]: input});
        writeTensor(path.join(dir, 'qdq', name + '-qdq_ort_output.pb'), out[session.outputNames[0]]);
        console.log(name + ': ' + out[session.outputNames[0]].dims.join('x'));
    }
})().catch((e) => { console.error(e); process.exit(1); });
