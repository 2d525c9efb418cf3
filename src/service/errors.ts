// Service errors carry a code that both wire adapters understand (the reference's error names), so
// the protocol decides only the status and the body shape.
export type ServiceErrorCode =
  | 'BadRequest' | 'ValidationException' | 'InternalServerError'
  | 'FileSystemNotFound' | 'FileSystemAlreadyExists' | 'FileSystemInUse' | 'FileSystemLimitExceeded'
  | 'IncorrectFileSystemLifeCycleState' | 'IncorrectMountTargetState'
  | 'MountTargetNotFound' | 'MountTargetConflict' | 'AvailabilityZonesMismatch' | 'SubnetNotFound' | 'IpAddressInUse' | 'UnsupportedAvailabilityZone'
  | 'SecurityGroupNotFound' | 'SecurityGroupLimitExceeded'
  | 'AccessPointNotFound' | 'AccessPointAlreadyExists' | 'AccessPointLimitExceeded'
  | 'PolicyNotFound' | 'InvalidPolicyException' | 'ReplicationNotFound'
  | 'IncompatibleParameterError' | 'ServiceLimitExceeded' | 'ResourceNotFound' | 'NotServiceResourceError' | 'ResourceDoesNotSupportTagging'
  | 'UnsupportedOperation' | 'InvalidNetworkSettings' | 'MissingFileSystemConfiguration' | 'BackupInProgress';

export class ServiceError extends Error {
  readonly code: ServiceErrorCode;
  /** Extra members of the error body, e.g. FileSystemAlreadyExists carries the existing FileSystemId. */
  readonly details: Readonly<Record<string, string>>;
  constructor(code: ServiceErrorCode, message: string, options?: { cause?: unknown; details?: Record<string, string> }) {
    super(message, options);
    this.code = code;
    this.details = options?.details ?? {};
    this.name = 'ServiceError';
  }
}

export function isServiceError(e: unknown): e is ServiceError {
  return e instanceof ServiceError;
}
