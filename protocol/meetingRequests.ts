import type { z } from 'zod';
import { chatSchemas } from './chat';
import { markupSchemas } from './markups';
import { hearingSchemas } from './hearings';
import { meetingSchemas, type MeetingClientEvents } from './meeting';
import { minutesSchemas } from './minutes';
import { presentationSchemas } from './presentation';
import { votingSchemas } from './voting';

/**
 * Every client → server event of the `/meeting` namespace with its payload schema: what
 * the server validates, and what the fuzz test drives (a new event is fuzzed as soon as
 * its schema is here). The type check makes it list exactly the protocol's events.
 */
export const MEETING_REQUESTS = {
  ...meetingSchemas,
  ...presentationSchemas,
  ...votingSchemas,
  ...minutesSchemas,
  ...chatSchemas,
  ...markupSchemas,
  ...hearingSchemas,
} as const satisfies Record<keyof MeetingClientEvents, z.ZodType>;

export type MeetingRequestName = keyof typeof MEETING_REQUESTS;

// No schema without an event in the protocol's event maps either (spreads escape the excess-property check).
type Unmapped = Exclude<MeetingRequestName, keyof MeetingClientEvents>;
export const everySchemaIsAnEvent: [Unmapped] extends [never] ? true : Unmapped = true;
