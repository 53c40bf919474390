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
  constructor(readonly instant: number, readonly years: { from: number; to: number }) {
    super(`${new Date(instant).toISOString()} is outside the calendar's years ${years.from}–${years.to}`);
  }
}

export class InvalidDurationError extends InvalidInputError {
  readonly type = 'invalid-duration';
  constructor(readonly value: number) {
    super(`a business duration must be a non-negative number of milliseconds, not ${value}`);
  }
}
