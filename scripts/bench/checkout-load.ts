import 'reflect-metadata';
import { Agent, request } from 'node:http';

/**
 * The checkout load generator: its own process, started by checkout-bench for one run. Each of `concurrency`
 * workers is one signed-in customer (prepared in setup: session, CSRF pair, address, product, store credit) and
 * completes store-credit checkouts in a loop for at most `durationMs` and `maxOps` checkouts in all. Prints one
 * JSON line: completed checkouts, errors, elapsed, latencies of a whole checkout, the latency of every answered
 * request by page (for the benchmark to pool over rounds) and the load process's own CPU time.
 */
export interface CheckoutCustomer {
  session: string;
  csrf: string;
  address: number;
  product: number;
}

export interface CheckoutLoadSpec {
  concurrency: number;
  durationMs: number;
  maxOps: number;
  baseUrl: string;
  /** Worker i is customers[i]. */
  customers: CheckoutCustomer[];
}

/** The seven requests of one store-credit checkout, in the order the storefront client sends them. */
export const CHECKOUT_PAGES = [
  'basket',
  'DeliveryOptionSelectionPage',
  'AddressSelectionPage',
  'ShippingOptionSelectionPage',
  'LoyaltyMoneyUsagePage',
  'PaymentOptionSelectionPage',
  'LoyaltyPaymentSelectedPage',
] as const;
export type CheckoutPageName = (typeof CHECKOUT_PAGES)[number];
/** The page whose post places the order; every other one is a "non-final" page. */
export const FINAL_PAGE: CheckoutPageName = 'LoyaltyPaymentSelectedPage';

export interface CheckoutLoadResult {
  mode: 'http-checkout';
  concurrency: number;
  /** Checkouts that reached ThankYouPage. */
  count: number;
  /** Checkouts that did not (a failed request, an `errors` answer, or no ThankYouPage). */
  errors: number;
  firstError?: string;
  /** Requests the app answered (any status), failed checkouts' included: the app's work for its CPU time. */
  requests: number;
  elapsedMs: number;
  p50Ms: number;
  p99Ms: number;
  /** Latency in ms (to 0.01) of every successful request, by page, in the order they were answered. */
  pageMs: Record<CheckoutPageName, number[]>;
  /** CPU time the load process itself spent during the timed part (user + system). */
  loadCpuMs: number;
}

const REQUEST_TIMEOUT_MS = 30_000;

