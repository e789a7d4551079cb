import { ManualClock } from '@app/common';
import { CircuitBreaker, CircuitOpenError } from './circuit-breaker';

describe(CircuitBreaker.name, () => {
  const failing = (): Promise<never> => Promise.reject(new Error('down'));
  const working = (): Promise<string> => Promise.resolve('ok');

  it('opens after the threshold of consecutive failures and refuses calls without making them', async () => {
    const clock = new ManualClock();
    const breaker = new CircuitBreaker({ failureThreshold: 3, openMs: 30_000 }, clock);
    for (let i = 0; i < 3; i++) await expect(breaker.run(failing)).rejects.toThrow('down');
    expect(breaker.state).toBe('open');
    const call = jest.fn(working);
    await expect(breaker.run(call)).rejects.toBeInstanceOf(CircuitOpenError);
    expect(call).not.toHaveBeenCalled();
  });

  it('lets one trial through after the pause and closes on its success', async () => {
    const clock = new ManualClock();
    const breaker = new CircuitBreaker({ failureThreshold: 1, openMs: 1_000 }, clock);
    await expect(breaker.run(failing)).rejects.toThrow('down');
    clock.advanceMs(1_000);
    expect(breaker.state).toBe('half-open');
    await expect(breaker.run(working)).resolves.toBe('ok');
    expect(breaker.state).toBe('closed');
  });

  it('opens again at once when the trial fails', async () => {
    const clock = new ManualClock();
    const breaker = new CircuitBreaker({ failureThreshold: 5, openMs: 1_000 }, clock);
    for (let i = 0; i < 5; i++) await expect(breaker.run(failing)).rejects.toThrow('down');
    clock.advanceMs(1_000);
    await expect(breaker.run(failing)).rejects.toThrow('down');
    expect(breaker.state).toBe('open');
  });

  it('counts only consecutive failures', async () => {
    const breaker = new CircuitBreaker({ failureThreshold: 2, openMs: 1_000 }, new ManualClock());
    await expect(breaker.run(failing)).rejects.toThrow('down');
    await breaker.run(working);
    await expect(breaker.run(failing)).rejects.toThrow('down');
    expect(breaker.state).toBe('closed');
  });
});
