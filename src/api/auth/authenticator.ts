import type { Logger } from 'pino';
import { authErrors } from './auth-error.ts';
import { loadOrCreateRootCredentials, type RootCredentials } from './credentials/root-credentials.ts';
import { IamStore } from './iam/iam-store.ts';
import { rootArn, userArn } from './iam/iam-names.ts';
import { evaluatePolicies } from './policy/evaluate-policy.ts';
import type { RequestContext } from './policy/policy-types.ts';
import type { Principal, SignedRequest } from './principal.ts';
import { verifySigV4 } from './sigv4/verify-request.ts';

export type SigningService = 'elasticfilesystem' | 'fsx';

export interface AuthenticatorOptions {
  dataDir: string;
  env?: NodeJS.ProcessEnv;
  now?: () => Date;
  logger?: Logger;
}

/**
 * The API's single door for "who is calling" (SigV4) and "may they do this" (identity policies).
 * The root key is allowed everything; IAM users get exactly what their policies allow.
 */
export class Authenticator {
  readonly rootCredentials: RootCredentials;
  readonly iam: IamStore;
  private readonly now: () => Date;
  private readonly logger: Logger | undefined;

  private constructor(rootCredentials: RootCredentials, iam: IamStore, opts: AuthenticatorOptions) {
    this.rootCredentials = rootCredentials;
    this.iam = iam;
    this.now = opts.now ?? (() => new Date());
    this.logger = opts.logger;
  }

  static async open(opts: AuthenticatorOptions): Promise<Authenticator> {
    const iam = IamStore.open(opts.dataDir);
    const root = loadOrCreateRootCredentials(opts.dataDir, opts.env ?? process.env);
    opts.logger?.info({ accessKeyId: root.accessKeyId, created: root.created, accountId: iam.accountId }, 'root credentials ready');
    return new Authenticator(root, iam, opts);
  }

  async verify(
    req: SignedRequest,
    service: SigningService,
    knownRegions: readonly string[],
  ): Promise<{ principal: Principal; region: string }> {
    try {
      const { accessKeyId, region } = await verifySigV4(req, {
        service,
        knownRegions,
        now: this.now(),
        secretFor: (id) => this.secretFor(id),
      });
      return { principal: this.principalFor(accessKeyId), region };
    } catch (err) {
      // The key id is not secret and helps operators; the secret and signature are never logged.
      this.logger?.debug({ err: err instanceof Error ? err.message : String(err) }, 'request signature rejected');
      throw err;
    }
  }

  /**
   * Throws AccessDeniedException (403) unless the principal's policies allow `action` on `resourceArn`.
   * The context gains aws:username, aws:userid, aws:PrincipalArn, aws:PrincipalAccount and
   * aws:CurrentTime/aws:EpochTime unless the caller supplies them.
   */
  authorize(principal: Principal, action: string, resourceArn: string, context: RequestContext = {}): void {
    if (principal.isRoot) return;
    const now = this.now();
    const fullContext: RequestContext = {
      'aws:username': principal.userName,
      'aws:PrincipalArn': principal.arn,
      'aws:PrincipalAccount': principal.accountId,
      'aws:CurrentTime': now.toISOString(),
      'aws:EpochTime': String(Math.floor(now.getTime() / 1000)),
      ...context,
    };
    const decision = evaluatePolicies(this.iam.policies.effectiveFor(principal.userName), {
      action,
      resource: resourceArn,
      context: fullContext,
    });
    if (decision === 'Allow') return;
    const why =
      decision === 'ExplicitDeny'
        ? 'with an explicit deny in an identity-based policy'
        : `because no identity-based policy allows the ${action} action`;
    throw authErrors.accessDenied(
      `User: ${principal.arn} is not authorized to perform: ${action} on resource: ${resourceArn} ${why}`,
    );
  }

  async close(): Promise<void> {
    this.iam.close();
  }

  private secretFor(accessKeyId: string): string | undefined {
    if (accessKeyId === this.rootCredentials.accessKeyId) return this.rootCredentials.secretAccessKey;
    return this.iam.keys.findActive(accessKeyId)?.secretAccessKey;
  }

  private principalFor(accessKeyId: string): Principal {
    const accountId = this.iam.accountId;
    if (accessKeyId === this.rootCredentials.accessKeyId) {
      return { accountId, arn: rootArn(accountId), userName: 'root', isRoot: true, accessKeyId };
    }
    const key = this.iam.keys.findActive(accessKeyId);
    if (!key) throw authErrors.unrecognizedClient(); // deactivated between the two reads
    return { accountId, arn: userArn(accountId, key.userName), userName: key.userName, isRoot: false, accessKeyId };
  }
}
