/** A person's account as the user pool keeps it: what their tokens, and so their role, are made from. */
export interface UserAccount {
  /** Their sign-in name: accounts are made with the email as the username. */
  readonly email: string;
  /** The pool's own id for the person: the `sub` of their tokens. */
  readonly sub: string;
  /** The `custom:customer_id` attribute: set once, at creation, for a customer's people. */
  readonly customerId?: string;
  /** The standard `name` attribute, which the API names the person by (else their email, to the provider). */
  readonly name?: string;
  readonly groups: readonly string[];
  /** The pool's status: FORCE_CHANGE_PASSWORD until the first sign-in, then CONFIRMED. */
  readonly status: string;
  readonly enabled: boolean;
}

/** Where people's accounts live: the Cognito user pool, or its stand-in under the local stack's DATA_DIR. */
export interface UserDirectory {
  find(email: string): Promise<UserAccount | undefined>;
  /** Makes the account; on AWS the pool emails the person a temporary password. */
  create(email: string, customerId?: string, name?: string): Promise<UserAccount>;
  addToGroup(email: string, group: string): Promise<void>;
  /** Sends the invitation (a new temporary password) again, to an account not yet signed in to. */
  resendInvitation(email: string): Promise<void>;
  /** Deletes the account (a person's erasure); whether there was one. */
  remove(email: string): Promise<boolean>;
}

/** The `custom:customer_id` attribute's name in the user pool. */
export const CUSTOMER_ATTRIBUTE = 'custom:customer_id';
