/**
 * Dataset import speed: 1,000 s1K-1.1-sized records (two thinking trajectories of 20–40 KB each)
 * written as JSONL and as Parquet, imported with importDataset, side by side with a bare
 * JSON.parse of every line of the same JSONL bytes (already in memory). Also the latency of a
 * durable annotation write. Prints `name: value` lines.
 */
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { JsonValue } from '../protocol/dataset';
import { AnnotationStore, annotationsPath } from '../server/dataset/annotations/store';
import { seededRandom } from '../server/dataset/export/select';
import { rowsToJsonl, rowsToParquet } from '../server/dataset/export/write';
import { importDataset } from '../server/dataset/import/index';

const RECORDS = 1000;
/** Each measurement is the fastest of this many runs; the runs of the three readers alternate, so load on the machine hits them alike. */
const REPEATS = 5;
const random = seededRandom(1);

const WORDS = (
  'the of and to we so let is that this for with then now wait but check compute answer value ' +
  'sum product equation solve term terms number prime integer modulo factor square root triangle angle ' +
  'probability expected variance hmm alternatively maybe therefore hence since because consider case ' +
  'first second next finally verify again actually correct wrong mistake assume suppose'
).split(' ');
const MATH = ['$x^2 + y^2 = z^2$', '\\frac{a}{b}', '$\\sum_{k=1}^{n} k$', '\\sqrt{2}', '$f(x) = 3x - 7$', '\\(\\pi r^2\\)', '≤', '∑', 'é', '"quoted"'];

function pick<T>(list: readonly T[]): T {
  return list[Math.floor(random() * list.length)]!;
}

/** Reasoning-like text of about `bytes` characters: sentences, formulas, paragraphs. */
function text(bytes: number): string {
  const parts: string[] = [];
  let length = 0;
  while (length < bytes) {
    const sentenceWords = 6 + Math.floor(random() * 14);
    let sentence = '';
    for (let i = 0; i < sentenceWords; i++) sentence += (i ? ' ' : '') + (random() < 0.08 ? pick(MATH) : pick(WORDS));
    sentence = sentence[0]!.toUpperCase() + sentence.slice(1) + (random() < 0.15 ? '.\n\n' : '. ');
    if (random() < 0.05) sentence = `Wait, ${sentence}`;
    parts.push(sentence);
    length += sentence.length;
  }
  return parts.join('');
}

function record(i: number): Record<string, JsonValue> {
  const size = (): number => 20_000 + Math.floor(random() * 20_000);
  return {
    solution: text(500 + Math.floor(random() * 1500)),
    question: text(200 + Math.floor(random() * 600)),
    cot_type: pick(['math', 'science', 'crossword']),
    source_type: pick(['AI-MO/NuminaMath-CoT/aops_forum', 'qq8933/AIME_1983_2024', 'Idavidrein/gpqa']),
    metadata: `{'id': ${i}, 'level': 'Level ${1 + (i % 5)}', 'type': 'Algebra', 'solved': ${i % 2 ? 'True' : 'False'}}`,
    gemini_thinking_trajectory: text(size()),
    gemini_attempt: text(500 + Math.floor(random() * 2000)),
    deepseek_thinking_trajectory: text(size()),
    deepseek_attempt: text(500 + Math.floor(random() * 2000)),
    gemini_grade: random() < 0.3 ? 'No' : 'Yes',
    gemini_grade_reason: text(200),
    deepseek_grade: random() < 0.2 ? 'No' : 'Yes',
    deepseek_grade_reason: text(200),
  };
}

/** Seconds of one run of fn. */
async function timed(fn: () => Promise<void> | void): Promise<number> {
  const start = performance.now();
  await fn();
  return (performance.now() - start) / 1000;
}

const dir = await mkdtemp(join(tmpdir(), 'thinkscope-bench-'));
try {
  const rows = Array.from({ length: RECORDS }, (_, i) => record(i));
  const jsonlPath = join(dir, 's1k11.jsonl');
  const parquetPath = join(dir, 's1k11.parquet');
  await writeFile(jsonlPath, rowsToJsonl(rows));
  await writeFile(parquetPath, rowsToParquet(rows));
  rows.length = 0;

  const bytes = await readFile(jsonlPath);
  const importJsonl = async (): Promise<void> => {
    const report = await importDataset(jsonlPath);
    if (report.records.length !== RECORDS) throw new Error(`JSONL import gave ${report.records.length} records: ${JSON.stringify(report.errors[0])}`);
  };
  const importParquet = async (): Promise<void> => {
    const report = await importDataset(parquetPath);
    if (report.records.length !== RECORDS) throw new Error(`Parquet import gave ${report.records.length} records: ${JSON.stringify(report.errors[0])}`);
  };
  const bareParse = (): void => {
    let n = 0;
    for (const line of bytes.toString('utf8').split('\n')) {
      if (line === '') continue;
      JSON.parse(line);
      n++;
    }
    if (n !== RECORDS) throw new Error(`parsed ${n} lines`);
  };
  let jsonlSeconds = Number.POSITIVE_INFINITY;
  let parquetSeconds = Number.POSITIVE_INFINITY;
  let parseSeconds = Number.POSITIVE_INFINITY;
  for (let i = 0; i < REPEATS; i++) {
    jsonlSeconds = Math.min(jsonlSeconds, await timed(importJsonl));
    parseSeconds = Math.min(parseSeconds, await timed(bareParse));
    parquetSeconds = Math.min(parquetSeconds, await timed(importParquet));
  }

  const store = await AnnotationStore.open(annotationsPath(dir));
  const latencies: number[] = [];
  for (let i = 0; i < 200; i++) {
    const start = performance.now();
    await store.update(`trace-${i % 50}`, 'bench', () => ({ labels: { quality: 'accept', difficulty: 1 + (i % 5) }, steps: [{ step: i % 9, labels: ['error'] }] }));
    latencies.push(performance.now() - start);
  }
  latencies.sort((a, b) => a - b);

  const jsonlRate = RECORDS / jsonlSeconds;
  const parseRate = RECORDS / parseSeconds;
  console.log(`dataset_records: ${RECORDS}`);
  console.log(`jsonl_mb: ${((await stat(jsonlPath)).size / 1e6).toFixed(1)}`);
  console.log(`parquet_mb: ${((await stat(parquetPath)).size / 1e6).toFixed(1)}`);
  console.log(`jsonl_records_per_s: ${jsonlRate.toFixed(0)}`);
  console.log(`parquet_records_per_s: ${(RECORDS / parquetSeconds).toFixed(0)}`);
  console.log(`json_parse_records_per_s: ${parseRate.toFixed(0)}`);
  console.log(`jsonl_vs_json_parse_ratio: ${(jsonlRate / parseRate).toFixed(2)}`);
  console.log(`annotation_write_ms_p50: ${latencies[Math.floor(latencies.length / 2)]!.toFixed(2)}`);
  console.log(`annotation_write_ms_p99: ${latencies[Math.floor(latencies.length * 0.99)]!.toFixed(2)}`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
