/** A public way in to the local receiver, opened by a provider. */
export interface OpenTunnel {
  /** The public base URL, standing for the receiver's root (no trailing slash). */
  readonly url: string;
  /** Called at most once, when the tunnel goes down by itself; `reason` is written for the user. */
  onDrop(listener: (reason: string) => void): void;
  close(): Promise<void>;
}

export interface TunnelProvider {
  /** Opens a tunnel to `localPort` on 127.0.0.1; rejects with an error written for the user. */
  open(localPort: number): Promise<OpenTunnel>;
}

/** Remembers the first drop and hands it to the listener, whenever that listener arrives. */
export class DropSignal {
  private reason: string | null = null;
  private listener: ((reason: string) => void) | null = null;

  drop(reason: string): void {
    if (this.reason !== null) return;
    this.reason = reason;
    this.listener?.(reason);
  }

  onDrop = (listener: (reason: string) => void): void => {
    this.listener = listener;
    if (this.reason !== null) listener(this.reason);
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
