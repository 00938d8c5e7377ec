// Why a run could not start or went wrong outside the guest, with what to do about it.

export type RunErrorCode = 'qemu-missing' | 'kernel-missing' | 'kernel-not-image' | 'kernel-wrong-arch' | 'initrd-missing' | 'firmware-missing' | 'qemu-failed' | 'kvm-unavailable' | 'debugger-failed';

export class RunError extends Error {
  constructor(readonly code: RunErrorCode, message: string, readonly hint?: string, options?: { cause?: unknown }) {
    super(hint ? `${message} ${hint}` : message, options);
    this.name = 'RunError';
  }
}
