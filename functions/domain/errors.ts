/**
 * Typed domain errors. The handlers map them to RFC 9457 problem details by
 * `instanceof`; the domain itself knows nothing of HTTP.
 */
export abstract class DomainError extends Error {
  /** A stable, URL-safe slug naming the kind of problem. */
  abstract readonly type: string;

  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** The input is not acceptable: a bad instant, an unknown priority, and so on. */
export abstract class InvalidInputError extends DomainError {}

export class InvalidInstantError extends InvalidInputError {
  readonly type = 'invalid-instant';
  constructor(readonly value: unknown) {
    super(`not an ISO 8601 instant with an offset or Z: ${JSON.stringify(value)}`);
  }
}

export class UnknownPriorityError extends InvalidInputError {
  readonly type = 'unknown-priority';
  constructor(readonly value: unknown) {
    super(`unknown priority ${JSON.stringify(value)}: expected highest, high, medium, low or lowest`);
  }
}

export class UnknownImpactError extends InvalidInputError {
  readonly type = 'unknown-impact';
  constructor(readonly value: unknown) {
    super(`unknown impact ${JSON.stringify(value)}`);
  }
}

export class InvalidCalendarError extends InvalidInputError {
  readonly type = 'invalid-calendar';
}

/** The instant lies outside the years the calendar was built for. */
export class OutsideCalendarError extends InvalidInputError {
  readonly type = 'outside-calendar';
  constructor(
    readonly instant: number,
    readonly years: { from: number; to: number },
  ) {
    super(`${new Date(instant).toISOString()} is outside the calendar's years ${years.from}–${years.to}`);
  }
}

export class InvalidDurationError extends InvalidInputError {
  readonly type = 'invalid-duration';
  constructor(readonly value: number) {
    super(`a business duration must be a non-negative number of milliseconds, not ${value}`);
  }
}

/** The thing asked for does not exist, or belongs to another customer: the caller cannot tell which. */
export class NotFoundError extends DomainError {
  readonly type: string = 'not-found';
}

/** The caller's role may not do this. */
export class ForbiddenError extends DomainError {
  readonly type = 'forbidden';
}

/** The request conflicts with the current state: an illegal transition or a stale version. */
export class ConflictError extends DomainError {
  readonly type: string = 'conflict';
}

export class IllegalTransitionError extends ConflictError {
  override readonly type = 'illegal-transition';
  /** `from` and `to` are the API's values, for machines; the message names them as people do. */
  constructor(
    readonly from: string,
    readonly to: string,
    message: string,
  ) {
    super(message);
  }
}

export class VersionConflictError extends ConflictError {
  override readonly type = 'version-conflict';
  constructor(
    readonly expected: number,
    readonly actual?: number,
    what: 'ticket' | 'customer' = 'ticket',
  ) {
    super(`the ${what} changed since version ${expected}; read it again and retry`);
  }
}

/** An Idempotency-Key that came back with a different request: never silently accepted. */
export class IdempotencyKeyReusedError extends DomainError {
  readonly type = 'idempotency-key-reused';
  constructor() {
    super('this Idempotency-Key was already used with a different request body');
  }
}

export class InvalidCursorError extends InvalidInputError {
  readonly type = 'invalid-cursor';
  constructor() {
    super('the cursor is not one this list handed out');
  }
}

/** Two writes hit one item at the same moment; deciding again and retrying is safe. */
export class ConcurrentWriteError extends ConflictError {
  override readonly type = 'concurrent-write';
  constructor(readonly id: string) {
    super(`${id} was being changed at the same moment; try again`);
  }
}

/** A dependency (the timer service, say) did not answer; the request changed nothing that a retry would duplicate. */
export class ServiceUnavailableError extends DomainError {
  readonly type = 'service-unavailable';
}

/** The first-response outcome is settled (answered, or breach recorded): its priority and deadline no longer move. */
export class SlaSettledError extends ConflictError {
  override readonly type = 'sla-settled';
  constructor(
    readonly ticketId: string,
    why = 'has its first-response outcome settled',
  ) {
    super(`ticket ${ticketId} ${why}; its priority can no longer change`);
  }
}

/** A probe target nobody measures: asking for its figure is asking for nothing. */
export class UnknownTargetError extends NotFoundError {
  override readonly type = 'unknown-target';
  constructor(
    readonly target: string,
    readonly known: readonly string[],
  ) {
    super(`nothing measures a target named ${target}; the measured targets are ${known.join(', ')}`);
  }
}

/** A service window for a target nobody measures would exclude nothing. */
export class UnknownWindowTargetError extends InvalidInputError {
  readonly type = 'unknown-target';
  constructor(
    readonly targets: readonly string[],
    readonly known: readonly string[],
  ) {
    super(`no measured target is named ${targets.join(', ')}; the measured targets are ${known.join(', ')}`);
  }
}
