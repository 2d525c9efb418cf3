import { ipInRange, parseCidr } from './ip-range.ts';
import { matchesPattern, type VariableLookup } from './match-pattern.ts';

/**
 * One base operator: `test` is the positive comparison of a request value with one policy value;
 * negated operators (StringNotEquals, NotIpAddress, …) are "no policy value matches".
 */
export interface BaseOperator {
  negated: boolean;
  test: (requestValue: string, policyValue: string, variables: VariableLookup | undefined) => boolean;
  /** Undefined when the policy value is acceptable for this operator, else why not. */
  checkValue: (policyValue: string) => string | undefined;
}

const anyValue = (): undefined => undefined;

const stringEquals = (a: string, p: string, vars: VariableLookup | undefined): boolean =>
  vars && p.includes('${') ? matchesLiteral(p, a, vars, false) : a === p;
const stringEqualsIgnoreCase = (a: string, p: string, vars: VariableLookup | undefined): boolean =>
  vars && p.includes('${') ? matchesLiteral(p, a, vars, true) : a.toLowerCase() === p.toLowerCase();
const stringLike = (a: string, p: string, vars: VariableLookup | undefined): boolean =>
  matchesPattern(p, a, { kind: 'glob', ignoreCase: false, variables: vars });
const arnLike = (a: string, p: string, vars: VariableLookup | undefined): boolean =>
  matchesPattern(p, a, { kind: 'arn', ignoreCase: false, variables: vars });

/** Equality after variable substitution: wildcards in the policy value are ordinary characters. */
function matchesLiteral(p: string, a: string, vars: VariableLookup, ignoreCase: boolean): boolean {
  const escaped = p.replace(/\*/g, '${*}').replace(/\?/g, '${?}').replace(/\$\{\$\{([*?])\}\}/g, '${$1}');
  return matchesPattern(escaped, a, { kind: 'glob', ignoreCase, variables: vars });
}

function toNumber(text: string): number | undefined {
  if (text.trim() === '') return undefined;
  const n = Number(text);
  return Number.isFinite(n) ? n : undefined;
}

/** IAM dates are ISO 8601 or epoch seconds. */
export function toEpochMs(text: string): number | undefined {
  const n = toNumber(text);
  if (n !== undefined) return n * 1000;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}

function compareWith<T>(parse: (s: string) => T | undefined, cmp: (a: T, b: T) => boolean) {
  return (a: string, p: string): boolean => {
    const x = parse(a);
    const y = parse(p);
    return x !== undefined && y !== undefined && cmp(x, y);
  };
}

const checkNumber = (p: string): string | undefined => (toNumber(p) === undefined ? `'${p}' is not a number` : undefined);
const checkDate = (p: string): string | undefined => (toEpochMs(p) === undefined ? `'${p}' is not a date` : undefined);
const checkBool = (p: string): string | undefined =>
  /^(true|false)$/i.test(p) ? undefined : `'${p}' is not true or false`;
const checkCidr = (p: string): string | undefined => (parseCidr(p) ? undefined : `'${p}' is not an IP address or CIDR range`);

type Test = BaseOperator['test'];
const positive = (test: Test, checkValue: BaseOperator['checkValue'] = anyValue): BaseOperator => ({ negated: false, test, checkValue });
const negative = (op: BaseOperator): BaseOperator => ({ ...op, negated: true });

function numeric(cmp: (a: number, b: number) => boolean): BaseOperator {
  return positive(compareWith(toNumber, cmp), checkNumber);
}
function date(cmp: (a: number, b: number) => boolean): BaseOperator {
  return positive(compareWith(toEpochMs, cmp), checkDate);
}

const eq = (a: number, b: number): boolean => a === b;
const ops = {
  StringEquals: positive(stringEquals),
  StringEqualsIgnoreCase: positive(stringEqualsIgnoreCase),
  StringLike: positive(stringLike),
  NumericEquals: numeric(eq),
  NumericLessThan: numeric((a, b) => a < b),
  NumericLessThanEquals: numeric((a, b) => a <= b),
  NumericGreaterThan: numeric((a, b) => a > b),
  NumericGreaterThanEquals: numeric((a, b) => a >= b),
  DateEquals: date(eq),
  DateLessThan: date((a, b) => a < b),
  DateLessThanEquals: date((a, b) => a <= b),
  DateGreaterThan: date((a, b) => a > b),
  DateGreaterThanEquals: date((a, b) => a >= b),
  Bool: positive((a, p) => a.toLowerCase() === p.toLowerCase(), checkBool),
  BinaryEquals: positive((a, p) => a === p),
  IpAddress: positive((a, p) => ipInRange(a, p), checkCidr),
  ArnEquals: positive(arnLike),
  ArnLike: positive(arnLike),
};

export const BASE_OPERATORS: Readonly<Record<string, BaseOperator>> = {
  ...ops,
  StringNotEquals: negative(ops.StringEquals),
  StringNotEqualsIgnoreCase: negative(ops.StringEqualsIgnoreCase),
  StringNotLike: negative(ops.StringLike),
  NumericNotEquals: negative(ops.NumericEquals),
  DateNotEquals: negative(ops.DateEquals),
  NotIpAddress: negative(ops.IpAddress),
  ArnNotEquals: negative(ops.ArnEquals),
  ArnNotLike: negative(ops.ArnLike),
};

/** `Null` checks presence, not values, so it is evaluated on its own. */
export const NULL_OPERATOR = 'Null';
