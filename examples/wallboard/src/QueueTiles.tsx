import type { QueueStatsTodaySubscription } from './__generated__/graphql';
import { QueueTile } from './QueueTile';
import { useNow } from './time';

type Report = QueueStatsTodaySubscription['queueStatsUpdates'];

/** A tile per queue, from the latest report. */
export function QueueTiles({ report }: { report: Report }) {
  const now = useNow();
  // The report counts the longest wait up to its own `end`; between reports it goes on growing.
  const since = now - Date.parse(report.end);
  return (
    <section aria-labelledby="queues-heading">
      <h2 id="queues-heading">Queues today</h2>
      {report.queues.length === 0 ? (
        <p className="empty">No calls in any queue today yet.</p>
      ) : (
        <div className="tiles">
          {report.queues.map((stats) => (
            <QueueTile
              key={stats.queue}
              stats={stats}
              longestWaiting={
                stats.longestWaiting === null ? null : stats.longestWaiting + Math.max(0, since)
              }
            />
          ))}
        </div>
      )}
    </section>
  );
}
