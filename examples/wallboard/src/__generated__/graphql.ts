/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
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


export const OngoingCallsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"OngoingCalls"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"limit"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}},"defaultValue":{"kind":"IntValue","value":"50"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"ongoingInteractions"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"limit"},"value":{"kind":"Variable","name":{"kind":"Name","value":"limit"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"items"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"guid"}},{"kind":"Field","name":{"kind":"Name","value":"start"}},{"kind":"Field","name":{"kind":"Name","value":"direction"}},{"kind":"Field","name":{"kind":"Name","value":"serviceName"}},{"kind":"Field","name":{"kind":"Name","value":"connectFrom"}},{"kind":"Field","name":{"kind":"Name","value":"metrics"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"queueTime"}},{"kind":"Field","name":{"kind":"Name","value":"ringTime"}},{"kind":"Field","name":{"kind":"Name","value":"talkTime"}},{"kind":"Field","name":{"kind":"Name","value":"wrapTime"}},{"kind":"Field","name":{"kind":"Name","value":"timeToAnswer"}}]}},{"kind":"Field","name":{"kind":"Name","value":"channels"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"party"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"role"}},{"kind":"Field","name":{"kind":"Name","value":"id"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"events"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"at"}},{"kind":"Field","name":{"kind":"Name","value":"duration"}}]}}]}}]}}]}}]} as unknown as DocumentNode<OngoingCallsSubscription, OngoingCallsSubscriptionVariables>;