// A wire adapter's answer, independent of the HTTP framework.
export interface HttpReply {
  status: number;
  headers: Record<string, string>;
  body?: string;
}

/** Facts an adapter needs about the verified caller. */
export interface CallerInfo {
  region: string;
  /** Throws (AuthError AccessDenied) unless the caller may run `action` on `resourceArn`. */
  authorize(action: string, resourceArn: string): void;
}
