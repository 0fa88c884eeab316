import type { RunPace } from '../../../../shared/contract/views';
import { plural } from '../../../../shared/words';

/*
 * The run's pace in a trader's words (issue 13): how many sells are out now,
 * how fast items go, and roughly how long is left.
 */

export function paceWords(pace: RunPace, paused = false): string[] {
  // Paused, nothing new leaves: a time left would be a guess about when the trader resumes.
  if (paused)
    return [`${plural(pace.inFlight, 'sell')} in flight`, 'paused: no new sells until you resume'];
  const limit = pace.automatic ? `automatic, up to ${pace.limit} now` : `at most ${pace.limit}`;
  return [
    `${plural(pace.inFlight, 'sell')} in flight (${limit})`,
    `${plural(pace.itemsPerMinute, 'item')}/min over the last minute`,
    timeLeft(pace.etaSeconds),
  ];
}

function timeLeft(seconds: number | null): string {
  if (seconds === null) return 'time left: measuring…';
  if (seconds === 0) return 'every item sent';
  if (seconds < 90) return `about ${Math.max(1, Math.round(seconds))} s left`;
  if (seconds < 90 * 60) return `about ${Math.round(seconds / 60)} min left`;
  const h = Math.floor(seconds / 3600);
  const m = Math.round((seconds % 3600) / 60);
  return `about ${h} h ${m} min left`;
}
