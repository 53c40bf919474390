/**
 * The local stack's clock: starts where SLA_DESK_CLOCK says (or now) and runs at
 * real speed from there; `POST /_dev/clock` jumps it. Never deployed.
 */
export class LocalClock {
  private offset: number;
  private readonly listeners = new Set<(now: number) => void>();

  constructor(start?: number) {
    this.offset = start === undefined ? 0 : start - Date.now();
  }

  readonly now = (): number => Date.now() + this.offset;

  set(instant: number): void {
    this.offset = instant - Date.now();
    for (const listener of this.listeners) listener(instant);
  }

  /** Called after every jump, so timers can fire what came due. */
  onJump(listener: (now: number) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
