// One throw-away NFSv4 server and a connected test client per describe() block.
import { after, before } from 'node:test';
import { V4TestClient } from './v4-client.ts';
import { startTestServer, type TestServer } from './v4-server.ts';

/** Starts the server and connects before the block's tests; `use` receives both; closes them after. */
export function withServerAndClient(use: (srv: TestServer, client: V4TestClient) => void): void {
  let srv: TestServer | undefined;
  let client: V4TestClient | undefined;
  before(async () => {
    srv = await startTestServer();
    client = await V4TestClient.connect(srv.port);
    use(srv, client);
  });
  after(async () => {
    client?.close();
    await srv?.close();
  });
}
