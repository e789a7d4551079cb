import { CompletionGate, completionGateOf } from './completion-gate';

describe(CompletionGate.name, () => {
  it('runs at most `slots` pieces of work at once and runs every one of them', async () => {
    const gate = new CompletionGate(2);
    let running = 0;
    let peak = 0;
    const done: number[] = [];
    const work = (n: number) => async () => {
      running += 1;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setTimeout(resolve, 5));
      running -= 1;
      done.push(n);
      return n;
    };
    const results = await Promise.all(Array.from({ length: 7 }, (_, n) => gate.run(work(n))));
    expect(results).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(peak).toBe(2);
    expect(done).toHaveLength(7);
  });

  it('frees the slot when the work fails', async () => {
    const gate = new CompletionGate(1);
    await expect(gate.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(gate.run(() => Promise.resolve('next'))).resolves.toBe('next');
  });

  it('refuses a size below one', () => {
    expect(() => new CompletionGate(0)).toThrow();
  });

  it('lets half of an app’s pool run completions, at least one connection', () => {
    expect(completionGateOf(20).slots).toBe(10);
    expect(completionGateOf(3).slots).toBe(1);
    expect(completionGateOf(2).slots).toBe(1);
  });
});
