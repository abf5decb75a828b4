import { readFileSync } from 'node:fs';
const b = readFileSync('/tmp/bench.jsonl');
for (let k = 0; k < 3; k++) {
let t = performance.now(); const s = b.toString('utf8'); const t1 = performance.now() - t;
t = performance.now(); const lines = s.split('\n'); const t2 = performance.now() - t;
t = performance.now(); let start = 0, n = 0; for (;;) { const nl = b.indexOf(10, start); if (nl === -1) break; const x = b.toString('utf8', start, nl); n += x.length; start = nl + 1; } const t3 = performance.now() - t;
t = performance.now(); const td = new TextDecoder(); start = 0; for (;;) { const nl = b.indexOf(10, start); if (nl === -1) break; const x = td.decode(b.subarray(start, nl)); n += x.length; start = nl + 1; } const t4 = performance.now() - t;
t = performance.now(); start = 0; for (;;) { const nl = b.indexOf(10, start); if (nl === -1) break; const x = b.latin1Slice(start, nl); n += x.length; start = nl + 1; } const t5 = performance.now() - t;
t = performance.now(); for (const l of lines) if (l) JSON.parse(l); const t6 = performance.now() - t;
console.log('whole', t1.toFixed(0), 'split', t2.toFixed(0), 'perline', t3.toFixed(0), 'textdecoder', t4.toFixed(0), 'latin1', t5.toFixed(0), 'parse', t6.toFixed(0), s.length, b.length);
}
