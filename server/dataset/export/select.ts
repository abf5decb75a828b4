/**
 * "Select like s1": from a labelled pool, choose a training set the way s1 chose s1K from 59K
 * questions — quality first, then difficulty, then diversity:
 *
 * 1. Quality: keep records accepted by at least one annotator and rejected by none (records
 *    nobody labelled only with `includeUnlabelled`), and drop what s1's automatic quality pass
 *    dropped: no thinking, no answer, or a reference to an image the text does not contain.
 * 2. Difficulty: rank each record — failed by a reference model first (any `*_grade` column
 *    saying no, as s1K-1.1 records for its reference models), then unknown, then solved; within
 *    a tier, longer thinking first (s1 measures difficulty by reasoning length).
 * 3. Diversity: repeat until the target size: pick a domain uniformly at random, then a record of
 *    that domain with weight 2^-rank, so longer, harder traces are favoured (s1's sampling). The
 *    domain is the annotators' consensus on the `domain` question when there is one, else the
 *    record's domain.
 *
 * Seeded: the same pool, annotations and seed give the same selection.
 */
import type { Annotation, AnnotationSchema, DatasetRecord, JsonValue, SelectionReport } from '../../../protocol/dataset';
import { DEFAULT_SCHEMA } from '../annotations/schema';
import { consensus, latestByTrace, qualityRule, qualityVerdict } from './consensus';

export interface SelectOptions {
  targetSize: number;
  seed?: number;
  /** Annotations of the pool (merged with those the records carry). */
  annotations?: readonly Annotation[];
  schema?: AnnotationSchema;
  /** Let records nobody labelled through the quality step (default false). */
  includeUnlabelled?: boolean;
  /** The question that names a record's domain (default "domain"). */
  domainQuestion?: string;
}

export interface Selection {
  selected: DatasetRecord[];
  report: SelectionReport;
}

/** A small, fast, seeded PRNG (mulberry32): uniform numbers in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const IMAGE_REFERENCE = /!\[[^\]]*\]\([^)]*\)|<img\b|\b[\w-]+\.(?:png|jpe?g|gif|svg)\b/i;
const NEGATIVE_GRADES = new Set(['no', 'false', 'incorrect', 'wrong', '0', 'n']);
const POSITIVE_GRADES = new Set(['yes', 'true', 'correct', 'right', '1', 'y']);

type GradeVerdict = 'failed' | 'solved' | 'unknown';

/** What the `*_grade` columns say: failed when any reference model got it wrong. */
export function gradeVerdict(columns: Record<string, JsonValue>): GradeVerdict {
  let solved = false;
  for (const [name, value] of Object.entries(columns)) {
    if (!name.endsWith('_grade')) continue;
    const v = String(value).trim().toLowerCase();
    if (NEGATIVE_GRADES.has(v)) return 'failed';
    if (POSITIVE_GRADES.has(v)) solved = true;
  }
  return solved ? 'solved' : 'unknown';
}

function autoQualityProblem(r: DatasetRecord): string | null {
  if (r.thinking.trim() === '') return 'no thinking';
  if (r.attempt === null || r.attempt.trim() === '') return 'no answer';
  if (IMAGE_REFERENCE.test(r.question)) return 'refers to an image';
  return null;
}

const TIER: Record<GradeVerdict, number> = { failed: 0, unknown: 1, solved: 2 };

