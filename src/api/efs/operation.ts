// What an EFS operation handler receives and returns.
import type { FathomService } from '../../service/service.ts';
import type { Scope } from '../../service/types.ts';
import type { Wire } from './wire-shapes.ts';

export interface EfsCall {
  service: FathomService;
  scope: Scope;
}

/** Input is already validated against the operation's input shape in the model. */
export type EfsHandler = (input: Wire, call: EfsCall) => Promise<Wire | undefined> | Wire | undefined;

/** A member the model marks required (validation has already rejected its absence). */
export function required<T>(value: T | undefined): T {
  if (value === undefined) throw new Error('required member missing after validation');
  return value;
}
