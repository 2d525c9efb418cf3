// The FSx JSON 1.1 wire adapter (X-Amz-Target: AWSSimbaAPIService_v20180301.<Op>): errors as {"__type","Message"}.
import { isBackupError } from '../../backup/backup-errors.ts';
import { isServiceError } from '../../service/errors.ts';
import { arn } from '../../service/ids.ts';
import type { FathomService } from '../../service/service.ts';
import { AuthError } from '../auth/index.ts';
import type { Wire } from '../efs/wire-shapes.ts';
import type { CallerInfo, HttpReply } from '../http-reply.ts';
import { loadModel } from '../model/service-model.ts';
import { ValidationFailure, Validator } from '../model/validate.ts';
import { FSX_OPERATIONS, unsupported } from './operations.ts';

export const FSX_TARGET_PREFIX = 'AWSSimbaAPIService_v20180301.';
const CONTENT_TYPE = 'application/x-amz-json-1.1';

export function fsxError(code: string, message: string, details: Readonly<Record<string, string>> = {}, status = 400): HttpReply {
  return { status, headers: { 'content-type': CONTENT_TYPE, 'x-amzn-errortype': code }, body: JSON.stringify({ __type: code, Message: message, ...details }) };
}

export class FsxAdapter {
  private readonly model = loadModel('fsx');
  private readonly validator = new Validator(this.model);

  constructor(private readonly service: FathomService) {}

  async handle(target: string, body: Buffer, caller: CallerInfo): Promise<HttpReply> {
    const name = target.startsWith(FSX_TARGET_PREFIX) ? target.slice(FSX_TARGET_PREFIX.length) : '';
    const op = this.model.operations[name];
    if (!op) return fsxError('UnknownOperationException', `Unknown operation ${target}.`);
    try {
      const input = parseBody(body);
      if (input === undefined) return fsxError('SerializationException', 'The request body is not a JSON object.');
      if (op.input) this.validator.validate(input, op.input.shape);
      caller.authorize(`fsx:${name}`, this.resourceArn(input, caller.region));
      const handler = FSX_OPERATIONS[name] ?? (() => unsupported(name));
      const out = await handler(input, { service: this.service, scope: { region: caller.region } });
      return { status: 200, headers: { 'content-type': CONTENT_TYPE }, body: JSON.stringify(out) };
    } catch (e) {
      return this.failure(e);
    }
  }

  failure(e: unknown): HttpReply {
    if (e instanceof ValidationFailure) return fsxError('BadRequest', e.message);
    if (isServiceError(e)) return fsxError(e.code, e.message, e.details);
    if (isBackupError(e)) return fsxError(e.code, e.message);
    if (e instanceof AuthError) return fsxError(e.code, e.message, {}, e.status);
    this.service.ctx.logger.error({ err: e }, 'FSx request failed');
    return fsxError('InternalServerError', 'Internal server error.', {}, 500);
  }

  private resourceArn(input: Wire, region: string): string {
    if (typeof input.ResourceARN === 'string') return input.ResourceARN;
    if (typeof input.BackupId === 'string') return arn('fsx', region, this.service.accountId, 'backup', input.BackupId);
    if (typeof input.SourceBackupId === 'string') {
      const source = typeof input.SourceRegion === 'string' ? input.SourceRegion : region;
      return arn('fsx', source, this.service.accountId, 'backup', input.SourceBackupId);
    }
    const id = typeof input.FileSystemId === 'string' ? input.FileSystemId : '*';
    return arn('fsx', region, this.service.accountId, 'file-system', id);
  }
}

function parseBody(body: Buffer): Wire | undefined {
  if (body.length === 0) return {};
  try {
    const v: unknown = JSON.parse(body.toString('utf8'));
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Wire) : undefined;
  } catch {
    return undefined;
  }
}
