/** IAM management failures, named as IAM names them (NoSuchEntity, MalformedPolicyDocument, …). */
export type IamErrorCode =
  | 'NoSuchEntity'
  | 'EntityAlreadyExists'
  | 'DeleteConflict'
  | 'LimitExceeded'
  | 'MalformedPolicyDocument'
  | 'ValidationError';

export class IamError extends Error {
  readonly code: IamErrorCode;

  constructor(code: IamErrorCode, message: string) {
    super(message);
    this.name = 'IamError';
    this.code = code;
  }
}

export function malformedPolicy(message: string): IamError {
  return new IamError('MalformedPolicyDocument', message);
}
