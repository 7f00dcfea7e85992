import { useEffect, useState } from 'react';

/** The current time, moving every `everyMs`: for waits and running bars between updates. */
export function useNow(everyMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}

/** Milliseconds as m:ss (or h:mm:ss). */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '–';
  const seconds = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = String(seconds % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/** Midnight today in the browser's time zone, as an ISO instant; it moves on at midnight. */
export function useMidnight(): string {
  const [midnight, setMidnight] = useState(startOfToday);
  useEffect(() => {
    const next = new Date(midnight);
    next.setDate(next.getDate() + 1);
    // A second late, so that the new day has surely begun.
    const timer = setTimeout(() => setMidnight(startOfToday()), next.getTime() - Date.now() + 1000);
    return () => clearTimeout(timer);
  }, [midnight]);
  return midnight;
}

function startOfToday(): string {
  const today = new Date();
  today.setHours(0, 0, 0, 0);
  return today.toISOString();
}
