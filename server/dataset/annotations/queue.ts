/** Progress over a dataset and the annotation queue's filters. */
import type { AgreementReport, Annotation, AnnotationProgress, DatasetRecord, QueueFilter } from '../../../protocol/dataset';

/** How many records anyone, and the given annotator, labelled. */
export function annotationProgress(records: readonly DatasetRecord[], annotations: readonly Annotation[], annotator: string): AnnotationProgress {
  const anyone = new Set(annotations.map((a) => a.traceId));
  const mine = new Set(annotations.filter((a) => a.annotator === annotator).map((a) => a.traceId));
  let labelled = 0;
  let own = 0;
  for (const r of records) {
    if (anyone.has(r.id)) labelled++;
    if (mine.has(r.id)) own++;
  }
  return { total: records.length, labelled, mine: own };
}

/**
 * The records a queue filter lets through, in dataset order. `disagreements` needs the agreement
 * report (records whose annotators differ on some key).
 */
export function queueRecords(
  records: readonly DatasetRecord[],
  annotations: readonly Annotation[],
  filter: QueueFilter,
  annotator: string,
  agreement?: AgreementReport,
): DatasetRecord[] {
  switch (filter.kind) {
    case 'all':
      return [...records];
    case 'unlabelled': {
      const anyone = new Set(annotations.map((a) => a.traceId));
      return records.filter((r) => !anyone.has(r.id));
    }
    case 'mine': {
      const mine = new Set(annotations.filter((a) => a.annotator === annotator).map((a) => a.traceId));
      return records.filter((r) => mine.has(r.id));
    }
    case 'disagreements': {
      const ids = new Set((agreement?.disagreements ?? []).map((d) => d.traceId));
      return records.filter((r) => ids.has(r.id));
    }
    case 'domain':
      return records.filter((r) => r.domain === filter.domain);
    case 'label': {
      const ids = new Set(
        annotations
          .filter((a) => {
            const v = a.labels[filter.question];
            return Array.isArray(v) ? v.includes(filter.value) : v !== undefined && String(v) === filter.value;
          })
          .map((a) => a.traceId),
      );
      return records.filter((r) => ids.has(r.id));
    }
  }
}
