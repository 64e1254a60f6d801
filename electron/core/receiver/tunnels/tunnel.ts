/** A public way in to the local receiver, opened by a provider. */
export interface OpenTunnel {
  /** The public base URL, standing for the receiver's root (no trailing slash). */
  readonly url: string;
  /** Called at most once, when the tunnel goes down by itself; `reason` is written for the user, `detail` not. */
  onDrop(listener: DropListener): void;
  close(): Promise<void>;
}

export interface TunnelProvider {
  /** Opens a tunnel to `localPort` on 127.0.0.1; rejects with an error written for the user. */
  open(localPort: number): Promise<OpenTunnel>;
}

export type DropListener = (reason: string, detail: string | null) => void;

/** Remembers the first drop and hands it to the listener, whenever that listener arrives. */
export class DropSignal {
  private dropped: { reason: string; detail: string | null } | null = null;
  private listener: DropListener | null = null;

  drop(reason: string, detail: string | null = null): void {
    if (this.dropped !== null) return;
    this.dropped = { reason, detail };
    this.listener?.(reason, detail);
  }

  onDrop = (listener: DropListener): void => {
    this.listener = listener;
    if (this.dropped !== null) listener(this.dropped.reason, this.dropped.detail);
  };
}

/** Rejects with `message` when `promise` takes longer than `ms`; `late` receives a value that came too late. */
export function withTimeout<T>(
  promise: Promise<T>,
  ms: number,
  message: string,
  late: (value: T) => void,
): Promise<T> {
  return new Promise((resolve, reject) => {
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      reject(new Error(message));
    }, ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        if (timedOut) late(value);
        else resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}
