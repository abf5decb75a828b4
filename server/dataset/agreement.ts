/**
 * Inter-annotator agreement: Cohen's kappa for every pair of annotators and Fleiss' kappa over
 * all of them, per key and pooled. Keys are single-valued trace questions (label and rating
 * questions, values taken as nominal categories), each option of a multiple-choice question
 * (chosen / not chosen) and each step label (on / not on a step). Formulas in docs/datasets.md.
 */
import type {
  AgreementReport,
  Annotation,
  AnnotationSchema,
  KeyAgreement,
  PairAgreement,
} from '../../protocol/dataset';

/** One rater's category for one item. */
type Ratings = Map<string, Map<string, string>>; // item → annotator → category

/** Cohen's kappa from paired categories; exact integer arithmetic until the final division. */
export function cohenKappa(pairs: readonly (readonly [string, string])[]): { kappa: number | null; observed: number | null; items: number } {
  const n = pairs.length;
  if (n === 0) return { kappa: null, observed: null, items: 0 };
  const a = new Map<string, number>();
  const b = new Map<string, number>();
  let agree = 0;
  for (const [x, y] of pairs) {
    a.set(x, (a.get(x) ?? 0) + 1);
    b.set(y, (b.get(y) ?? 0) + 1);
    if (x === y) agree++;
  }
  let chance = 0; // Σ_k a_k·b_k  (pe = chance / n²)
  for (const [k, count] of a) chance += count * (b.get(k) ?? 0);
  const denominator = n * n - chance;
  // κ = (po − pe)/(1 − pe) = (n·agree − Σ a_k b_k)/(n² − Σ a_k b_k)
  return { kappa: denominator === 0 ? null : (n * agree - chance) / denominator, observed: agree / n, items: n };
}

/**
 * Fleiss' kappa from per-item category counts. Items may have different numbers of raters (the
 * usual generalisation: P_i = Σ_j n_ij(n_ij − 1) / (n_i(n_i − 1)), p_j over all ratings); with
 * the same number on every item this is Fleiss (1971) exactly. Items with fewer than 2 raters
 * are left out.
 */
export function fleissKappa(items: readonly ReadonlyMap<string, number>[]): {
  kappa: number | null;
  observed: number | null;
  expected: number | null;
  items: number;
  raters: number;
} {
  const used = items.filter((counts) => sum(counts.values()) >= 2);
  if (used.length === 0) return { kappa: null, observed: null, expected: null, items: 0, raters: 0 };
  const totals = new Map<string, number>();
  let ratings = 0;
  let agreementSum = 0;
  let squares = 0;
  let raters = 0;
  const sizes = new Set<number>();
  for (const counts of used) {
    const n = sum(counts.values());
    sizes.add(n);
    raters = Math.max(raters, n);
    let sq = 0;
    for (const [cat, c] of counts) {
      sq += c * c;
      totals.set(cat, (totals.get(cat) ?? 0) + c);
    }
    squares += sq;
    agreementSum += (sq - n) / (n * (n - 1));
    ratings += n;
  }
  let colSquares = 0;
  for (const t of totals.values()) colSquares += t * t;
  const observed = agreementSum / used.length;
  const expected = colSquares / (ratings * ratings);
  if (colSquares === ratings * ratings) return { kappa: null, observed, expected, items: used.length, raters };
  let kappa: number;
  if (sizes.size === 1) {
    // Equal raters n on every item: κ = ((S − T)·T − C·(n − 1)) / ((n − 1)·(T² − C)), integers until the end.
    const n = raters;
    kappa = ((squares - ratings) * ratings - colSquares * (n - 1)) / ((n - 1) * (ratings * ratings - colSquares));
  } else {
    kappa = (observed - expected) / (1 - expected);
  }
  return { kappa, observed, expected, items: used.length, raters };
}

function sum(values: Iterable<number>): number {
  let s = 0;
  for (const v of values) s += v;
  return s;
}

interface KeySpec {
  key: string;
  question: string;
  label: string | null;
  scope: 'trace' | 'step';
}

