/** Looks up a policy variable such as `aws:username`; undefined when the request has no single value. */
export type VariableLookup = (name: string) => string | undefined;

export interface PatternOptions {
  /** 'arn': wildcards do not cross a colon, except in the last field (IAM matches ARN fields one by one). */
  kind: 'glob' | 'arn';
  ignoreCase: boolean;
  /** When set, `${var}` policy variables (2012-10-17) are substituted; otherwise `${` is literal. */
  variables?: VariableLookup;
}

const cache = new Map<string, RegExp>();

/** True when `value` matches the IAM pattern (`*` any run, `?` one character). */
export function matchesPattern(pattern: string, value: string, opts: PatternOptions): boolean {
  if (pattern === '*') return true;
  const regex = compile(pattern, opts);
  return regex !== undefined && regex.test(value);
}

function compile(pattern: string, opts: PatternOptions): RegExp | undefined {
  const usesVariables = opts.variables !== undefined && pattern.includes('${');
  const key = `${opts.kind}|${opts.ignoreCase ? 'i' : ''}|${pattern}`;
  if (!usesVariables) {
    const hit = cache.get(key);
    if (hit) return hit;
  }
  const source = toRegexSource(pattern, opts);
  if (source === undefined) return undefined;
  const regex = new RegExp(`^${source}$`, opts.ignoreCase ? 'is' : 's');
  if (!usesVariables && cache.size < 10_000) cache.set(key, regex);
  return regex;
}

/** Undefined when a variable without a default has no value: the pattern then matches nothing. */
function toRegexSource(pattern: string, opts: PatternOptions): string | undefined {
  let out = '';
  let colons = 0;
  // Wildcards stay inside one ARN field, except in the pattern's last field (the resource part).
  const fieldLimit = Math.min(5, pattern.split(':').length - 1);
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === '$' && pattern[i + 1] === '{' && opts.variables) {
      const end = pattern.indexOf('}', i + 2);
      if (end > 0) {
        const value = resolveVariable(pattern.slice(i + 2, end), opts.variables);
        if (value === undefined) return undefined;
        out += escapeRegex(value);
        i = end;
        continue;
      }
    }
    const inArnPrefix = opts.kind === 'arn' && colons < fieldLimit;
    if (ch === '*') out += inArnPrefix ? '[^:]*' : '.*';
    else if (ch === '?') out += inArnPrefix ? '[^:]' : '.';
    else out += escapeRegex(ch);
    if (ch === ':') colons++;
  }
  return out;
}

/** `${*}`, `${?}`, `${$}` are literal characters; `${key, 'default'}` falls back to the default. */
function resolveVariable(body: string, lookup: VariableLookup): string | undefined {
  const trimmed = body.trim();
  if (trimmed === '*' || trimmed === '?' || trimmed === '$') return trimmed;
  const comma = trimmed.indexOf(',');
  const name = (comma < 0 ? trimmed : trimmed.slice(0, comma)).trim();
  const value = lookup(name);
  if (value !== undefined || comma < 0) return value;
  const fallback = /^'(.*)'$/.exec(trimmed.slice(comma + 1).trim());
  return fallback?.[1];
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
