import type { SmsSettings, SmsSettingsView } from '../../../protocol/personalData';
import { apiPath, request } from './request';

/** /api/me: the person's own settings. */
export const me = {
  sms: () => request<SmsSettingsView>('GET', apiPath('/me/sms')),
  /** 400 invalid_phone with details.reason when the number is not Tunisian. */
  setSms: (body: SmsSettings) => request<SmsSettingsView>('PUT', apiPath('/me/sms'), body),
};
