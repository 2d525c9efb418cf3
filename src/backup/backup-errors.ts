// The reference's backup rules fail with the FSx error names, so the API layer maps them 1:1.
export type BackupErrorCode =
  | 'BackupNotFound' | 'SourceBackupUnavailable' | 'BackupBeingCopied' | 'BackupInProgress' | 'BackupRestoring'
  | 'ServiceLimitExceeded' | 'InvalidRegion' | 'BadRequest';

export class BackupError extends Error {
  readonly code: BackupErrorCode;
  constructor(code: BackupErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = 'BackupError';
  }
}

export function isBackupError(e: unknown, code?: BackupErrorCode): e is BackupError {
  return e instanceof BackupError && (code === undefined || e.code === code);
}
