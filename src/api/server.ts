// The API server: one endpoint for every region and both services. The SigV4 credential scope names the
// region and the service; X-Amz-Target selects FSx (JSON 1.1), anything else is EFS (REST-JSON).
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { FathomService } from '../service/service.ts';
import { AuthError, type Authenticator } from './auth/index.ts';
import { EfsAdapter } from './efs/efs-adapter.ts';
import { FsxAdapter } from './fsx/fsx-adapter.ts';
import type { CallerInfo, HttpReply } from './http-reply.ts';

export interface ApiServerOptions {
  service: FathomService;
  auth: Authenticator;
  logger?: Logger;
  /** Request bodies above this are refused (the largest legal EFS body is a 20,000-character policy). */
  bodyLimit?: number;
}

export interface ApiServer {
  app: FastifyInstance;
  /** e.g. http://127.0.0.1:8080 */
  url: string;
  close(): Promise<void>;
}

export function buildApiServer(opts: ApiServerOptions): FastifyInstance {
  const app = Fastify({ logger: false, bodyLimit: opts.bodyLimit ?? 1024 * 1024 });
  // The raw body is needed for the signature check: every content type arrives as a Buffer.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  const efs = new EfsAdapter(opts.service);
  const fsx = new FsxAdapter(opts.service);
  const regions = opts.service.ctx.config.regions.map((r) => r.name);

  app.all('/*', async (req, reply) => {
    const body = Buffer.isBuffer(req.body) ? req.body : await unparsedBody(req);
    const target = headerValue(req, 'x-amz-target');
    const isFsx = target !== undefined;
    let result: HttpReply;
    try {
      const { principal, region } = await opts.auth.verify(
        { method: req.method, url: req.raw.url ?? req.url, headers: req.headers, body }, isFsx ? 'fsx' : 'elasticfilesystem', regions);
      const caller: CallerInfo = { region,
        authorize: (action, resource) => opts.auth.authorize(principal, action, resource, {
          'aws:RequestedRegion': region, 'aws:SourceIp': req.ip, 'aws:SecureTransport': 'false' }) };
      result = isFsx ? await fsx.handle(target, body, caller) : await efs.handle({ method: req.method, url: req.raw.url ?? req.url, body }, caller);
    } catch (e) {
      if (!(e instanceof AuthError)) throw e;
      result = isFsx ? fsx.failure(e) : efs.failure(e);
    }
    reply.code(result.status).headers({ 'x-amzn-requestid': req.id, ...result.headers });
    return reply.send(result.body ?? '');
  });

  app.setErrorHandler((err: { statusCode?: number; message: string }, req, reply) => {
    // Framework-level failures (body too large, bad content length) in the caller's protocol.
    const status = err.statusCode !== undefined && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    const code = status === 500 ? 'InternalServerError' : 'BadRequest';
    const fsxCall = headerValue(req, 'x-amz-target') !== undefined;
    const body = fsxCall ? { __type: code, Message: err.message } : { ErrorCode: code, Message: err.message };
    void reply.code(status).header('x-amzn-errortype', code).header('content-type', fsxCall ? 'application/x-amz-json-1.1' : 'application/json').send(JSON.stringify(body));
  });
  return app;
}

/** Fastify leaves GET/HEAD bodies unread; EFS sends one for DescribeAccountPreferences, and it is signed. */
async function unparsedBody(req: FastifyRequest): Promise<Buffer> {
  if (req.raw.readableEnded || req.headers['content-length'] === undefined && req.headers['transfer-encoding'] === undefined) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req.raw) {
    const b = chunk as Buffer;
    size += b.length;
    if (size > 1024 * 1024) throw Object.assign(new Error('Request body too large.'), { statusCode: 413 });
    chunks.push(b);
  }
  return Buffer.concat(chunks);
}

function headerValue(req: FastifyRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

export async function startApiServer(opts: ApiServerOptions & { host: string; port: number }): Promise<ApiServer> {
  const app = buildApiServer(opts);
  await app.listen({ host: opts.host, port: opts.port });
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr !== null ? addr.port : opts.port;
  const host = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
  return { app, url: `http://${host}:${port}`, close: () => app.close() };
}
