// Retention of call recordings and voice messages: kept RECORDING_RETENTION_DAYS (180 by
// default) from the call, then deleted from Asterisk by a daily job that writes one
// recording_removals row per recording. A ticket still under supervision (督办) or
// flagged for a supervisor keeps its recordings until it is finished: that is when
// someone may still need to hear what was said.
import { FINISHED } from '../tickets/lifecycle.js';
import type { RecordingStore } from './store.js';
import type { RecordingRepository, RetentionCandidate } from './repository.js';

export const DAY_MS = 86_400_000;
/** recordings looked at per run at most (a first run over years of calls works in slices) */
const BATCH = 5_000;

export interface RetentionResult {
  retentionDays: number;
  cutoff: string;
  removed: number;
  missing: number;
  kept: number;
  failed: number;
}

/** Why a recording past its time is kept, or null when it may go. */
export function keptBecause(c: RetentionCandidate): 'supervision' | 'flagged' | null {
  if ((FINISHED as readonly string[]).includes(c.ticketStatus)) return null;
  if (c.ticketKind === 'supervised' || c.ticketStatus === 'supervising' || c.openSupervision) return 'supervision';
  if (c.flagged) return 'flagged';
  return null;
}

export async function runRecordingRetention(
  deps: { repo: RecordingRepository; store: RecordingStore; retentionDays: number; log?: { warn(obj: object, msg: string): void } },
  now: number,
): Promise<RetentionResult> {
  const cutoff = now - deps.retentionDays * DAY_MS;
  const result: RetentionResult = { retentionDays: deps.retentionDays, cutoff: new Date(cutoff).toISOString(), removed: 0, missing: 0, kept: 0, failed: 0 };
  for (const c of deps.repo.candidates(cutoff, BATCH)) {
    if (keptBecause(c)) {
      result.kept++;
      continue;
    }
    try {
      // a job never dies on one bad row: the next run tries this one again
      const existed = await deps.store.remove(c.name);
      deps.repo.recordRemoval({ name: c.name, kind: c.kind, callId: c.callId, ticketId: c.ticketId, callStartedAt: c.callStartedAt, removedAt: now, result: existed ? 'removed' : 'missing', retentionDays: deps.retentionDays });
      if (existed) result.removed++;
      else result.missing++;
    } catch (err) {
      result.failed++;
      deps.log?.warn({ err: (err as Error).message, recording: c.name }, 'recording not removed; the next run tries again');
    }
  }
  return result;
}
