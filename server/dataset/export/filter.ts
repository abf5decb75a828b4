/** Which records an export keeps, judged by their annotations. */
import type { Annotation, DatasetRecord, QualityRule } from '../../../protocol/dataset';
import { qualityVerdict } from './consensus';

/** Keep records accepted by at least `minAccepted` annotators and (unless allowed) rejected by none. */
export interface ExportFilter {
  /** Default 1. 0 keeps unlabelled records too. */
  minAccepted?: number;
  /** Keep records someone rejected (default false). */
  allowRejected?: boolean;
}

/** Why records were left out, counted. */
export interface FilterOutcome {
  kept: DatasetRecord[];
  tooFewAccepts: number;
  rejected: number;
}

export function filterRecords(
  records: readonly DatasetRecord[],
  annotationsByTrace: ReadonlyMap<string, readonly Annotation[]>,
  rule: QualityRule,
  filter: ExportFilter = {},
): FilterOutcome {
  const minAccepted = filter.minAccepted ?? 1;
  const kept: DatasetRecord[] = [];
  let tooFewAccepts = 0;
  let rejected = 0;
  for (const r of records) {
    const v = qualityVerdict(annotationsByTrace.get(r.id) ?? [], rule);
    if (!filter.allowRejected && v.rejected > 0) rejected++;
    else if (v.accepted < minAccepted) tooFewAccepts++;
    else kept.push(r);
  }
  return { kept, tooFewAccepts, rejected };
}
