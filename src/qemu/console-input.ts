// The serial console's input for interactive scenarios: a FIFO QEMU reads as the UART's receive side.
// QEMU 7.2's `file` chardev takes no input path on its command line, so such a console is a `pipe`
// chardev instead, whose `<base>.in` is this FIFO and whose `<base>.out` a regular file (see FileTail).
import { open, constants } from 'node:fs';
import { Socket } from 'node:net';

/**
 * Makes the FIFO `path` (mode 0600) and opens it for writing before QEMU starts: opened read-write, it
 * needs no reader yet, and QEMU's own open then returns at once. Node has no mkfifo of its own.
 */
export async function openConsoleInput(path: string): Promise<Socket> {
  // Loaded here, by the interactive scenarios that need it: ~75 ms a worker that runs none does not pay.
  const { execa } = await import('execa');
  await execa('mkfifo', ['-m', '0600', path]);
  const fd = await new Promise<number>((resolve, reject) => {
    open(path, constants.O_RDWR | constants.O_NONBLOCK, (error, opened) => (error ? reject(error) : resolve(opened)));
  });
  // Never readable: the runner would otherwise take the input back before QEMU reads it.
  const input = new Socket({ fd, readable: false, writable: true });
  input.on('error', () => undefined);
  return input;
}
