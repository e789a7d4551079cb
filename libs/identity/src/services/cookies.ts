const COOKIES_MAX = 100;

/** Parses a Cookie header; the first value of a name wins, undecodable values are kept as sent. */
export function parseCookies(header: string | undefined): Record<string, string> {
  const result: Record<string, string> = Object.create(null) as Record<string, string>;
  if (!header) return result;
  let count = 0;
  for (const part of header.slice(0, 16_384).split(';')) {
    if (++count > COOKIES_MAX) break;
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    if (!name || name in result) continue;
    let value = part.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1);
    try {
      result[name] = decodeURIComponent(value);
    } catch {
      result[name] = value;
    }
  }
  return result;
}
