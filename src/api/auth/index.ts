/** The API's authentication and authorization module: SigV4, root credentials, IAM users, policies. */
export { Authenticator, type AuthenticatorOptions, type SigningService } from './authenticator.ts';
export { AuthError } from './auth-error.ts';
export type { Principal, SignedRequest, AccessKeyPair } from './principal.ts';
export { IamStore } from './iam/iam-store.ts';
export type { IamUser, IamGroup, AccessKeyInfo, NewAccessKey, AccessKeyStatus, PolicyOwner } from './iam/iam-types.ts';
export { IamError, type IamErrorCode } from './iam-error.ts';
export type { RequestContext, Policy, Decision } from './policy/policy-types.ts';
export { parsePolicyDocument } from './policy/validate-policy.ts';
export { evaluatePolicies } from './policy/evaluate-policy.ts';
export { ROOT_CREDENTIALS_FILE } from './credentials/root-credentials.ts';
export { ACCOUNT_ID_FILE } from './credentials/account-id.ts';
