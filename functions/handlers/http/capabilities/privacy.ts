import { capabilityHandler } from '../capability';
import { handler as erasePerson } from '../erase-person';

/** A person's erasure: the one function that may delete (their attachments, their account). */
export const handler = capabilityHandler('privacy', [erasePerson]);
