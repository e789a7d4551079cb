import 'reflect-metadata';
import { Agent, request } from 'node:http';

/**
 * The checkout load generator: its own process, started by checkout-bench for one run. Each of `concurrency`
 * workers is one signed-in customer (prepared in setup: session, CSRF pair, address, product, store credit) and
 * completes full-loyalty checkouts in a loop for at most `durationMs` and `maxOps` checkouts in all. Prints one
 * JSON line: completed checkouts, errors, elapsed and latencies of a whole checkout.
 */
export interface CheckoutCustomer {
  session: string;
  csrf: string;
  address: number;
  product: number;
  /** The product's price, a decimal string: the loyalty money to use for one unit. */
  price: string;
}

export interface CheckoutLoadSpec {
  concurrency: number;
  durationMs: number;
  maxOps: number;
  baseUrl: string;
  /** Worker i is customers[i]. */
  customers: CheckoutCustomer[];
}

export interface CheckoutLoadResult {
  mode: 'http-checkout';
  concurrency: number;
  count: number;
  errors: number;
  firstError?: string;
  elapsedMs: number;
  p50Ms: number;
  p99Ms: number;
  /** Median latency of each request of a checkout, in the order they are sent. */
  stepP50Ms: Record<string, number>;
}

const REQUEST_TIMEOUT_MS = 30_000;

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function run(spec: CheckoutLoadSpec): Promise<CheckoutLoadResult> {
  if (spec.customers.length < spec.concurrency) throw new Error('one customer per worker is needed');
  // node:http with a keep-alive agent: the client's CPU cost stays small next to the server's on shared cores.
  const agent = new Agent({ keepAlive: true, maxSockets: spec.concurrency });
  const target = new URL(spec.baseUrl);

  const steps = new Map<string, number[]>();
  const timed = async <T>(step: string, work: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    const result = await work();
    if (!steps.has(step)) steps.set(step, []);
    steps.get(step)!.push(performance.now() - t0);
    return result;
  };

  const send = (c: CheckoutCustomer, path: string, body: string, contentType: string): Promise<unknown> =>
    new Promise((resolve, reject) => {
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
            const text = Buffer.concat(chunks).toString('utf8');
            if (res.statusCode !== 200) reject(new Error(`${path}: status ${res.statusCode} ${text.slice(0, 200)}`));
            else resolve(JSON.parse(text));
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error(`${path}: timeout`)));
      req.on('error', reject);
      req.end(body);
    });

  /** A checkout page post; the checkout answers problems with HTTP 200 and `errors`. */
  const page = async (c: CheckoutCustomer, name: string, form: Record<string, string>) => {
    const body = (await timed(name, () =>
      send(
        c,
        `/orders/checkout/?page=${name}`,
        new URLSearchParams(form).toString(),
        'application/x-www-form-urlencoded',
      ),
    )) as { errors: unknown; context_list: { page_name: string }[] };
    if (body.errors !== null) throw new Error(`${name}: ${JSON.stringify(body.errors)}`);
    return body;
  };

  /** One whole checkout, as the storefront client drives it. */
  const checkout = async (c: CheckoutCustomer): Promise<void> => {
    await timed('basket', () =>
      send(c, '/baskets/basket/', JSON.stringify({ product: c.product, quantity: 1 }), 'application/json'),
    );
    const address = String(c.address);
    await page(c, 'DeliveryOptionSelectionPage', { delivery_option: '1' });
    await page(c, 'AddressSelectionPage', { shipping_address: address, billing_address: address });
    await page(c, 'ShippingOptionSelectionPage', { shipping_option: '1' });
    await page(c, 'LoyaltyMoneyUsagePage', { loyalty_amount_to_use: c.price });
    await page(c, 'PaymentOptionSelectionPage', { payment_option: '2' });
    const done = await page(c, 'LoyaltyPaymentSelectedPage', { agreement: 'true' });
    if (done.context_list[0]?.page_name !== 'ThankYouPage') throw new Error('no ThankYouPage');
  };

  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  let started = 0;
  const deadline = Date.now() + spec.durationMs;
  const begin = Date.now();
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
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return {
    mode: 'http-checkout',
    concurrency: spec.concurrency,
    count: latencies.length,
    errors,
    firstError,
    elapsedMs,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    stepP50Ms: Object.fromEntries(
      [...steps].map(([step, values]) => [
        step,
        percentile(
          [...values].sort((a, b) => a - b),
          50,
        ),
      ]),
    ),
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
