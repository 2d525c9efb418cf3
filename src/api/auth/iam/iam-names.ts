import { IamError } from '../iam-error.ts';

const NAME = /^[\w+=,.@-]+$/;

/** IAM's user-name rule: 1–64 of letters, digits and `+=,.@_-`. */
export function checkUserName(name: string): void {
  if (name.length < 1 || name.length > 64 || !NAME.test(name)) {
    throw new IamError('ValidationError', `Invalid user name '${name}': use 1-64 letters, digits or +=,.@_-`);
  }
}

/** IAM's policy-name rule: 1–128 of the same characters. */
export function checkPolicyName(name: string): void {
  if (name.length < 1 || name.length > 128 || !NAME.test(name)) {
    throw new IamError('ValidationError', `Invalid policy name '${name}': use 1-128 letters, digits or +=,.@_-`);
  }
}

export function userArn(accountId: string, userName: string): string {
  return `arn:fathom:iam::${accountId}:user/${userName}`;
}

export function rootArn(accountId: string): string {
  return `arn:fathom:iam::${accountId}:root`;
}
