import { LiveEventsOverflowError, LiveScope, LiveSubscription } from './live-subscription';

function subscription(limit = 3): { subscription: LiveSubscription; detached: LiveSubscription[] } {
  const detached: LiveSubscription[] = [];
  return { subscription: new LiveSubscription(limit, (s) => detached.push(s)), detached };
}

describe('a live subscription', () => {
  it('hands events over in order, buffered or awaited', async () => {
    const { subscription: s } = subscription();
    s.deliver({ n: 1 });
    s.deliver({ n: 2 });
    expect(await s.next()).toEqual({ value: { n: 1 }, done: false });
    expect(await s.next()).toEqual({ value: { n: 2 }, done: false });
    const waiting = s.next();
    s.deliver({ n: 3 });
    expect(await waiting).toEqual({ value: { n: 3 }, done: false });
  });

  it('ends at return(), also while a reader waits, and detaches once', async () => {
    const { subscription: s, detached } = subscription();
    const waiting = s.next();
    expect(await s.return()).toEqual({ value: undefined, done: true });
    expect(await waiting).toEqual({ value: undefined, done: true });
    s.deliver({ n: 1 });
    expect(await s.next()).toEqual({ value: undefined, done: true });
    await s.return();
    expect(detached).toEqual([s]);
  });

  it('is closed with a clear error when its reader falls behind, instead of losing events silently', async () => {
    const { subscription: s, detached } = subscription(2);
    s.deliver({ n: 1 });
    s.deliver({ n: 2 });
    s.deliver({ n: 3 });
    expect(detached).toEqual([s]);
    await expect(s.next()).rejects.toThrow(new LiveEventsOverflowError(2).message);
    expect(await s.next()).toEqual({ value: undefined, done: true });
  });

  it('ends with the scope it was opened in, even inside an async generator waiting for its next event', async () => {
    const scope = new LiveScope();
    const { subscription: s } = subscription();
    let finished = false;
    async function* wrapped(): AsyncGenerator<unknown> {
      LiveScope.current()?.adopt(s);
      try {
        for await (const event of s) yield event;
      } finally {
        finished = true;
      }
    }
    const generator = wrapped();
    const first = scope.run(() => generator.next());
    // The generator waits inside for-await: its return() alone would wait for another event.
    const returned = generator.return(undefined);
    scope.close();
    expect(await first).toEqual({ value: undefined, done: true });
    expect(await returned).toEqual({ value: undefined, done: true });
    expect(finished).toBe(true);
    expect(s.isOpen).toBe(false);
  });

  it('ends at once a subscription opened in a scope that is closed already', () => {
    const scope = new LiveScope();
    scope.close();
    const { subscription: s } = subscription();
    scope.adopt(s);
    expect(s.isOpen).toBe(false);
  });
});
