import type { Dictionary } from './fr';

export const en: Dictionary = {
  app: { name: 'Lajna', tagline: 'Building-permit committee' },
  nav: { portal: 'My dossiers', office: 'Office', meeting: 'Sessions', public: 'Public sessions', login: 'Log in', logout: 'Log out' },
  lang: { label: 'Language', ar: 'العربية', fr: 'Français', en: 'English' },
  login: {
    title: 'Log in',
    email: 'Email address',
    password: 'Password',
    submit: 'Log in',
    failed: 'Wrong email or password.',
    tooMany: 'Too many attempts. Try again later.',
  },
  file: { choose: 'Choose a file', none: 'No file chosen' },
  dialog: { cancel: 'Cancel' },
  errors: { generic: 'Something went wrong.', forbidden: 'This page is not open to your role.' },
};
