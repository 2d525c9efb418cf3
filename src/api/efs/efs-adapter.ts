// The EFS REST-JSON (2015-02-01) wire adapter: route → bind → validate → authorize → service → reply.
import { isServiceError } from '../../service/errors.ts';
import { arn, idFromIdOrArn } from '../../service/ids.ts';
import type { FathomService } from '../../service/service.ts';
import { AuthError } from '../auth/index.ts';
import type { CallerInfo, HttpReply } from '../http-reply.ts';
import { loadModel } from '../model/service-model.ts';
import { ValidationFailure, Validator } from '../model/validate.ts';
import { efsError } from './error-reply.ts';
import { EFS_OPERATIONS } from './operations.ts';
import { RestRoutes, type MatchedRequest } from './rest-routes.ts';
import type { Wire } from './wire-shapes.ts';

export interface RestRequest {
  method: string;
  /** Path and query as received. */
  url: string;
  body: Buffer;
}

export class EfsAdapter {
  private readonly model = loadModel('efs');
  private readonly routes = new RestRoutes(this.model);
  private readonly validator = new Validator(this.model);

  constructor(private readonly service: FathomService) {}

  async handle(req: RestRequest, caller: CallerInfo): Promise<HttpReply> {
    const url = new URL(req.url, 'http://localhost');
    const path = url.pathname;
    const route = this.routes.match(req.method, path);
    if (!route) return efsError(this.model, 'UnknownOperationException', `No EFS operation for ${req.method} ${path}.`, {}, 404);
    try {
      let bound: MatchedRequest;
      try {
        bound = this.routes.bind(route, path, url.searchParams, req.body);
      } catch (e) {
        return efsError(this.model, 'BadRequest', e instanceof Error ? e.message : 'Malformed request.');
      }
      if (route.op.input) this.validator.validate(bound.input, route.op.input.shape);
      caller.authorize(`elasticfilesystem:${bound.operation}`, this.resourceArn(bound.input, caller.region));
      const handler = EFS_OPERATIONS[bound.operation];
      if (!handler) return efsError(this.model, 'BadRequest', `${bound.operation} is not implemented.`);
      const out = await handler(bound.input, { service: this.service, scope: { region: caller.region } });
      return this.success(route.op.http.responseCode ?? 200, out);
    } catch (e) {
      return this.failure(e);
    }
  }

  private success(status: number, out: Wire | undefined): HttpReply {
    if (status === 204 || out === undefined) return { status, headers: {} };
    return { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(out) };
  }

  failure(e: unknown): HttpReply {
    if (e instanceof ValidationFailure) return efsError(this.model, 'BadRequest', e.message);
    if (isServiceError(e)) return efsError(this.model, e.code, e.message, e.details);
    if (e instanceof AuthError) return efsError(this.model, e.code, e.message, {}, e.status);
    this.service.ctx.logger.error({ err: e }, 'EFS request failed');
    return efsError(this.model, 'InternalServerError', 'Internal server error.');
  }

  /** The resource an IAM policy is evaluated against: the named file system or access point, else all file systems. */
  private resourceArn(input: Wire, region: string): string {
    const account = this.service.accountId;
    const named = (input.FileSystemId ?? input.SourceFileSystemId ?? input.ResourceId ?? input.AccessPointId) as string | undefined;
    if (named !== undefined) {
      const id = idFromIdOrArn(named);
      return arn('elasticfilesystem', region, account, id.startsWith('fsap-') ? 'access-point' : 'file-system', id);
    }
    if (typeof input.MountTargetId === 'string') {
      const mt = this.service.mountTargets.find(input.MountTargetId);
      if (mt) return arn('elasticfilesystem', region, account, 'file-system', mt.fileSystemId);
    }
    return arn('elasticfilesystem', region, account, 'file-system', '*');
  }
}
