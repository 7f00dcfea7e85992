import { readFileSync } from 'node:fs';
import { URL } from 'node:url';
import { MAIN_TOKEN, MIXED_TOKENS, NOW } from './accounts.mjs';

// The scenarios, each with the answer it must get, computed here from the accounts (not taken
// from the gateway), the way the integration tests compute theirs.

/** Every field of an interaction (examples/full-interaction.graphql), and its fragment alone. */
const INTERACTION = readFileSync(
  new URL('../examples/full-interaction.graphql', import.meta.url),
  'utf8',
);
export const FULL_INTERACTION = INTERACTION.slice(INTERACTION.indexOf('fragment FullInteraction'));

/** A page of 100 interactions with their timelines (scenario 4, and bench/compression.mjs). */
export const DAY_TIMELINES = `query DayTimelines($start: DateTime!, $end: DateTime) {
  interactions(start: $start, end: $end, limit: 100) {
    page count pageCount totalCount
    items {
      guid start end status direction serviceName outcome
      events { __typename type name offset duration at end channel { party { role } } }
    }
  }
}`;

// Upstream `type` -> GraphQL type and the kind-specific fields it reads from `properties`.
const KINDS = {
  Ringing: ['RingingEvent', []],
  Connected: ['ConnectedEvent', []],
  InteractionPlan: ['InteractionPlanEvent', ['reportingGroup']],
  Applet: ['AppletEvent', ['appletType']],
  Queue: ['QueueEvent', ['interactionPlan', 'interactionPlanName', 'presentedSkills', 'result']],
  CallRecording: ['CallRecordingEvent', []],
  Wrap: ['WrapEvent', []],
  Disposition: ['DispositionEvent', ['disposition']],
  CallRating: ['CallRatingEvent', ['classification']],
};

const orNull = (value) => value ?? null;
const pick = (object, keys) => Object.fromEntries(keys.map((key) => [key, orNull(object[key])]));

function addMs(iso, ms) {
  if (iso == null || ms == null) return null;
  return new Date(Date.parse(iso) + ms).toISOString();
}

function fullEvent(event) {
  const [typename, fields] = KINDS[event.type] ?? ['UnknownEvent', []];
  return {
    __typename: typename,
    ...pick(event, ['type', 'name', 'offset', 'duration', 'properties']),
    ...pick(event.properties ?? {}, fields),
  };
}

/** What FULL_INTERACTION answers for one upstream interaction. */
function fullInteraction(item) {
  const mapping = item.interactionPlanMapping;
  return {
    ...pick(item, [
      'guid',
      'conversationGuid',
      'status',
      'medium',
      'mediumManager',
      'direction',
      'start',
      'duration',
      'serviceName',
      'connectTo',
      'connectFrom',
      'categorizedAt',
      'outcome',
    ]),
    interactionPlanMapping: mapping
      ? pick(mapping, ['addressName', 'mappingName', 'interactionPlanName', 'reportingGroup'])
      : null,
    channels: (item.channels ?? []).map((channel) => ({
      ...pick(channel, ['guid', 'offset', 'duration', 'endReason', 'integrationType']),
      party: channel.party ? pick(channel.party, ['id', 'role', 'touchpoint']) : null,
      events: channel.events.map(fullEvent),
    })),
  };
}

/** One item of DAY_TIMELINES: every channel's events merged, stably ordered by offset. */
function timelineItem(item) {
  const events = (item.channels ?? [])
    .flatMap((channel) => channel.events.map((event) => ({ event, channel })))
    .sort((a, b) => (a.event.offset ?? Infinity) - (b.event.offset ?? Infinity));
  return {
    ...pick(item, ['guid', 'start']),
    end: addMs(item.start, item.duration),
    ...pick(item, ['status', 'direction', 'serviceName', 'outcome']),
    events: events.map(({ event, channel }) => ({
      __typename: (KINDS[event.type] ?? ['UnknownEvent'])[0],
      ...pick(event, ['type', 'name', 'offset', 'duration']),
      at: addMs(item.start, event.offset),
      end: event.duration == null ? null : addMs(item.start, (event.offset ?? 0) + event.duration),
      channel: { party: channel.party ? { role: orNull(channel.party.role) } : null },
    })),
  };
}

