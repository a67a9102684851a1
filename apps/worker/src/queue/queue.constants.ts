export const QUEUE_MODULE_OPTIONS = Symbol('QUEUE_MODULE_OPTIONS');

/** Operator-level work that belongs to no commune: billing runs, retention sweeps, the outbox relay. */
export const PLATFORM_QUEUE = 'platform';
