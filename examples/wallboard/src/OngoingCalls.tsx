import { agent, queueTime, status, who, type Call } from './calls';
import { formatDuration, useNow } from './time';

interface Props {
  calls: Call[];
  totalCount: number;
  selected: string | null;
  onSelect(guid: string): void;
}

/** The calls in progress, one row each; a row opens the call's timeline. */
export function OngoingCalls({ calls, totalCount, selected, onSelect }: Props) {
  const now = useNow();
  return (
    <section aria-labelledby="calls-heading" className="calls">
      <h2 id="calls-heading">
        Calls in progress <span className="count">{totalCount}</span>
      </h2>
      {calls.length === 0 ? (
        <p className="empty">No calls in progress.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Caller</th>
              <th scope="col">Queue</th>
              <th scope="col">Queue time</th>
              <th scope="col">Agent</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {calls.map((call) => (
              <tr
                key={call.guid}
                data-testid="ongoing-call"
                data-guid={call.guid}
                aria-selected={call.guid === selected}
                onClick={() => onSelect(call.guid)}
              >
                <td>
                  <button type="button" aria-label={`Timeline of the call from ${who(call)}`}>
                    {who(call)}
                  </button>
                </td>
                <td>{call.serviceName ?? '–'}</td>
                <td className="number">{formatDuration(queueTime(call, now))}</td>
                <td>{agent(call) ?? '–'}</td>
                <td>{status(call)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
