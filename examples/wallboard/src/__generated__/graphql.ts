/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
/**
 * How the service-level figures are counted. All times are in milliseconds; a value below 0 is
 * refused with BAD_USER_INPUT.
 */
export type ServiceLevelRule = {
  /** Whether breakouts count in service level's divisor (answered + abandoned + breakouts). */
  includeBreakouts?: boolean | null | undefined;
  /**
   * Abandoned visits shorter than this are short abandons: counted in `shortAbandoned`, and left
   * out of `abandoned`, service level and abandonment rate. 0 counts none as short.
   */
  shortAbandonTime?: number | null | undefined;
  /**
   * An answer counts as within target when the visit lasted at most this long; a visit's own
   * target from upstream (`targets.targetTimeToAnswer`, as virtual queues have) takes precedence.
   */
  targetTimeToAnswer?: number | null | undefined;
};

export type OngoingCallsSubscriptionVariables = Exact<{
  limit?: number | null | undefined;
}>;


export type OngoingCallsSubscription = { ongoingInteractions: { totalCount: number, items: Array<{ guid: string, start: string | null, direction: string | null, serviceName: string | null, connectFrom: string | null, metrics: { queueTime: number | null, ringTime: number | null, talkTime: number | null, wrapTime: number | null, timeToAnswer: number | null }, channels: Array<{ party: { role: string | null, id: string | null } | null }>, events: Array<
        | { type: string, name: string | null, at: string | null, duration: number | null }
        | { type: string, name: string | null, at: string | null, duration: number | null }
        | { type: string, name: string | null, at: string | null, duration: number | null }
        | { type: string, name: string | null, at: string | null, duration: number | null }
        | { type: string, name: string | null, at: string | null, duration: number | null }
        | { type: string, name: string | null, at: string | null, duration: number | null }
        | { type: string, name: string | null, at: string | null, duration: number | null }
        | { type: string, name: string | null, at: string | null, duration: number | null }
        | { type: string, name: string | null, at: string | null, duration: number | null }
        | { type: string, name: string | null, at: string | null, duration: number | null }
      > }> } };

export type QueueStatsTodaySubscriptionVariables = Exact<{
  start: string;
  serviceLevel?: ServiceLevelRule | null | undefined;
}>;


export type QueueStatsTodaySubscription = { queueStatsUpdates: { end: string, queues: Array<{ queue: string | null, answered: number, abandoned: number, serviceLevel: number | null, waiting: number | null, longestWaiting: number | null }> } };


export const OngoingCallsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"OngoingCalls"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"limit"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}},"defaultValue":{"kind":"IntValue","value":"50"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"ongoingInteractions"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"limit"},"value":{"kind":"Variable","name":{"kind":"Name","value":"limit"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"items"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"guid"}},{"kind":"Field","name":{"kind":"Name","value":"start"}},{"kind":"Field","name":{"kind":"Name","value":"direction"}},{"kind":"Field","name":{"kind":"Name","value":"serviceName"}},{"kind":"Field","name":{"kind":"Name","value":"connectFrom"}},{"kind":"Field","name":{"kind":"Name","value":"metrics"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"queueTime"}},{"kind":"Field","name":{"kind":"Name","value":"ringTime"}},{"kind":"Field","name":{"kind":"Name","value":"talkTime"}},{"kind":"Field","name":{"kind":"Name","value":"wrapTime"}},{"kind":"Field","name":{"kind":"Name","value":"timeToAnswer"}}]}},{"kind":"Field","name":{"kind":"Name","value":"channels"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"party"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"role"}},{"kind":"Field","name":{"kind":"Name","value":"id"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"events"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"at"}},{"kind":"Field","name":{"kind":"Name","value":"duration"}}]}}]}}]}}]}}]} as unknown as DocumentNode<OngoingCallsSubscription, OngoingCallsSubscriptionVariables>;
export const QueueStatsTodayDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"QueueStatsToday"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"start"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"DateTime"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"serviceLevel"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ServiceLevelRule"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"queueStatsUpdates"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"start"},"value":{"kind":"Variable","name":{"kind":"Name","value":"start"}}},{"kind":"Argument","name":{"kind":"Name","value":"serviceLevel"},"value":{"kind":"Variable","name":{"kind":"Name","value":"serviceLevel"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"end"}},{"kind":"Field","name":{"kind":"Name","value":"queues"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"queue"}},{"kind":"Field","name":{"kind":"Name","value":"answered"}},{"kind":"Field","name":{"kind":"Name","value":"abandoned"}},{"kind":"Field","name":{"kind":"Name","value":"serviceLevel"}},{"kind":"Field","name":{"kind":"Name","value":"waiting"}},{"kind":"Field","name":{"kind":"Name","value":"longestWaiting"}}]}}]}}]}}]} as unknown as DocumentNode<QueueStatsTodaySubscription, QueueStatsTodaySubscriptionVariables>;