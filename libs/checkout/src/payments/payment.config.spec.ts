import { ManualClock } from '@app/common';
import { PaymentConfig } from './payment.config';
import { SANDBOX_CARDS, SandboxCardGateway } from './sandbox-card-gateway';

describe(PaymentConfig.name, () => {
  it('defaults to the sandbox gateway and 0, 3 and 6 percent', () => {
    const config = new PaymentConfig({});
    expect(config.gateway).toBe('sandbox');
    expect([...config.interestBasisPoints]).toEqual([
      [1, 0n],
      [3, 300n],
      [6, 600n],
    ]);
  });

  it('stops the boot on an unknown gateway or a malformed interest list, naming the setting', () => {
    expect(() => new PaymentConfig({ PAYMENT_GATEWAY: 'stripe' })).toThrow(/PAYMENT_GATEWAY/);
    expect(() => new PaymentConfig({ INSTALLMENT_INTEREST_PERCENT: '0,3' })).toThrow(/INSTALLMENT_INTEREST_PERCENT/);
    expect(() => new PaymentConfig({ INSTALLMENT_INTEREST_PERCENT: '0,3,x' })).toThrow(/INSTALLMENT_INTEREST_PERCENT/);
  });

  it('refuses the sandbox in production unless it is allowed on purpose', () => {
    expect(() => new PaymentConfig({ NODE_ENV: 'production' })).toThrow(/PAYMENT_SANDBOX_ALLOWED/);
    expect(new PaymentConfig({ NODE_ENV: 'production', PAYMENT_SANDBOX_ALLOWED: 'true' }).gateway).toBe('sandbox');
    expect(new PaymentConfig({ NODE_ENV: 'development' }).gateway).toBe('sandbox');
  });
});

describe(SandboxCardGateway.name, () => {
  const clock = new ManualClock(new Date('2026-06-15T00:00:00Z'));
  const card = (number: string) => ({ number, holder: 'Jane Doe', month: '06', year: '2026', cvv: '123' });
  const request = (number: string, key: string, threeD = false) => ({
    idempotencyKey: key,
    amountMinor: 1_000n,
    currency: 'try',
    installmentCount: 1 as const,
    card: card(number),
    threeD,
  });

  it('answers a repeated key with the first result and charges once', async () => {
    const gateway = new SandboxCardGateway(clock);
    const first = await gateway.charge(request(SANDBOX_CARDS.approved, 'order-1'));
    const again = await gateway.charge(request(SANDBOX_CARDS.approved, 'order-1'));
    expect(first).toMatchObject({ approved: true, cardType: 'visa', last4: '4242' });
    expect(again).toEqual(first);
    expect((await gateway.stats()).approved).toBe(1);
    await expect(gateway.charge({ ...request(SANDBOX_CARDS.approved, 'order-1'), amountMinor: 5n })).rejects.toThrow();
  });

  it('declines the documented cards and wants 3-D Secure where documented', async () => {
    const gateway = new SandboxCardGateway(clock);
    expect(await gateway.charge(request(SANDBOX_CARDS.declined, 'a'))).toEqual({ approved: false, reason: 'declined' });
    expect(await gateway.charge(request(SANDBOX_CARDS.insufficientFunds, 'b'))).toEqual({
      approved: false,
      reason: 'insufficient_funds',
    });
    expect(await gateway.charge(request(SANDBOX_CARDS.threeDRequired, 'c'))).toEqual({
      approved: false,
      reason: 'three_d_required',
    });
    expect(await gateway.charge(request(SANDBOX_CARDS.threeDRequired, 'd', true))).toMatchObject({ approved: true });
  });

  it('tells what became of a key: approved, declined, voided, unknown (no answer) or never seen', async () => {
    const gateway = new SandboxCardGateway(clock);
    expect(await gateway.lookup('nobody')).toEqual({ state: 'not_found' });
    const approved = await gateway.charge(request(SANDBOX_CARDS.approved, 'k1'));
    expect(await gateway.lookup('k1')).toEqual({ state: 'approved', ...approved, approved: undefined });
    await gateway.charge(request(SANDBOX_CARDS.declined, 'k2'));
    expect(await gateway.lookup('k2')).toEqual({ state: 'declined', reason: 'declined' });
    await expect(gateway.charge(request(SANDBOX_CARDS.gatewayError, 'k3'))).rejects.toThrow('did not answer');
    expect(await gateway.lookup('k3')).toEqual({ state: 'unknown' });
    // A retry of the unanswered key stays unanswered: never a second try at the bank.
    await expect(gateway.charge(request(SANDBOX_CARDS.gatewayError, 'k3'))).rejects.toThrow('did not answer');
    if (!approved.approved) throw new Error('expected an approval');
    await gateway.void(approved.reference);
    expect(await gateway.lookup('k1')).toEqual({ state: 'voided', reference: approved.reference });
    expect(await gateway.stats('k1')).toEqual({ approved: 1, voided: true });
  });

  it('validates by the injected clock: a card expires after its month ends', () => {
    const gateway = new SandboxCardGateway(clock);
    expect(gateway.validate(card(SANDBOX_CARDS.approved))).toEqual([]);
    clock.set(new Date('2026-07-01T00:00:00Z'));
    expect(gateway.validate(card(SANDBOX_CARDS.approved))).toEqual([{ field: 'card_month', problem: 'expired' }]);
  });
});
