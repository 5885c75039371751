import type { z } from 'zod';
import type { LoginBody, Me } from '../../../protocol/auth';
import { apiPath, request } from './request';

/** /api/auth: who am I, log in, log out. */
export const auth = {
  me: () => request<Me>('GET', apiPath('/auth/me')),
  login: (body: z.input<typeof LoginBody>) => request<Me>('POST', apiPath('/auth/login'), body),
  logout: () => request<void>('POST', apiPath('/auth/logout')),
};