/** The p-th percentile of ascending values; NaN for none. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function run(spec: CheckoutLoadSpec): Promise<CheckoutLoadResult> {
  if (spec.customers.length < spec.concurrency) throw new Error('one customer per worker is needed');
  // node:http with a keep-alive agent: the client's CPU cost stays small next to the server's on shared cores.
  const agent = new Agent({ keepAlive: true, maxSockets: spec.concurrency });
  const target = new URL(spec.baseUrl);

  const pageMs = Object.fromEntries(CHECKOUT_PAGES.map((name) => [name, [] as number[]])) as Record<
    CheckoutPageName,
    number[]
  >;
  let requests = 0;

  /** One POST; resolves with the parsed body of a 200, rejects otherwise. Records the latency under `name`. */
  const send = (
    c: CheckoutCustomer,
    name: CheckoutPageName,
    path: string,
    body: string,
    contentType: string,
  ): Promise<unknown> =>
    new Promise((resolve, reject) => {
      const t0 = performance.now();
      const req = request(
        {
          agent,
          host: target.hostname,
          port: target.port,
          method: 'POST',
          path,
          headers: {
            Accept: 'application/json',
            Cookie: `osessionid=${c.session}; csrftoken=${c.csrf}`,
            'X-CSRFToken': c.csrf,
            'Content-Type': contentType,
            'Content-Length': Buffer.byteLength(body),
          },
          timeout: REQUEST_TIMEOUT_MS,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            requests++;
            const ms = Math.round((performance.now() - t0) * 100) / 100;
            const text = Buffer.concat(chunks).toString('utf8');
            if (res.statusCode !== 200) {
              reject(new Error(`${name}: status ${res.statusCode} ${text.slice(0, 200)}`));
              return;
            }
            try {
              const parsed: unknown = JSON.parse(text);
              pageMs[name].push(ms);
              resolve(parsed);
            } catch {
              reject(new Error(`${name}: not JSON: ${text.slice(0, 200)}`));
            }
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error(`${name}: timeout`)));
      req.on('error', reject);
      req.end(body);
    });

  /** A checkout page post; the checkout answers problems with HTTP 200 and `errors`. */
  const page = async (c: CheckoutCustomer, name: CheckoutPageName, form: Record<string, string>) => {
    const body = (await send(
      c,
      name,
      `/orders/checkout/?page=${name}`,
      new URLSearchParams(form).toString(),
      'application/x-www-form-urlencoded',
    )) as { errors: unknown; context_list?: { page_name: string }[] };
    if (body.errors !== null) throw new Error(`${name}: ${JSON.stringify(body.errors)}`);
    return body;
  };

  /** One whole checkout paid with store credit alone, as the storefront client drives it. */
  const checkout = async (c: CheckoutCustomer): Promise<void> => {
    const basket = (await send(
      c,
      'basket',
      '/baskets/basket/',
      JSON.stringify({ product: c.product, quantity: 1 }),
      'application/json',
    )) as { basket?: { total_amount?: string } };
    // The basket's total, not the unit price: a unit left by a checkout that failed midway is paid for too.
    const total = basket.basket?.total_amount;
    if (total === undefined) throw new Error('basket: no total_amount');
    const address = String(c.address);
    await page(c, 'DeliveryOptionSelectionPage', { delivery_option: '1' });
    await page(c, 'AddressSelectionPage', { shipping_address: address, billing_address: address });
    await page(c, 'ShippingOptionSelectionPage', { shipping_option: '1' });
    await page(c, 'LoyaltyMoneyUsagePage', { loyalty_amount_to_use: total });
    await page(c, 'PaymentOptionSelectionPage', { payment_option: '2' });
    const done = await page(c, FINAL_PAGE, { agreement: 'true' });
    const next = done.context_list?.[0]?.page_name;
    if (next !== 'ThankYouPage') throw new Error(`${FINAL_PAGE}: answered ${next ?? 'no page'}, not ThankYouPage`);
  };

  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  let started = 0;
  const deadline = Date.now() + spec.durationMs;
  const begin = Date.now();
  const cpuBefore = process.cpuUsage();
  await Promise.all(
    Array.from({ length: spec.concurrency }, async (_, worker) => {
      while (Date.now() < deadline && started < spec.maxOps) {
        started++;
        const t0 = performance.now();
        try {
          await checkout(spec.customers[worker]);
          latencies.push(performance.now() - t0);
        } catch (error) {
          errors++;
          firstError ??= (error as Error).message;
        }
      }
    }),
  );
  const elapsedMs = Date.now() - begin;
  const cpu = process.cpuUsage(cpuBefore);
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return {
    mode: 'http-checkout',
    concurrency: spec.concurrency,
    count: latencies.length,
    errors,
    firstError,
    requests,
    elapsedMs,
    // 0 when no checkout completed, as in ledger-load (NaN does not survive JSON).
    p50Ms: latencies.length === 0 ? 0 : percentile(latencies, 50),
    p99Ms: latencies.length === 0 ? 0 : percentile(latencies, 99),
    pageMs,
    loadCpuMs: (cpu.user + cpu.system) / 1000,
  };
}

if (require.main === module) {
  const spec = JSON.parse(process.argv[2] ?? '{}') as CheckoutLoadSpec;
  run(spec)
    .then((result) => {
      process.stdout.write(`${JSON.stringify(result)}\n`);
      process.exit(0);
    })
    .catch((error: unknown) => {
      process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
      process.exit(1);
    });
}
