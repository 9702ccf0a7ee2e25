/** NATS subjects of the operator API (request-reply) and of oCIS's events. */
export const OPERATOR_SUBJECTS = {
  documents: 'collaboration.operator.documents',
  unlock: 'collaboration.operator.unlock',
  flush: 'collaboration.operator.flush',
} as const;

export const OPERATOR_PREFIX = 'collaboration.operator.';

/** reva publishes its events to this subject (JetStream stream `main-queue`). */
export const OCIS_EVENTS_SUBJECT = 'main-queue';
