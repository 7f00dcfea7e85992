import type { QueueStatsTodaySubscription } from './__generated__/graphql';
import { formatDuration } from './time';

export type QueueStats = QueueStatsTodaySubscription['queueStatsUpdates']['queues'][number];

/** The service level rule: answered within 20 s, for at least 80% of calls. */
export const SERVICE_LEVEL = { targetTimeToAnswer: 20_000, goal: 80 };

interface Props {
  stats: QueueStats;
  /** How long the longest-waiting call has waited by now (the report's figure, moved on). */
  longestWaiting: number | null;
}

/** One queue's figures today: service level against the rule, waiting calls, outcomes. */
export function QueueTile({ stats, longestWaiting }: Props) {
  const { serviceLevel } = stats;
  const below = serviceLevel !== null && serviceLevel < SERVICE_LEVEL.goal;
  const name = stats.queue ?? 'All queues';
  return (
    <article
      className={below ? 'tile below-goal' : 'tile'}
      data-testid="queue-tile"
      data-queue={name}
      aria-labelledby={`queue-${name}`}
    >
      <h3 id={`queue-${name}`}>{name}</h3>
      <p className="service-level" data-testid="service-level">
        {serviceLevel === null ? '–' : `${serviceLevel.toFixed(1)}%`}
      </p>
      <p className="goal">
        {below ? 'Below goal: ' : ''}answered within {SERVICE_LEVEL.targetTimeToAnswer / 1000} s,
        goal {SERVICE_LEVEL.goal}%
      </p>
      <dl>
        <div>
          <dt>Waiting now</dt>
          <dd data-testid="waiting">{stats.waiting ?? 0}</dd>
        </div>
        <div>
          <dt>Longest waiting</dt>
          <dd>{formatDuration(longestWaiting)}</dd>
        </div>
        <div>
          <dt>Answered</dt>
          <dd>{stats.answered}</dd>
        </div>
        <div>
          <dt>Abandoned</dt>
          <dd>{stats.abandoned}</dd>
        </div>
      </dl>
    </article>
  );
}