/** Chooses up to `targetSize` records; see the module comment. */
export function selectLikeS1(pool: readonly DatasetRecord[], options: SelectOptions): Selection {
  const seed = options.seed ?? 0;
  const random = seededRandom(seed);
  const schema = options.schema ?? DEFAULT_SCHEMA;
  const rule = qualityRule(schema);
  const byTrace = latestByTrace(pool.flatMap((r) => r.annotations ?? []), options.annotations ?? []);
  const steps: SelectionReport['steps'] = [];

  // 1. Quality.
  let unlabelled = 0;
  let rejected = 0;
  let notAccepted = 0;
  const autoDropped = new Map<string, number>();
  const good: DatasetRecord[] = [];
  for (const r of pool) {
    const annotations = byTrace.get(r.id) ?? [];
    const v = qualityVerdict(annotations, rule);
    if (v.rejected > 0) rejected++;
    else if (annotations.length === 0 && !options.includeUnlabelled) unlabelled++;
    else if (annotations.length > 0 && v.accepted === 0) notAccepted++;
    else {
      const problem = autoQualityProblem(r);
      if (problem) autoDropped.set(problem, (autoDropped.get(problem) ?? 0) + 1);
      else good.push(r);
    }
  }
  const autoText = [...autoDropped.entries()].map(([why, n]) => `${n} ${why}`).join(', ');
  steps.push({
    name: 'quality',
    kept: good.length,
    dropped: pool.length - good.length,
    detail:
      `kept records ${options.includeUnlabelled ? 'not rejected (unlabelled ones included)' : `accepted ("${rule.question}" in ${rule.accept.join('/')}) by at least one annotator and rejected by none`}; ` +
      `dropped ${rejected} rejected, ${notAccepted} labelled but not accepted, ${unlabelled} unlabelled` +
      (autoText ? `, and by the automatic checks ${autoText}` : ''),
  });

  // 2. Difficulty.
  const gradeColumns = new Set(good.flatMap((r) => Object.keys(r.columns).filter((c) => c.endsWith('_grade'))));
  const tiers = new Map<DatasetRecord, number>(good.map((r) => [r, TIER[gradeVerdict(r.columns)]]));
  const tierCount = [0, 0, 0];
  for (const t of tiers.values()) tierCount[t]!++;
  steps.push({
    name: 'difficulty',
    kept: good.length,
    dropped: 0,
    detail:
      gradeColumns.size > 0
        ? `ranked ${tierCount[0]} records failed by a reference model (${[...gradeColumns].sort().join(', ')}) first, then ${tierCount[1]} ungraded, then ${tierCount[2]} solved; within each, longer thinking first`
        : 'no *_grade columns: ranked by thinking length, longest first',
  });

  // 3. Diversity.
  const domainQuestion = schema.questions.find((q) => q.id === (options.domainQuestion ?? 'domain'));
  const domainOf = (r: DatasetRecord): string => {
    const annotated = domainQuestion ? consensus(domainQuestion, byTrace.get(r.id) ?? []) : null;
    if (typeof annotated === 'string' && annotated.trim() !== '') return annotated.trim();
    return r.domain ?? 'unknown';
  };
  const domains = new Map<string, DatasetRecord[]>();
  for (const r of good) {
    const d = domainOf(r);
    const list = domains.get(d) ?? [];
    list.push(r);
    domains.set(d, list);
  }
  const available = new Map([...domains].map(([d, list]) => [d, list.length]));
  for (const list of domains.values()) {
    list.sort((a, b) => tiers.get(a)! - tiers.get(b)! || b.thinking.length - a.thinking.length || (a.id < b.id ? -1 : 1));
  }
  const order = [...domains.keys()].sort();
  const picked = new Map<string, number>();
  const selected: DatasetRecord[] = [];
  const target = Math.max(0, Math.floor(options.targetSize));
  while (selected.length < target && order.length > 0) {
    const di = Math.floor(random() * order.length);
    const d = order[di]!;
    const list = domains.get(d)!;
    // rank r with probability 2^-r / Σ: u ∈ [0, 1 − 2^-m), r = ⌊−log2(1 − u)⌋ ∈ [0, m).
    const u = random() * (1 - 2 ** -list.length);
    const rank = Math.min(list.length - 1, Math.floor(-Math.log2(1 - u)));
    selected.push(list.splice(rank, 1)[0]!);
    picked.set(d, (picked.get(d) ?? 0) + 1);
    if (list.length === 0) order.splice(di, 1);
  }
  steps.push({
    name: 'diversity',
    kept: selected.length,
    dropped: good.length - selected.length,
    detail: `${available.size} domains; picked a domain uniformly at random, then a record in it with weight 2^-rank (hardest, longest first), until ${target} or the pool ran out`,
  });

  const domainRows = [...available.entries()]
    .map(([domain, n]) => ({ domain, available: n, selected: picked.get(domain) ?? 0 }))
    .sort((a, b) => b.selected - a.selected || (a.domain < b.domain ? -1 : 1));
  const text = [
    `Select like s1: ${selected.length} of ${pool.length} records (target ${target}, seed ${seed}).`,
    ...steps.map((s, i) => `${i + 1}. ${s.name}: ${s.kept} kept, ${s.dropped} dropped — ${s.detail}.`),
    selected.length < target ? `The pool had only ${good.length} records after the quality step: fewer than the target.` : '',
    'Domains (selected / available):',
    ...domainRows.map((r) => `  ${r.domain}: ${r.selected} / ${r.available}`),
  ]
    .filter((line) => line !== '')
    .join('\n');
  return { selected, report: { pool: pool.length, target, selected: selected.length, seed, steps, domains: domainRows, text } };
}
