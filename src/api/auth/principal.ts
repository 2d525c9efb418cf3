/** Who made a verified request. Root is the data directory's owner and may do everything. */
export interface Principal {
  accountId: string;
  arn: string;
  userName: string;
  isRoot: boolean;
  accessKeyId: string;
}

/** A request as received on the wire, before any parsing of the body. */
export interface SignedRequest {
  method: string;
  /** Raw path and query exactly as received (still percent-encoded). */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export interface AccessKeyPair {
  accessKeyId: string;
  secretAccessKey: string;
}
