/* eslint-disable */
import * as types from './graphql';
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
    "subscription OngoingCalls($limit: Int = 50) {\n  ongoingInteractions(limit: $limit) {\n    totalCount\n    items {\n      guid\n      start\n      direction\n      serviceName\n      connectFrom\n      metrics {\n        queueTime\n        ringTime\n        talkTime\n        wrapTime\n        timeToAnswer\n      }\n      channels {\n        party {\n          role\n          id\n        }\n      }\n      events {\n        type\n        name\n        at\n        duration\n      }\n    }\n  }\n}": typeof types.OngoingCallsDocument,
    "subscription QueueStatsToday($start: DateTime!, $serviceLevel: ServiceLevelRule) {\n  queueStatsUpdates(start: $start, serviceLevel: $serviceLevel) {\n    end\n    queues {\n      queue\n      answered\n      abandoned\n      serviceLevel\n      waiting\n      longestWaiting\n    }\n  }\n}": typeof types.QueueStatsTodayDocument,
};
const documents: Documents = {
    "subscription OngoingCalls($limit: Int = 50) {\n  ongoingInteractions(limit: $limit) {\n    totalCount\n    items {\n      guid\n      start\n      direction\n      serviceName\n      connectFrom\n      metrics {\n        queueTime\n        ringTime\n        talkTime\n        wrapTime\n        timeToAnswer\n      }\n      channels {\n        party {\n          role\n          id\n        }\n      }\n      events {\n        type\n        name\n        at\n        duration\n      }\n    }\n  }\n}": types.OngoingCallsDocument,
    "subscription QueueStatsToday($start: DateTime!, $serviceLevel: ServiceLevelRule) {\n  queueStatsUpdates(start: $start, serviceLevel: $serviceLevel) {\n    end\n    queues {\n      queue\n      answered\n      abandoned\n      serviceLevel\n      waiting\n      longestWaiting\n    }\n  }\n}": types.QueueStatsTodayDocument,
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
export function graphql(source: "subscription OngoingCalls($limit: Int = 50) {\n  ongoingInteractions(limit: $limit) {\n    totalCount\n    items {\n      guid\n      start\n      direction\n      serviceName\n      connectFrom\n      metrics {\n        queueTime\n        ringTime\n        talkTime\n        wrapTime\n        timeToAnswer\n      }\n      channels {\n        party {\n          role\n          id\n        }\n      }\n      events {\n        type\n        name\n        at\n        duration\n      }\n    }\n  }\n}"): (typeof documents)["subscription OngoingCalls($limit: Int = 50) {\n  ongoingInteractions(limit: $limit) {\n    totalCount\n    items {\n      guid\n      start\n      direction\n      serviceName\n      connectFrom\n      metrics {\n        queueTime\n        ringTime\n        talkTime\n        wrapTime\n        timeToAnswer\n      }\n      channels {\n        party {\n          role\n          id\n        }\n      }\n      events {\n        type\n        name\n        at\n        duration\n      }\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "subscription QueueStatsToday($start: DateTime!, $serviceLevel: ServiceLevelRule) {\n  queueStatsUpdates(start: $start, serviceLevel: $serviceLevel) {\n    end\n    queues {\n      queue\n      answered\n      abandoned\n      serviceLevel\n      waiting\n      longestWaiting\n    }\n  }\n}"): (typeof documents)["subscription QueueStatsToday($start: DateTime!, $serviceLevel: ServiceLevelRule) {\n  queueStatsUpdates(start: $start, serviceLevel: $serviceLevel) {\n    end\n    queues {\n      queue\n      answered\n      abandoned\n      serviceLevel\n      waiting\n      longestWaiting\n    }\n  }\n}"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;