const graphql = (token, query, variables, data) => ({ token, query, variables, data });

/**
 * The scenarios. Each has the upstream latency it runs against, the upstream calls one
 * operation must make, and its operations, sent in turn: { token, query, variables, data }.
 */
export function buildScenarios(accounts, { latencyMs }) {
  const main = accounts[MAIN_TOKEN];
  const [sample] = main;
  const full = graphql(
    MAIN_TOKEN,
    INTERACTION,
    { guid: sample.guid },
    {
      interaction: fullInteraction(sample),
    },
  );

  // The sample (42 events) twice and four generated interactions (about 12 events each) twice.
  const five = main.slice(0, 5);
  const aliases = Array.from({ length: 10 }, (_, i) => five[i % 5]);
  const aliasQuery = `query TenAliases {
${aliases.map((item, i) => `  a${i}: interaction(guid: "${item.guid}") { ...FullInteraction }`).join('\n')}
}
${FULL_INTERACTION}`;

  const start = new Date(NOW.getTime() - 24 * 3_600_000).toISOString();
  const inDay = main
    .filter((item) => {
      const t = Date.parse(item.start);
      return t >= Date.parse(start) && t < NOW.getTime();
    })
    .sort((a, b) => Date.parse(a.start) - Date.parse(b.start));

  // Tokens interleaved, so operations in flight together come from different callers.
  const perToken = 50;
  const mixed = [];
  for (let i = 0; i < perToken; i++) {
    for (const token of MIXED_TOKENS) {
      const item = accounts[token][i];
      mixed.push(
        graphql(token, INTERACTION, { guid: item.guid }, { interaction: fullInteraction(item) }),
      );
    }
  }

  return [
    {
      id: 1,
      name: 'full reference sample',
      latencyMs: 0,
      callsPerOp: 1,
      operations: [full],
    },
    {
      id: 2,
      name: `full reference sample, upstream +${latencyMs} ms`,
      latencyMs,
      callsPerOp: 1,
      operations: [full],
    },
    {
      id: 3,
      name: '10 aliases over 5 guids',
      latencyMs: 0,
      callsPerOp: 5,
      operations: [
        graphql(
          MAIN_TOKEN,
          aliasQuery,
          undefined,
          Object.fromEntries(aliases.map((item, i) => [`a${i}`, fullInteraction(item)])),
        ),
      ],
    },
    {
      id: 4,
      name: 'page of 100 with timelines',
      latencyMs: 0,
      callsPerOp: 1,
      operations: [
        graphql(
          MAIN_TOKEN,
          DAY_TIMELINES,
          { start, end: NOW.toISOString() },
          {
            interactions: {
              page: 1,
              count: Math.min(100, inDay.length),
              pageCount: Math.ceil(inDay.length / 100),
              totalCount: inDay.length,
              items: inDay.slice(0, 100).map(timelineItem),
            },
          },
        ),
      ],
    },
    {
      id: 5,
      name: `mixed: ${mixed.length} guids over ${MIXED_TOKENS.length} tokens`,
      latencyMs: 0,
      callsPerOp: 1,
      operations: mixed,
    },
  ];
}

/** The upstream alone: the GET behind scenario 1, sent straight to the stand-in. */
export function upstreamRequest(accounts) {
  const [sample] = accounts[MAIN_TOKEN];
  return {
    method: 'GET',
    path: `/stats/interactions/${sample.guid}`,
    headers: {
      accept: 'application/vnd.newvoicemedia.v3+json',
      authorization: `Bearer ${MAIN_TOKEN}`,
    },
    expected: JSON.stringify(sample),
  };
}
