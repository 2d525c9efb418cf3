// Malformed XDR input: callers turn it into GARBAGE_ARGS (or close the connection), never a crash.
export class XdrError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'XdrError';
  }
}
