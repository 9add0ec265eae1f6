/** "4:05", "12:00", "1:02:03": minutes and seconds, hours only when needed. */
export function formatClock(totalSeconds: number): string {
  const s = Math.max(0, Math.floor(totalSeconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${String(m).padStart(2, '0')}:${sec}`;
}

/** Remaining time shown rounded up (a timer reads 00:01 until it is really over), overrun rounded down. */
export function remainingSeconds(ms: number): number {
  return ms > 0 ? Math.ceil(ms / 1000) : Math.floor(-ms / 1000);
}
