/** Every field of the schema, as a fragment: what a full interaction detail view asks for. */
export const FULL_INTERACTION = `
fragment FullInteraction on Interaction {
  guid conversationGuid status medium mediumManager direction start duration serviceName
  connectTo connectFrom categorizedAt outcome
  interactionPlanMapping { addressName mappingName interactionPlanName reportingGroup }
  channels {
    guid offset duration endReason integrationType
    party { id role touchpoint }
    events {
      __typename type name offset duration properties
      ... on InteractionPlanEvent { reportingGroup }
      ... on AppletEvent { appletType }
      ... on QueueEvent { interactionPlan interactionPlanName presentedSkills result }
      ... on DispositionEvent { disposition }
      ... on CallRatingEvent { classification }
    }
  }
}`;

export const INTERACTION = `query One($guid: ID!) { interaction(guid: $guid) { ...FullInteraction } }
${FULL_INTERACTION}`;
