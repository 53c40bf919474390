import { InvalidInputError } from '../errors';
import { CURRENCY } from '../identifiers';

/** An hourly consultancy rate, in the currency's minor units (øre, cents; yen have none). */
export interface Rate {
  readonly hourly: number;
  readonly currency: string;
}

class InvalidMoneyError extends InvalidInputError {
  readonly type = 'invalid-money';
}

/** How many minor units a currency has, from ISO 4217 as the runtime's Intl data knows it. */
export function minorDigits(currency: string): number {
  if (!CURRENCY.test(currency) || !Intl.supportedValuesOf('currency').includes(currency)) {
    throw new InvalidMoneyError(`${JSON.stringify(currency)} is not a currency code, such as DKK or EUR`);
  }
  return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
}

/**
 * A rate from its major-unit amount ("1250.50" or 1250.5), read as decimal
 * digits so that no binary fraction ever reaches the books.
 */
export function rateOf(hourly: string | number, currency: string): Rate {
  const digits = minorDigits(currency);
  const text = typeof hourly === 'number' ? (Number.isFinite(hourly) ? String(hourly) : '') : hourly.trim();
  const match = /^(\d{1,9})(?:\.(\d+))?$/.exec(text);
  if (!match || (match[2] ?? '').length > digits) {
    throw new InvalidMoneyError(`an hourly rate in ${currency} is a non-negative amount with at most ${digits} decimals, not ${JSON.stringify(hourly)}`);
  }
  return { hourly: Number(match[1]) * 10 ** digits + Number((match[2] ?? '').padEnd(digits, '0') || '0'), currency };
}

/** The amount for some quarter-hours at a rate, in minor units: rounded once, half up, for the whole. */
export function amountFor(rate: Rate, quarters: number): number {
  // hourly × quarters / 4, in integers (a large total must not lose its last øre), the remainder deciding the rounding.
  const whole = BigInt(rate.hourly) * BigInt(quarters);
  return Number(whole / 4n + (whole % 4n >= 2n ? 1n : 0n));
}

/** Minor units as the major-unit decimal string finance reads: 312500 DKK → "3125.00". */
export function formatAmount(minor: number, currency: string): string {
  const digits = minorDigits(currency);
  if (digits === 0) return String(minor);
  const text = String(minor).padStart(digits + 1, '0');
  return `${text.slice(0, -digits)}.${text.slice(-digits)}`;
}
