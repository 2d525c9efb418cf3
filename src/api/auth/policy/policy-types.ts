/** A validated identity policy, normalised so the evaluator never re-checks shapes. */
export interface Policy {
  version: '2012-10-17' | '2008-10-17';
  statements: Statement[];
}

export type Effect = 'Allow' | 'Deny';

/** Action/NotAction or Resource/NotResource: `negated` is the Not… form. */
export interface PatternList {
  negated: boolean;
  patterns: string[];
}

export interface Statement {
  sid?: string;
  effect: Effect;
  action: PatternList;
  resource: PatternList;
  conditions: Condition[];
}

export type SetQualifier = 'ForAnyValue' | 'ForAllValues';

/** One `"Operator": { "key": values }` entry; several keys under one operator become several conditions. */
export interface Condition {
  /** As written, e.g. `ForAnyValue:StringLikeIfExists`; used in messages. */
  operator: string;
  base: string;
  qualifier?: SetQualifier;
  ifExists: boolean;
  key: string;
  values: string[];
}

/** Request context keys are case-insensitive; values are one string or a set of strings. */
export type RequestContext = Record<string, string | string[]>;

export interface EvaluationRequest {
  action: string;
  resource: string;
  context: RequestContext;
}

export type Decision = 'Allow' | 'ExplicitDeny' | 'ImplicitDeny';
