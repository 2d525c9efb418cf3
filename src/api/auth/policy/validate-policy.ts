import { malformedPolicy } from '../iam-error.ts';
import { BASE_OPERATORS, NULL_OPERATOR } from './condition-operators.ts';
import type { Condition, Effect, PatternList, Policy, SetQualifier, Statement } from './policy-types.ts';

/** IAM's limit for one inline user policy, in characters. */
export const MAX_POLICY_LENGTH = 10_240;

const STATEMENT_KEYS = new Set(['Sid', 'Effect', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition']);
const ACTION_PATTERN = /^(\*|[A-Za-z0-9-]+:[A-Za-z0-9*?]+)$/;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** Parses and validates an identity policy document; every problem is a MalformedPolicyDocument error. */
export function parsePolicyDocument(text: string): Policy {
  if (text.length > MAX_POLICY_LENGTH) throw malformedPolicy(`Policy document is longer than ${MAX_POLICY_LENGTH} characters.`);
  let doc: Json;
  try {
    doc = JSON.parse(text) as Json;
  } catch (err) {
    throw malformedPolicy(`Policy document is not valid JSON: ${(err as Error).message}`);
  }
  if (!isObject(doc)) throw malformedPolicy('Policy document must be a JSON object.');
  for (const key of Object.keys(doc)) {
    if (!['Version', 'Id', 'Statement'].includes(key)) throw malformedPolicy(`Policy document has an unknown field '${key}'.`);
  }
  const version = doc.Version ?? '2008-10-17';
  if (version !== '2012-10-17' && version !== '2008-10-17') {
    throw malformedPolicy(`The policy Version must be '2012-10-17' or '2008-10-17', not ${JSON.stringify(version)}.`);
  }
  const raw = doc.Statement;
  if (raw === undefined) throw malformedPolicy("Policy document is missing required field 'Statement'.");
  const list = Array.isArray(raw) ? raw : [raw];
  if (list.length === 0) throw malformedPolicy("'Statement' must contain at least one statement.");
  return { version, statements: list.map((s, i) => parseStatement(s, i)) };
}

function parseStatement(raw: Json, index: number): Statement {
  const where = `Statement ${index + 1}`;
  if (!isObject(raw)) throw malformedPolicy(`${where} must be a JSON object.`);
  if ('Principal' in raw || 'NotPrincipal' in raw) {
    throw malformedPolicy(`${where}: identity policies must not specify a Principal.`);
  }
  for (const key of Object.keys(raw)) if (!STATEMENT_KEYS.has(key)) throw malformedPolicy(`${where} has an unknown field '${key}'.`);
  if (raw.Sid !== undefined && (typeof raw.Sid !== 'string' || !/^[A-Za-z0-9]*$/.test(raw.Sid))) {
    throw malformedPolicy(`${where}: Sid must contain only letters and digits.`);
  }
  return {
    ...(typeof raw.Sid === 'string' ? { sid: raw.Sid } : {}),
    effect: parseEffect(raw.Effect, where),
    action: parsePatternList(raw, 'Action', where, (a) => ACTION_PATTERN.test(a), 'a service:action name or *'),
    resource: parsePatternList(raw, 'Resource', where, (r) => r === '*' || r.startsWith('arn:'), "'*' or an ARN"),
    conditions: raw.Condition === undefined ? [] : parseConditions(raw.Condition, where),
  };
}

function parseEffect(raw: Json | undefined, where: string): Effect {
  if (raw === 'Allow' || raw === 'Deny') return raw;
  throw malformedPolicy(`${where}: Effect must be "Allow" or "Deny", not ${JSON.stringify(raw ?? null)}.`);
}

function parsePatternList(
  stmt: JsonObject,
  field: 'Action' | 'Resource',
  where: string,
  valid: (s: string) => boolean,
  expected: string,
): PatternList {
  const notField = `Not${field}`;
  const has = stmt[field] !== undefined;
  const hasNot = stmt[notField] !== undefined;
  if (has === hasNot) throw malformedPolicy(`${where} must have exactly one of '${field}' and '${notField}'.`);
  const name = has ? field : notField;
  const patterns = stringList(stmt[name], `${where}: ${name}`);
  if (patterns.length === 0) throw malformedPolicy(`${where}: ${name} must not be empty.`);
  for (const p of patterns) if (!valid(p)) throw malformedPolicy(`${where}: ${name} '${p}' must be ${expected}.`);
  return { negated: hasNot, patterns };
}

function parseConditions(raw: Json, where: string): Condition[] {
  if (!isObject(raw)) throw malformedPolicy(`${where}: Condition must be a JSON object.`);
  const out: Condition[] = [];
  for (const [operator, block] of Object.entries(raw)) {
    if (!isObject(block)) throw malformedPolicy(`${where}: Condition operator ${operator} must map keys to values.`);
    const parsed = parseOperator(operator, where);
    for (const [key, value] of Object.entries(block)) {
      const values = scalarList(value, `${where}: ${operator} ${key}`);
      checkValues(parsed.base, values, `${where}: ${operator} ${key}`);
      out.push({ operator, ...parsed, key, values });
    }
  }
  return out;
}

function parseOperator(operator: string, where: string): Pick<Condition, 'base' | 'qualifier' | 'ifExists'> {
  const colon = operator.indexOf(':');
  const prefix = colon < 0 ? undefined : operator.slice(0, colon);
  if (prefix !== undefined && prefix !== 'ForAnyValue' && prefix !== 'ForAllValues') {
    throw malformedPolicy(`${where}: unknown condition qualifier '${prefix}' (use ForAnyValue or ForAllValues).`);
  }
  const rest = colon < 0 ? operator : operator.slice(colon + 1);
  const ifExists = rest.endsWith('IfExists');
  const base = ifExists ? rest.slice(0, -'IfExists'.length) : rest;
  const known = base === NULL_OPERATOR ? !ifExists && prefix === undefined : base in BASE_OPERATORS;
  if (!known) throw malformedPolicy(`${where}: unknown condition operator '${operator}'.`);
  return { base, ifExists, ...(prefix ? { qualifier: prefix as SetQualifier } : {}) };
}

function checkValues(base: string, values: string[], where: string): void {
  if (values.length === 0) throw malformedPolicy(`${where}: a condition needs at least one value.`);
  const check = base === NULL_OPERATOR ? nullValue : (BASE_OPERATORS[base]?.checkValue ?? (() => undefined));
  for (const v of values) {
    const problem = v.includes('${') ? undefined : check(v);
    if (problem) throw malformedPolicy(`${where}: ${problem}.`);
  }
}

const nullValue = (p: string): string | undefined => (/^(true|false)$/i.test(p) ? undefined : `Null takes true or false, not '${p}'`);

function stringList(raw: Json | undefined, where: string): string[] {
  const list = Array.isArray(raw) ? raw : [raw ?? null];
  return list.map((item) => {
    if (typeof item !== 'string') throw malformedPolicy(`${where} must be a string or a list of strings.`);
    return item;
  });
}

/** Condition values may be strings, numbers or booleans (JSON), compared as their text. */
function scalarList(raw: Json, where: string): string[] {
  const list = Array.isArray(raw) ? raw : [raw];
  return list.map((item) => {
    if (typeof item === 'string' || typeof item === 'number' || typeof item === 'boolean') return String(item);
    throw malformedPolicy(`${where}: condition values must be strings, numbers or booleans.`);
  });
}

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
