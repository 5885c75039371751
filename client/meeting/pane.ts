import type { JSX } from 'solid-js';
import type { MeetingConnection } from './MeetingConnection';

/**
 * A part of the meeting room a feature contributes (document, vote, minutes …): a tab on
 * a phone, a panel beside the video on a wide screen. `when` hides it from those it is
 * not for (the minutes are the secretary's).
 */
export interface MeetingPane {
  id: string;
  label: () => string;
  when?: () => boolean;
  render: () => JSX.Element;
}

export type PaneFactory = (connection: MeetingConnection, show: (paneId: string) => void) => MeetingPane;
