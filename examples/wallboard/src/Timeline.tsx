import { useEffect, useRef } from 'react';
import { running, span, status, who, type Call } from './calls';
import { formatDuration, useNow } from './time';

interface Props {
  call: Call;
  /** False once the call has left the calls in progress: its last copy stays on screen. */
  inProgress: boolean;
  onClose(): void;
}

// Events that took time, or still do: instant ones (a greeting applet, a zero-length ring)
// would be bars of no width.
const lasting = (event: Call['events'][number]) => running(event) || (event.duration ?? 0) > 0;

/** One call's events as bars on one time axis, from its start to its last event (or now). */
export function Timeline({ call, inProgress, onClose }: Props) {
  const now = useNow();
  const close = useRef<HTMLButtonElement>(null);
  useEffect(() => close.current?.focus(), [call.guid]);
  const bars = call.events.filter(lasting).map((event) => ({ event, ...span(event, now) }));
  const start = Math.min(Date.parse(call.start ?? ''), ...bars.map((bar) => bar.from));
  const end = Math.max(start + 1000, ...bars.map((bar) => bar.to));
  const percent = (ms: number) => `${((100 * (ms - start)) / (end - start)).toFixed(2)}%`;
  const metrics = [
    ['Queue', call.metrics.queueTime],
    ['Ring', call.metrics.ringTime],
    ['Talk', call.metrics.talkTime],
    ['Wrap', call.metrics.wrapTime],
    ['Time to answer', call.metrics.timeToAnswer],
  ] as const;
  return (
    <aside
      className="drawer"
      aria-labelledby="timeline-heading"
      onKeyDown={(event) => event.key === 'Escape' && onClose()}
    >
      <header>
        <h2 id="timeline-heading">Call from {who(call)}</h2>
        <button type="button" ref={close} onClick={onClose}>
          Close
        </button>
      </header>
      <p>
        {call.serviceName ?? 'No service'} · {inProgress ? status(call) : 'Ended'} · total{' '}
        {formatDuration(end - start)}
      </p>
      <ol data-testid="timeline" className="timeline" aria-label="Events">
        {bars.map(({ event, from, to }, index) => (
          <li key={index} data-testid="timeline-bar" data-type={event.type}>
            <span className="label">
              {event.type}
              {event.name ? ` ${event.name}` : ''}
            </span>
            <span className="track">
              <span
                className={running(event) ? 'bar running' : 'bar'}
                style={{ left: percent(from), width: percent(start + to - from) }}
              />
            </span>
            <span className="number">
              {formatDuration(to - from)}
              {running(event) ? ' so far' : ''}
            </span>
          </li>
        ))}
      </ol>
      <h3>Metrics</h3>
      <dl className="metrics">
        {metrics.map(([name, value]) => (
          <div key={name}>
            <dt>{name}</dt>
            <dd>{formatDuration(value)}</dd>
          </div>
        ))}
      </dl>
    </aside>
  );
}
