// A UNIX socket the runner listens on before QEMU starts (QMP, the GDB stub); QEMU connects as a client.
import { createServer, type Server, type Socket } from 'node:net';

export interface ChannelListener {
  path: string;
  /** Resolves with the connection once QEMU has connected. */
  connected: Promise<Socket>;
  close(): void;
}

/** Listens on `path` and accepts exactly one connection. */
export async function listenOnce(path: string): Promise<ChannelListener> {
  const server: Server = createServer();
  let socket: Socket | undefined;
  const connected = new Promise<Socket>((resolve) => {
    server.once('connection', (s) => {
      socket = s;
      // QEMU exiting can reset the connection (ECONNRESET). 'close' follows every error and ends the
      // stream for the runner, and the run's end is judged from QEMU's exit status, not from the socket.
      s.on('error', () => undefined);
      // QEMU is the only peer; later connections would be someone else's.
      server.close();
      resolve(s);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    path,
    connected,
    close() {
      socket?.destroy();
      server.close();
    },
  };
}
