import type { Channel } from './channel.service';

/** The storefront client sends the literal `undefined` when it has no currency cookie: treat it as absent. */
function usable(value: string | undefined, channel: Channel): string | undefined {
  const code = value?.trim().toLowerCase();
  if (!code || code === 'undefined' || code === 'null') return undefined;
  return channel.currencies.includes(code) ? code : undefined;
}

/**
 * The request's currency: the `x-currency` header, else the `pz-currency` cookie, else the session's, else the
 * channel default. Values the channel does not sell in are skipped, never an error.
 */
export function resolveCurrency(
  channel: Channel,
  header: string | undefined,
  cookie: string | undefined,
  session: string | undefined,
): string {
  return usable(header, channel) ?? usable(cookie, channel) ?? usable(session, channel) ?? channel.defaultCurrency;
}
