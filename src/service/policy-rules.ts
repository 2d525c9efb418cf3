// File system policy → NFS export rules, as the reference applies it to NFS clients: without
// ClientRootAccess root is squashed, without ClientWrite the export is read-only, without ClientMount
// mounts are refused. No policy means full access. Every principal is treated as matching (NFS clients
// carry no IAM identity); conditions are evaluated for the keys an NFS connection has.
import type { Condition, PolicyStatement } from './policy-document.ts';
import { parsePolicy } from './policy-document.ts';

export interface PolicyRules {
  rootSquash: boolean;
  readOnly: boolean;
  mountRefused: boolean;
}

export interface NfsRequestContext {
  /** Set when the client comes through an access point. */
  accessPointArn?: string;
}

const FULL_ACCESS: PolicyRules = { rootSquash: false, readOnly: false, mountRefused: false };

export function rulesFromPolicy(policy: string | null, ctx: NfsRequestContext): PolicyRules {
  if (policy === null) return FULL_ACCESS;
  let statements: PolicyStatement[];
  try {
    statements = parsePolicy(policy);
  } catch {
    return { rootSquash: true, readOnly: true, mountRefused: true };
  }
  const allowed = (action: string) => isAllowed(statements, `elasticfilesystem:${action}`, ctx);
  return { rootSquash: !allowed('ClientRootAccess'), readOnly: !allowed('ClientWrite'), mountRefused: !allowed('ClientMount') };
}

function isAllowed(statements: PolicyStatement[], action: string, ctx: NfsRequestContext): boolean {
  const applies = statements.filter((s) => s.actions.some((a) => actionMatches(a, action)) && conditionHolds(s.condition, ctx));
  return applies.some((s) => s.effect === 'Allow') && !applies.some((s) => s.effect === 'Deny');
}

export function actionMatches(pattern: string, action: string): boolean {
  return wildcard(pattern.toLowerCase()).test(action.toLowerCase());
}

function wildcard(pattern: string): RegExp {
  const escaped = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`);
}

/** Values of the condition keys an NFS request has; an unknown key makes the condition false. */
function keyValue(key: string, ctx: NfsRequestContext): string | undefined {
  switch (key.toLowerCase()) {
    case 'aws:securetransport': return 'false';
    case 'elasticfilesystem:accessedviamounttarget': return 'true';
    case 'elasticfilesystem:accesspointarn': return ctx.accessPointArn;
    default: return undefined;
  }
}

function conditionHolds(condition: Condition | undefined, ctx: NfsRequestContext): boolean {
  if (!condition) return true;
  return Object.entries(condition).every(([operator, entries]) =>
    Object.entries(entries).every(([key, expected]) => operatorHolds(operator, keyValue(key, ctx), typeof expected === 'string' ? [expected] : expected)));
}

function operatorHolds(operator: string, actual: string | undefined, expected: string[]): boolean {
  if (actual === undefined) return false;
  switch (operator) {
    case 'Bool':
    case 'StringEquals':
    case 'ArnEquals':
      return expected.some((e) => e.toLowerCase() === actual.toLowerCase());
    case 'StringNotEquals':
    case 'ArnNotEquals':
      return expected.every((e) => e.toLowerCase() !== actual.toLowerCase());
    case 'StringLike':
    case 'ArnLike':
      return expected.some((e) => wildcard(e).test(actual));
    default:
      return false;
  }
}
