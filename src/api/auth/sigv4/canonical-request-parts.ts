/** Splits a raw request target into its still-encoded path and its decoded query parameters. */
export function splitUrl(url: string): { path: string; query: Record<string, string | string[]> } {
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  return { path: path === '' ? '/' : path, query: parseQuery(q < 0 ? '' : url.slice(q + 1)) };
}

/**
 * Decodes `a=1&b=x%20y&a=2` into `{a: ['1','2'], b: 'x y'}`. Unlike URLSearchParams, `+` stays a `+`:
 * SigV4 clients percent-encode spaces, and the canonical query re-encodes exactly what was decoded.
 */
function parseQuery(raw: string): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = Object.create(null) as Record<string, string | string[]>;
  for (const part of raw.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const key = safeDecode(eq < 0 ? part : part.slice(0, eq));
    const value = eq < 0 ? '' : safeDecode(part.slice(eq + 1));
    const prev = query[key];
    query[key] = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value];
  }
  return query;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text; // a malformed escape cannot have been signed by a real client; the signature will not match
  }
}

/** One header's value as a string; repeated headers join with ',' as the canonical request does. */
export function headerValue(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const value = headers[name] ?? findCaseInsensitive(headers, name);
  return Array.isArray(value) ? value.join(',') : value;
}

function findCaseInsensitive(
  headers: Record<string, string | string[] | undefined>,
  name: string,
): string | string[] | undefined {
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === name) return value;
  return undefined;
}
