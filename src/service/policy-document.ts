// IAM-style resource policy documents (file system policies): parsing and the checks the reference makes.
import { ServiceError } from './errors.ts';

export type Condition = Record<string, Record<string, string | string[]>>;

export interface PolicyStatement {
  effect: 'Allow' | 'Deny';
  actions: string[];
  condition?: Condition;
}

function asList(v: unknown): string[] | undefined {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
  return undefined;
}

function invalid(message: string): ServiceError {
  return new ServiceError('InvalidPolicyException', message);
}

export function parsePolicy(text: string): PolicyStatement[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw invalid('The policy is not valid JSON.');
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw invalid('The policy must be a JSON object.');
  const raw = (doc as Record<string, unknown>).Statement;
  const statements = Array.isArray(raw) ? raw : raw !== undefined ? [raw] : [];
  if (statements.length === 0) throw invalid('The policy has no Statement.');
  return statements.map(parseStatement);
}

function parseStatement(s: unknown): PolicyStatement {
  if (typeof s !== 'object' || s === null) throw invalid('Each Statement must be an object.');
  const st = s as Record<string, unknown>;
  if (st.Effect !== 'Allow' && st.Effect !== 'Deny') throw invalid('Statement Effect must be Allow or Deny.');
  const actions = asList(st.Action);
  if (!actions || actions.length === 0) throw invalid('Statement Action must be a string or a list of strings.');
  if (st.Principal === undefined) throw invalid('A resource policy Statement needs a Principal.');
  const condition = st.Condition;
  if (condition !== undefined && (typeof condition !== 'object' || condition === null)) throw invalid('Statement Condition must be an object.');
  return { effect: st.Effect, actions, condition: condition as Condition | undefined };
}
