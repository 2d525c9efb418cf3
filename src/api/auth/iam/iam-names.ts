import { randomInt } from 'node:crypto';
import { IamError } from '../iam-error.ts';

const NAME = /^[\w+=,.@-]+$/;

function checkName(kind: string, name: string, max: number): void {
  if (name.length < 1 || name.length > max || !NAME.test(name)) {
    throw new IamError('ValidationError', `Invalid ${kind} name '${name}': use 1-${max} letters, digits or +=,.@_-`);
  }
}

/** IAM's rules: user names 1–64, group names 1–128, policy names 1–128 of letters, digits and `+=,.@_-`. */
export const checkUserName = (name: string): void => checkName('user', name, 64);
export const checkGroupName = (name: string): void => checkName('group', name, 128);
export const checkPolicyName = (name: string): void => checkName('policy', name, 128);

export function userArn(accountId: string, userName: string): string {
  return `arn:fathom:iam::${accountId}:user/${userName}`;
}

export function groupArn(accountId: string, groupName: string): string {
  return `arn:fathom:iam::${accountId}:group/${groupName}`;
}

export function rootArn(accountId: string): string {
  return `arn:fathom:iam::${accountId}:root`;
}

/** IAM unique ids: a 4-letter prefix (AIDA users, AGPA groups) and 17 base32 characters. */
export function newUniqueId(prefix: 'AIDA' | 'AGPA'): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let id = prefix;
  for (let i = 0; i < 17; i++) id += alphabet[randomInt(alphabet.length)];
  return id;
}
