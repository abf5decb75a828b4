/**
 * What the annotators of a record say together: the quality verdict (accepted by how many,
 * rejected by anyone) and a consensus value per question for the export's columns.
 */
import type { Annotation, AnnotationSchema, AnnotationValue, QualityRule, TraceQuestion } from '../../../protocol/dataset';
import { DEFAULT_SCHEMA } from '../annotations/schema';

/** The quality rule of a schema (the default schema's when it has none). */
export function qualityRule(schema: AnnotationSchema): QualityRule {
  return schema.quality ?? DEFAULT_SCHEMA.quality!;
}

/** How a record's annotators judged its quality. */
export interface QualityVerdict {
  annotators: number;
  accepted: number;
  rejected: number;
}

export function qualityVerdict(annotations: readonly Annotation[], rule: QualityRule): QualityVerdict {
  let accepted = 0;
  let rejected = 0;
  for (const a of annotations) {
    const v = a.labels[rule.question];
    const values = Array.isArray(v) ? v : v === undefined ? [] : [String(v)];
    if (values.some((x) => rule.reject.includes(x))) rejected++;
    else if (values.some((x) => rule.accept.includes(x))) accepted++;
  }
  return { annotators: annotations.length, accepted, rejected };
}

/** Groups annotations by trace id; for each (trace, annotator) the latest revision wins. */
export function latestByTrace(...sources: readonly (readonly Annotation[])[]): Map<string, Annotation[]> {
  const latest = new Map<string, Annotation>();
  for (const list of sources) {
    for (const a of list) {
      const k = `${a.traceId}\u0000${a.annotator}`;
      const cur = latest.get(k);
      if (!cur || Date.parse(a.at) >= Date.parse(cur.at)) latest.set(k, a);
    }
  }
  const out = new Map<string, Annotation[]>();
  for (const a of latest.values()) {
    const list = out.get(a.traceId) ?? [];
    list.push(a);
    out.set(a.traceId, list);
  }
  for (const list of out.values()) list.sort((x, y) => (x.annotator < y.annotator ? -1 : x.annotator > y.annotator ? 1 : 0));
  return out;
}

/**
 * The consensus answer to one question: a single label or text by strict majority of those who
 * answered (null on a tie), options of a multiple-choice question chosen by more than half, the
 * mean of ratings. null when nobody answered.
 */
export function consensus(question: TraceQuestion, annotations: readonly Annotation[]): AnnotationValue | null {
  const values = annotations.map((a) => a.labels[question.id]).filter((v): v is AnnotationValue => v !== undefined);
  if (values.length === 0) return null;
  if (question.kind === 'rating') {
    const nums = values.filter((v): v is number => typeof v === 'number');
    return nums.length === 0 ? null : nums.reduce((s, v) => s + v, 0) / nums.length;
  }
  if (question.kind === 'label' && question.multiple) {
    const votes = new Map<string, number>();
    for (const v of values) for (const o of new Set(Array.isArray(v) ? v : [String(v)])) votes.set(o, (votes.get(o) ?? 0) + 1);
    return question.options.map((o) => o.value).filter((o) => (votes.get(o) ?? 0) * 2 > values.length);
  }
  const votes = new Map<string, number>();
  for (const v of values) {
    const s = Array.isArray(v) ? v.join(', ') : String(v);
    votes.set(s, (votes.get(s) ?? 0) + 1);
  }
  const ranked = [...votes.entries()].sort((a, b) => b[1] - a[1]);
  if (ranked.length > 1 && ranked[0]![1] === ranked[1]![1]) return null;
  return ranked[0]![0];
}
