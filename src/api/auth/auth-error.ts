/**
 * An authentication or authorization failure, carried as data: the AWS error code the SDKs parse,
 * the HTTP status AWS answers with, and a message safe to return (it never contains a secret).
 */
export class AuthError extends Error {
  readonly code: string;
  readonly status: number;

  constructor(code: string, status: number, message: string) {
    super(message);
    this.name = 'AuthError';
    this.code = code;
    this.status = status;
  }
}

/** Messages as AWS words them, so users can search them. */
export const authErrors = {
  missingToken: (): AuthError =>
    new AuthError('MissingAuthenticationTokenException', 403, 'Missing Authentication Token'),
  incomplete: (detail: string): AuthError => new AuthError('IncompleteSignatureException', 400, detail),
  unrecognizedClient: (): AuthError =>
    new AuthError('UnrecognizedClientException', 403, 'The security token included in the request is invalid.'),
  signatureMismatch: (): AuthError =>
    new AuthError(
      'InvalidSignatureException',
      403,
      'The request signature we calculated does not match the signature you provided. ' +
        'Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
    ),
  invalidSignature: (detail: string): AuthError => new AuthError('InvalidSignatureException', 403, detail),
  accessDenied: (detail: string): AuthError => new AuthError('AccessDeniedException', 403, detail),
} as const;
