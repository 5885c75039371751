import type { Dictionary } from './fr';

export const ar: Dictionary = {
  app: { name: 'لجنة', tagline: 'لجنة رخص البناء' },
  nav: { portal: 'ملفاتي', office: 'الكتابة', meeting: 'الجلسات', public: 'الجلسات العمومية', login: 'الدخول', logout: 'الخروج' },
  lang: { label: 'اللغة', ar: 'العربية', fr: 'Français', en: 'English' },
  login: {
    title: 'تسجيل الدخول',
    email: 'البريد الإلكتروني',
    password: 'كلمة العبور',
    submit: 'الدخول',
    failed: 'البريد الإلكتروني أو كلمة العبور غير صحيحة.',
    tooMany: 'محاولات كثيرة. أعد المحاولة لاحقًا.',
  },
  file: { choose: 'اختيار ملف', none: 'لم يُختر أي ملف' },
  dialog: { cancel: 'إلغاء' },
  errors: { generic: 'حدث خطأ.', forbidden: 'هذه الصفحة غير متاحة لدورك.' },
};
