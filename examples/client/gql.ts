/* eslint-disable */
import * as types from './graphql.js';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "query DayList($start: DateTime!, $end: DateTime, $page: Int) {\n  interactions(start: $start, end: $end, page: $page, limit: 100) {\n    page\n    pageCount\n    totalCount\n    items {\n      guid\n      status\n      direction\n      start\n      end\n      serviceName\n      outcome\n      metrics {\n        queueTime\n        talkTime\n        timeToAnswer\n      }\n    }\n  }\n}": typeof types.DayListDocument,
    "query One($guid: ID!) {\n  interaction(guid: $guid) {\n    ...FullInteraction\n  }\n}\n\nfragment FullInteraction on Interaction {\n  guid\n  conversationGuid\n  status\n  medium\n  mediumManager\n  direction\n  start\n  duration\n  serviceName\n  connectTo\n  connectFrom\n  categorizedAt\n  outcome\n  interactionPlanMapping {\n    addressName\n    mappingName\n    interactionPlanName\n    reportingGroup\n  }\n  channels {\n    guid\n    offset\n    duration\n    endReason\n    integrationType\n    party {\n      id\n      role\n      touchpoint\n    }\n    events {\n      __typename\n      type\n      name\n      offset\n      duration\n      properties\n      ... on InteractionPlanEvent {\n        reportingGroup\n      }\n      ... on AppletEvent {\n        appletType\n      }\n      ... on QueueEvent {\n        interactionPlan\n        interactionPlanName\n        presentedSkills\n        result\n      }\n      ... on DispositionEvent {\n        disposition\n      }\n      ... on CallRatingEvent {\n        classification\n      }\n    }\n  }\n}": typeof types.OneDocument,
    "query InteractionTimeline($guid: ID!, $types: [String!] = [\"Ringing\", \"Connected\", \"Queue\", \"Wrap\"]) {\n  interaction(guid: $guid) {\n    guid\n    status\n    direction\n    serviceName\n    start\n    end\n    duration\n    metrics {\n      queueTime\n      ringTime\n      talkTime\n      wrapTime\n      timeToAnswer\n      agentCount\n      recorded\n    }\n    events(types: $types) {\n      __typename\n      type\n      name\n      at\n      end\n      duration\n      channel {\n        party {\n          role\n          id\n        }\n      }\n    }\n  }\n}": typeof types.InteractionTimelineDocument,
    "query MobileSummary($guid: ID!) {\n  interaction(guid: $guid) {\n    guid\n    status\n    direction\n    start\n    duration\n    serviceName\n    outcome\n    metrics {\n      timeToAnswer\n      talkTime\n    }\n  }\n}": typeof types.MobileSummaryDocument,
    "query Ongoing($page: Int) {\n  ongoingInteractions(page: $page, limit: 100) {\n    page\n    pageCount\n    totalCount\n    items {\n      guid\n      direction\n      start\n      serviceName\n      metrics {\n        timeToAnswer\n      }\n      channels {\n        start\n        party {\n          role\n          id\n        }\n      }\n    }\n  }\n}": typeof types.OngoingDocument,
};
const documents: Documents = {
    "query DayList($start: DateTime!, $end: DateTime, $page: Int) {\n  interactions(start: $start, end: $end, page: $page, limit: 100) {\n    page\n    pageCount\n    totalCount\n    items {\n      guid\n      status\n      direction\n      start\n      end\n      serviceName\n      outcome\n      metrics {\n        queueTime\n        talkTime\n        timeToAnswer\n      }\n    }\n  }\n}": types.DayListDocument,
    "query One($guid: ID!) {\n  interaction(guid: $guid) {\n    ...FullInteraction\n  }\n}\n\nfragment FullInteraction on Interaction {\n  guid\n  conversationGuid\n  status\n  medium\n  mediumManager\n  direction\n  start\n  duration\n  serviceName\n  connectTo\n  connectFrom\n  categorizedAt\n  outcome\n  interactionPlanMapping {\n    addressName\n    mappingName\n    interactionPlanName\n    reportingGroup\n  }\n  channels {\n    guid\n    offset\n    duration\n    endReason\n    integrationType\n    party {\n      id\n      role\n      touchpoint\n    }\n    events {\n      __typename\n      type\n      name\n      offset\n      duration\n      properties\n      ... on InteractionPlanEvent {\n        reportingGroup\n      }\n      ... on AppletEvent {\n        appletType\n      }\n      ... on QueueEvent {\n        interactionPlan\n        interactionPlanName\n        presentedSkills\n        result\n      }\n      ... on DispositionEvent {\n        disposition\n      }\n      ... on CallRatingEvent {\n        classification\n      }\n    }\n  }\n}": types.OneDocument,
    "query InteractionTimeline($guid: ID!, $types: [String!] = [\"Ringing\", \"Connected\", \"Queue\", \"Wrap\"]) {\n  interaction(guid: $guid) {\n    guid\n    status\n    direction\n    serviceName\n    start\n    end\n    duration\n    metrics {\n      queueTime\n      ringTime\n      talkTime\n      wrapTime\n      timeToAnswer\n      agentCount\n      recorded\n    }\n    events(types: $types) {\n      __typename\n      type\n      name\n      at\n      end\n      duration\n      channel {\n        party {\n          role\n          id\n        }\n      }\n    }\n  }\n}": types.InteractionTimelineDocument,
    "query MobileSummary($guid: ID!) {\n  interaction(guid: $guid) {\n    guid\n    status\n    direction\n    start\n    duration\n    serviceName\n    outcome\n    metrics {\n      timeToAnswer\n      talkTime\n    }\n  }\n}": types.MobileSummaryDocument,
    "query Ongoing($page: Int) {\n  ongoingInteractions(page: $page, limit: 100) {\n    page\n    pageCount\n    totalCount\n    items {\n      guid\n      direction\n      start\n      serviceName\n      metrics {\n        timeToAnswer\n      }\n      channels {\n        start\n        party {\n          role\n          id\n        }\n      }\n    }\n  }\n}": types.OngoingDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query DayList($start: DateTime!, $end: DateTime, $page: Int) {\n  interactions(start: $start, end: $end, page: $page, limit: 100) {\n    page\n    pageCount\n    totalCount\n    items {\n      guid\n      status\n      direction\n      start\n      end\n      serviceName\n      outcome\n      metrics {\n        queueTime\n        talkTime\n        timeToAnswer\n      }\n    }\n  }\n}"): (typeof documents)["query DayList($start: DateTime!, $end: DateTime, $page: Int) {\n  interactions(start: $start, end: $end, page: $page, limit: 100) {\n    page\n    pageCount\n    totalCount\n    items {\n      guid\n      status\n      direction\n      start\n      end\n      serviceName\n      outcome\n      metrics {\n        queueTime\n        talkTime\n        timeToAnswer\n      }\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query One($guid: ID!) {\n  interaction(guid: $guid) {\n    ...FullInteraction\n  }\n}\n\nfragment FullInteraction on Interaction {\n  guid\n  conversationGuid\n  status\n  medium\n  mediumManager\n  direction\n  start\n  duration\n  serviceName\n  connectTo\n  connectFrom\n  categorizedAt\n  outcome\n  interactionPlanMapping {\n    addressName\n    mappingName\n    interactionPlanName\n    reportingGroup\n  }\n  channels {\n    guid\n    offset\n    duration\n    endReason\n    integrationType\n    party {\n      id\n      role\n      touchpoint\n    }\n    events {\n      __typename\n      type\n      name\n      offset\n      duration\n      properties\n      ... on InteractionPlanEvent {\n        reportingGroup\n      }\n      ... on AppletEvent {\n        appletType\n      }\n      ... on QueueEvent {\n        interactionPlan\n        interactionPlanName\n        presentedSkills\n        result\n      }\n      ... on DispositionEvent {\n        disposition\n      }\n      ... on CallRatingEvent {\n        classification\n      }\n    }\n  }\n}"): (typeof documents)["query One($guid: ID!) {\n  interaction(guid: $guid) {\n    ...FullInteraction\n  }\n}\n\nfragment FullInteraction on Interaction {\n  guid\n  conversationGuid\n  status\n  medium\n  mediumManager\n  direction\n  start\n  duration\n  serviceName\n  connectTo\n  connectFrom\n  categorizedAt\n  outcome\n  interactionPlanMapping {\n    addressName\n    mappingName\n    interactionPlanName\n    reportingGroup\n  }\n  channels {\n    guid\n    offset\n    duration\n    endReason\n    integrationType\n    party {\n      id\n      role\n      touchpoint\n    }\n    events {\n      __typename\n      type\n      name\n      offset\n      duration\n      properties\n      ... on InteractionPlanEvent {\n        reportingGroup\n      }\n      ... on AppletEvent {\n        appletType\n      }\n      ... on QueueEvent {\n        interactionPlan\n        interactionPlanName\n        presentedSkills\n        result\n      }\n      ... on DispositionEvent {\n        disposition\n      }\n      ... on CallRatingEvent {\n        classification\n      }\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query InteractionTimeline($guid: ID!, $types: [String!] = [\"Ringing\", \"Connected\", \"Queue\", \"Wrap\"]) {\n  interaction(guid: $guid) {\n    guid\n    status\n    direction\n    serviceName\n    start\n    end\n    duration\n    metrics {\n      queueTime\n      ringTime\n      talkTime\n      wrapTime\n      timeToAnswer\n      agentCount\n      recorded\n    }\n    events(types: $types) {\n      __typename\n      type\n      name\n      at\n      end\n      duration\n      channel {\n        party {\n          role\n          id\n        }\n      }\n    }\n  }\n}"): (typeof documents)["query InteractionTimeline($guid: ID!, $types: [String!] = [\"Ringing\", \"Connected\", \"Queue\", \"Wrap\"]) {\n  interaction(guid: $guid) {\n    guid\n    status\n    direction\n    serviceName\n    start\n    end\n    duration\n    metrics {\n      queueTime\n      ringTime\n      talkTime\n      wrapTime\n      timeToAnswer\n      agentCount\n      recorded\n    }\n    events(types: $types) {\n      __typename\n      type\n      name\n      at\n      end\n      duration\n      channel {\n        party {\n          role\n          id\n        }\n      }\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query MobileSummary($guid: ID!) {\n  interaction(guid: $guid) {\n    guid\n    status\n    direction\n    start\n    duration\n    serviceName\n    outcome\n    metrics {\n      timeToAnswer\n      talkTime\n    }\n  }\n}"): (typeof documents)["query MobileSummary($guid: ID!) {\n  interaction(guid: $guid) {\n    guid\n    status\n    direction\n    start\n    duration\n    serviceName\n    outcome\n    metrics {\n      timeToAnswer\n      talkTime\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Ongoing($page: Int) {\n  ongoingInteractions(page: $page, limit: 100) {\n    page\n    pageCount\n    totalCount\n    items {\n      guid\n      direction\n      start\n      serviceName\n      metrics {\n        timeToAnswer\n      }\n      channels {\n        start\n        party {\n          role\n          id\n        }\n      }\n    }\n  }\n}"): (typeof documents)["query Ongoing($page: Int) {\n  ongoingInteractions(page: $page, limit: 100) {\n    page\n    pageCount\n    totalCount\n    items {\n      guid\n      direction\n      start\n      serviceName\n      metrics {\n        timeToAnswer\n      }\n      channels {\n        start\n        party {\n          role\n          id\n        }\n      }\n    }\n  }\n}"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;