/** Collects, per key, each annotator's category for each item. */
function collectRatings(annotations: readonly Annotation[], schema: AnnotationSchema): { specs: KeySpec[]; ratings: Map<string, Ratings> } {
  const specs: KeySpec[] = [];
  const ratings = new Map<string, Ratings>();
  const rate = (key: string, item: string, annotator: string, category: string): void => {
    let byItem = ratings.get(key);
    if (!byItem) ratings.set(key, (byItem = new Map()));
    let byAnnotator = byItem.get(item);
    if (!byAnnotator) byItem.set(item, (byAnnotator = new Map()));
    byAnnotator.set(annotator, category);
  };
  for (const q of schema.questions) {
    if (q.kind === 'text') continue;
    if (q.kind === 'label' && q.multiple) {
      for (const o of q.options) specs.push({ key: `${q.id}=${o.value}`, question: q.id, label: o.value, scope: 'trace' });
      for (const a of annotations) {
        const v = a.labels[q.id];
        if (v === undefined) continue;
        const chosen = new Set(Array.isArray(v) ? v : [String(v)]);
        for (const o of q.options) rate(`${q.id}=${o.value}`, a.traceId, a.annotator, chosen.has(o.value) ? 'yes' : 'no');
      }
    } else {
      specs.push({ key: q.id, question: q.id, label: null, scope: 'trace' });
      for (const a of annotations) {
        const v = a.labels[q.id];
        if (v === undefined) continue;
        rate(q.id, a.traceId, a.annotator, Array.isArray(v) ? [...v].sort().join('\u0000') : String(v));
      }
    }
  }
  // Steps: an annotator who labelled any step of a trace rated every step anyone labelled there.
  const byTrace = new Map<string, Annotation[]>();
  for (const a of annotations) {
    if (a.steps.length === 0) continue;
    const list = byTrace.get(a.traceId) ?? [];
    list.push(a);
    byTrace.set(a.traceId, list);
  }
  for (const s of schema.stepLabels) {
    const key = `step:${s.id}`;
    specs.push({ key, question: 'steps', label: s.id, scope: 'step' });
    for (const [traceId, list] of byTrace) {
      const steps = new Set(list.flatMap((a) => a.steps.filter((st) => st.labels.length > 0).map((st) => st.step)));
      for (const a of list) {
        const on = new Map(a.steps.map((st) => [st.step, st.labels]));
        for (const step of steps) rate(key, `${traceId}\u0000${step}`, a.annotator, on.get(step)?.includes(s.id) ? 'yes' : 'no');
      }
    }
  }
  return { specs, ratings };
}

function pairKappas(byItem: Ratings, annotators: readonly string[]): PairAgreement[] {
  const out: PairAgreement[] = [];
  for (let i = 0; i < annotators.length; i++) {
    for (let j = i + 1; j < annotators.length; j++) {
      const a = annotators[i]!;
      const b = annotators[j]!;
      const pairs: [string, string][] = [];
      for (const raters of byItem.values()) {
        const x = raters.get(a);
        const y = raters.get(b);
        if (x !== undefined && y !== undefined) pairs.push([x, y]);
      }
      const r = cohenKappa(pairs);
      out.push({ a, b, kappa: r.kappa, observed: r.observed, items: r.items });
    }
  }
  return out;
}

function counts(byItem: Ratings, prefix = ''): Map<string, number>[] {
  return [...byItem.values()].map((raters) => {
    const c = new Map<string, number>();
    for (const cat of raters.values()) c.set(prefix + cat, (c.get(prefix + cat) ?? 0) + 1);
    return c;
  });
}

/** Agreement of every annotator pair and of all annotators, per key and pooled over keys. */
export function computeAgreement(annotations: readonly Annotation[], schema: AnnotationSchema): AgreementReport {
  const annotators = [...new Set(annotations.map((a) => a.annotator))].sort();
  const { specs, ratings } = collectRatings(annotations, schema);
  const keys: KeyAgreement[] = [];
  const pooledItems: Map<string, number>[] = [];
  const pooled: Ratings = new Map();
  for (const spec of specs) {
    const byItem = ratings.get(spec.key) ?? new Map();
    const f = fleissKappa(counts(byItem));
    keys.push({ ...spec, items: f.items, raters: f.raters, fleiss: f.kappa, observed: f.observed, expected: f.expected, pairs: pairKappas(byItem, annotators) });
    pooledItems.push(...counts(byItem, `${spec.key}\u0000`));
    for (const [item, raters] of byItem) {
      const namespaced = new Map<string, string>();
      for (const [who, cat] of raters) namespaced.set(who, `${spec.key}\u0000${cat}`);
      pooled.set(`${spec.key}\u0000${item}`, namespaced);
    }
  }
  const overall = fleissKappa(pooledItems);
  const byTrace = new Map<string, Set<string>>();
  for (const a of annotations) byTrace.set(a.traceId, (byTrace.get(a.traceId) ?? new Set()).add(a.annotator));
  return {
    annotators,
    traces: [...byTrace.values()].filter((s) => s.size >= 2).length,
    keys,
    overall: { fleiss: overall.kappa, observed: overall.observed, expected: overall.expected, items: overall.items },
    pairs: pairKappas(pooled, annotators),
    disagreements: findDisagreements(specs, ratings),
  };
}

function findDisagreements(specs: readonly KeySpec[], ratings: Map<string, Ratings>): { traceId: string; keys: string[] }[] {
  const out = new Map<string, Set<string>>();
  for (const spec of specs) {
    for (const [item, raters] of ratings.get(spec.key) ?? []) {
      if (new Set(raters.values()).size < 2) continue;
      const traceId = spec.scope === 'step' ? item.slice(0, item.lastIndexOf('\u0000')) : item;
      out.set(traceId, (out.get(traceId) ?? new Set()).add(spec.key));
    }
  }
  return [...out.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([traceId, keys]) => ({ traceId, keys: [...keys].sort() }));
}
