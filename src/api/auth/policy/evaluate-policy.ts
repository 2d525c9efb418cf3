import { BASE_OPERATORS, NULL_OPERATOR } from './condition-operators.ts';
import { matchesPattern, type VariableLookup } from './match-pattern.ts';
import type { Condition, Decision, EvaluationRequest, PatternList, Policy, RequestContext, Statement } from './policy-types.ts';

/**
 * IAM's identity-policy logic: an explicit Deny in any matching statement wins, otherwise any
 * matching Allow allows, otherwise the request is implicitly denied.
 */
export function evaluatePolicies(policies: readonly Policy[], request: EvaluationRequest): Decision {
  const context = lowerCaseKeys(request.context);
  let allowed = false;
  for (const policy of policies) {
    const variables = policy.version === '2012-10-17' ? variableLookup(context) : undefined;
    for (const statement of policy.statements) {
      if (!statementApplies(statement, request, context, variables)) continue;
      if (statement.effect === 'Deny') return 'ExplicitDeny';
      allowed = true;
    }
  }
  return allowed ? 'Allow' : 'ImplicitDeny';
}

function statementApplies(
  statement: Statement,
  request: EvaluationRequest,
  context: Map<string, string[]>,
  variables: VariableLookup | undefined,
): boolean {
  return (
    listMatches(statement.action, (p) => matchesPattern(p, request.action, { kind: 'glob', ignoreCase: true })) &&
    listMatches(statement.resource, (p) =>
      matchesPattern(p, request.resource, { kind: 'arn', ignoreCase: false, variables }),
    ) &&
    statement.conditions.every((c) => conditionHolds(c, context.get(c.key.toLowerCase()), variables))
  );
}

function listMatches(list: PatternList, matches: (pattern: string) => boolean): boolean {
  const any = list.patterns.some(matches);
  return list.negated ? !any : any;
}

/**
 * A missing key makes a condition false, except for negated operators, `…IfExists` and ForAllValues
 * (true). Without a set qualifier a multi-valued key matches when any value does (for negated
 * operators: when no value matches the policy values).
 */
export function conditionHolds(condition: Condition, present: string[] | undefined, variables: VariableLookup | undefined): boolean {
  if (condition.base === NULL_OPERATOR) {
    const wantsAbsent = condition.values.some((v) => v.toLowerCase() === 'true');
    return wantsAbsent === (present === undefined);
  }
  const op = BASE_OPERATORS[condition.base];
  if (!op) return false;
  const values = present ?? [];
  if (values.length === 0) {
    if (condition.ifExists || condition.qualifier === 'ForAllValues') return true;
    return condition.qualifier === undefined && op.negated;
  }
  const holdsFor = (requestValue: string): boolean => {
    const matched = condition.values.some((p) => op.test(requestValue, p, variables));
    return op.negated ? !matched : matched;
  };
  if (condition.qualifier === 'ForAllValues') return values.every(holdsFor);
  if (condition.qualifier === 'ForAnyValue') return values.some(holdsFor);
  return op.negated ? values.every(holdsFor) : values.some(holdsFor);
}

function lowerCaseKeys(context: RequestContext): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [key, value] of Object.entries(context)) out.set(key.toLowerCase(), Array.isArray(value) ? value : [value]);
  return out;
}

/** Policy variables take single-valued keys only, as in IAM. */
function variableLookup(context: Map<string, string[]>): VariableLookup {
  return (name) => {
    const values = context.get(name.toLowerCase());
    return values && values.length === 1 ? values[0] : undefined;
  };
}
