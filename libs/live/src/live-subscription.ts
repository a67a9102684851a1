import { AsyncLocalStorage } from 'node:async_hooks';
import type { LiveEventPayload } from './live-channel';

/**
 * Events a subscriber has not taken yet, at most. Far more than a person's dossier produces in the time
 * a healthy client needs to take them; reaching it means the client stopped reading.
 */
export const MAX_BUFFERED_EVENTS = 100;

/**
 * A subscriber that let {@link MAX_BUFFERED_EVENTS} events pile up. Its subscription is closed rather
 * than silently thinned out: a client that missed events must reload what it shows, and this tells it so.
 */
export class LiveEventsOverflowError extends Error {
  constructor(readonly limit: number) {
    super(`More than ${limit} live events were waiting for this subscriber; subscribe again and reload`);
    this.name = 'LiveEventsOverflowError';
  }
}

type Waiter = {
  resolve: (result: IteratorResult<LiveEventPayload>) => void;
  reject: (error: Error) => void;
};

const DONE: IteratorReturnResult<undefined> = { value: undefined, done: true };

/**
 * One subscriber's events, as an async iterator. Events are buffered up to a bound; `return()` ends the
 * subscription at once, also while a `next()` is waiting, which it then resolves as done.
 */
export class LiveSubscription implements AsyncIterableIterator<LiveEventPayload> {
  private readonly buffer: LiveEventPayload[] = [];
  private readonly waiters: Waiter[] = [];
  private failure: Error | undefined;
  private ended = false;

  constructor(
    private readonly limit: number,
    private readonly detach: (subscription: LiveSubscription) => void,
  ) {}

  get isOpen(): boolean {
    return !this.ended;
  }

  /** Hands an event to the subscriber, or keeps it until asked for; past the bound, fails the subscription. */
  deliver(event: LiveEventPayload): void {
    if (this.ended) return;
    const waiter = this.waiters.shift();
    if (waiter) waiter.resolve({ value: event, done: false });
    else if (this.buffer.length >= this.limit) this.fail(new LiveEventsOverflowError(this.limit));
    else this.buffer.push(event);
  }

  next(): Promise<IteratorResult<LiveEventPayload>> {
    const event = this.buffer.shift();
    if (event) return Promise.resolve({ value: event, done: false });
    if (this.failure) {
      const failure = this.failure;
      this.failure = undefined;
      return Promise.reject(failure);
    }
    if (this.ended) return Promise.resolve(DONE);
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  return(): Promise<IteratorResult<LiveEventPayload>> {
    this.end();
    return Promise.resolve(DONE);
  }

  throw(error?: unknown): Promise<IteratorResult<LiveEventPayload>> {
    this.end();
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  /** Ends the subscription: buffered events are dropped, waiting readers are told it is done. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.buffer.length = 0;
    this.detach(this);
    for (const waiter of this.waiters.splice(0)) waiter.resolve(DONE);
  }

  private fail(error: Error): void {
    this.end();
    this.failure = error;
  }
}

const currentScope = new AsyncLocalStorage<LiveScope>();

/**
 * The live subscriptions opened while serving one GraphQL operation, ended together with it. A resolver
 * may wrap its subscription in an async generator, and an async generator cannot be returned while it
 * awaits its next event: without the scope, a client that unsubscribes from a quiet dossier would leave
 * its subscription behind until that dossier's next event.
 */
export class LiveScope {
  private readonly subscriptions = new Set<LiveSubscription>();
  private closed = false;

  /** The scope of the operation being served, if any. */
  static current(): LiveScope | undefined {
    return currentScope.getStore();
  }

  /** Runs `work` (and whatever it starts asynchronously) inside this scope. */
  run<T>(work: () => T): T {
    return currentScope.run(this, work);
  }

  /** Ties a subscription opened in this scope to it; in a closed scope, ends it at once. */
  adopt(subscription: LiveSubscription): void {
    if (this.closed) subscription.end();
    else this.subscriptions.add(subscription);
  }

  /** Forgets a subscription that ended by itself. */
  release(subscription: LiveSubscription): void {
    this.subscriptions.delete(subscription);
  }

  /** Ends every subscription of the scope, and any opened in it later. */
  close(): void {
    this.closed = true;
    for (const subscription of [...this.subscriptions]) subscription.end();
    this.subscriptions.clear();
  }
}
