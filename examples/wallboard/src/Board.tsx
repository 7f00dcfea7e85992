import { CombinedGraphQLErrors } from '@apollo/client';
import { useSubscription } from '@apollo/client/react';
import { useEffect, useState } from 'react';
import { OngoingCallsDocument, QueueStatsTodayDocument } from './__generated__/graphql';
import type { Call } from './calls';
import { OngoingCalls } from './OngoingCalls';
import { SERVICE_LEVEL } from './QueueTile';
import { QueueTiles } from './QueueTiles';
import { useMidnight } from './time';
import { Timeline } from './Timeline';

const REFUSED = ['UNAUTHENTICATED', 'FORBIDDEN'];

/**
 * Why the gateway refused the token, if it did: a last result coded UNAUTHENTICATED or
 * FORBIDDEN, when the Stats API refused it while polling. (The socket's own 4401 is for a
 * connection with no token at all, which this app never opens.)
 */
function refusal(error: unknown): string | undefined {
  if (!CombinedGraphQLErrors.is(error)) return undefined;
  const code = error.errors.map((e) => `${e.extensions?.code}`).find((c) => REFUSED.includes(c));
  return code && `The gateway refused the token (${code}). Enter a new one.`;
}

/** Everything the subscriptions show; reports a refused token so the app can sign out. */
export function Board({ onRefused }: { onRefused(reason: string): void }) {
  const start = useMidnight();
  const queues = useSubscription(QueueStatsTodayDocument, {
    variables: { start, serviceLevel: { targetTimeToAnswer: SERVICE_LEVEL.targetTimeToAnswer } },
  });
  const calls = useSubscription(OngoingCallsDocument);
  const [selected, setSelected] = useState<Call | null>(null);
  const refused = refusal(queues.error) ?? refusal(calls.error);
  useEffect(() => {
    if (refused) onRefused(refused);
  }, [refused, onRefused]);

  const items = calls.data?.ongoingInteractions.items ?? [];
  const current = selected && items.find((call) => call.guid === selected.guid);
  const select = (guid: string) => setSelected(items.find((call) => call.guid === guid) ?? null);
  return (
    <main>
      {queues.error && !refused ? (
        <p className="problem" role="alert">
          Queues: {queues.error.message}
        </p>
      ) : null}
      {queues.data ? (
        <QueueTiles report={queues.data.queueStatsUpdates} />
      ) : (
        <p className="empty">Waiting for today’s queue figures…</p>
      )}
      {calls.error && !refused ? (
        <p className="problem" role="alert">
          Calls in progress: {calls.error.message}
        </p>
      ) : null}
      {calls.data ? (
        <OngoingCalls
          calls={items}
          totalCount={calls.data.ongoingInteractions.totalCount}
          selected={selected?.guid ?? null}
          onSelect={select}
        />
      ) : (
        <p className="empty">Waiting for the calls in progress…</p>
      )}
      {selected ? (
        <Timeline
          call={current ?? selected}
          inProgress={current !== undefined && current !== null}
          onClose={() => setSelected(null)}
        />
      ) : null}
    </main>
  );
}
