/**
 * The local stack's clock: starts where SLA_DESK_CLOCK says (or now) and runs at
 * real speed from there; `POST /_dev/clock` jumps it. Never deployed.
 */
export class LocalClock {
  private offset: number;

  /** A frozen clock (tests) only moves when set. */
  constructor(
    start?: number,
    private readonly frozen = false,
  ) {
    this.offset = start === undefined ? 0 : start - Date.now();
    this.frozenAt = start ?? Date.now();
  }

  private frozenAt: number;

  readonly now = (): number => (this.frozen ? this.frozenAt : Date.now() + this.offset);

  set(instant: number): void {
    this.offset = instant - Date.now();
    this.frozenAt = instant;
  }
}
